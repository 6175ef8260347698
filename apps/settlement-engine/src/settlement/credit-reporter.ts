/**
 * The outbox of incoming settlements: reports each confirmed transfer from a peer's proven
 * address to the connector (`POST /accounts/:id/settlements`, amount in wei at scale 18),
 * with an Idempotency-Key derived from the transaction hash, and retries with back-off
 * until the connector answers 201. The row is marked reported only after that answer, and
 * a repeat after a crash reuses the key, so the connector credits each transfer once.
 */
import { backoffDelay, type ConnectorSettlementClient } from '@tollgate/settlement';
import type { Logger } from 'pino';
import { WEI_SCALE, type EngineStore } from '../database/engine-store';
import { Worker } from '../worker';

export interface ReporterOptions {
  retryBaseMs: number;
  retryMaxMs: number;
  idleMs: number;
}

const BATCH = 20;

export function creditIdempotencyKey(chainId: bigint | string, txHash: string): string {
  return `eth-${chainId}-${txHash.toLowerCase()}`;
}

export class CreditReporter {
  private readonly worker: Worker;

  constructor(
    private readonly store: EngineStore,
    private readonly connector: ConnectorSettlementClient,
    private readonly chainId: bigint,
    private readonly log: Logger,
    private readonly options: ReporterOptions,
  ) {
    this.worker = new Worker('reporter', () => this.round(), log);
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  kick(): void {
    this.worker.kick();
  }

  private async round(): Promise<number> {
    const due = await this.store.dueReports(BATCH);
    for (const transfer of due) {
      if (this.worker.stopping) return 0;
      const key = creditIdempotencyKey(this.chainId, transfer.txHash);
      try {
        await this.connector.creditSettlement(
          transfer.accountId,
          { amount: transfer.wei, scale: WEI_SCALE },
          key,
        );
        await this.store.markReported(transfer.txHash, transfer.accountId);
        this.log.info(
          { accountId: transfer.accountId, txHash: transfer.txHash, wei: transfer.wei.toString() },
          'incoming settlement reported to the connector',
        );
      } catch (error) {
        const delay = backoffDelay(
          transfer.attempts + 1,
          this.options.retryBaseMs,
          this.options.retryMaxMs,
        );
        await this.store.markReportFailed(transfer.txHash, delay, (error as Error).message);
        this.log.warn(
          {
            accountId: transfer.accountId,
            txHash: transfer.txHash,
            attempts: transfer.attempts + 1,
            retryInMs: delay,
            err: (error as Error).message,
          },
          'reporting an incoming settlement failed; will retry',
        );
      }
    }
    if (due.length === BATCH) return 0;
    const next = await this.store.nextReportDelayMs();
    return Math.min(next ?? this.options.idleMs, this.options.idleMs);
  }
}
