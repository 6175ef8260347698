/**
 * Hooks run inside the transaction that changes an invoice's status (open → paid, open →
 * expired), so what other modules record about the change (a webhook event) commits or
 * rolls back with it: it can be neither lost nor doubled, whichever instance or path
 * (STREAM receiver, a read, the expiry sweeper) made the change. A hook may return a
 * callback to run once the transaction has committed (e.g. to enqueue work).
 */
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Invoice } from './invoice.entity';

export interface InvoiceTransition {
  /** The invoice as it is after the change. */
  invoice: Invoice;
  /** Base units the journal shows for it at the time of the change. */
  received: bigint;
}

export type InvoiceTransitionHook = (
  tx: EntityManager,
  transition: InvoiceTransition,
) => Promise<(() => void) | void>;

@Injectable()
export class InvoiceTransitions {
  private readonly hooks: InvoiceTransitionHook[] = [];

  register(hook: InvoiceTransitionHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook in the caller's transaction; returns what to run after the commit. */
  async run(tx: EntityManager, transition: InvoiceTransition): Promise<(() => void)[]> {
    const after: (() => void)[] = [];
    for (const hook of this.hooks) {
      const next = await hook(tx, transition);
      if (next) after.push(next);
    }
    return after;
  }
}
