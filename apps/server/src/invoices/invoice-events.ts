/**
 * Live invoice updates inside this instance, for Server-Sent Events on checkout pages: the
 * STREAM receiver publishes, SSE streams subscribe. (Across instances this becomes Redis
 * pub/sub; the interface stays.)
 */
import { Injectable } from '@nestjs/common';
import { InvoiceStatus } from './invoice.entity';

export interface InvoiceUpdate {
  invoiceId: string;
  status: InvoiceStatus;
  /** Base units received so far, as a decimal string. */
  received: string;
}

type Listener = (update: InvoiceUpdate) => void;

@Injectable()
export class InvoiceEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  publish(update: InvoiceUpdate): void {
    for (const listener of this.listeners.get(update.invoiceId) ?? []) {
      try {
        listener(update);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(invoiceId: string, listener: Listener): () => void {
    let set = this.listeners.get(invoiceId);
    if (!set) {
      set = new Set();
      this.listeners.set(invoiceId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(invoiceId);
    };
  }
}
