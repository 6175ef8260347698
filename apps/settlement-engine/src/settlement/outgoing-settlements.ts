/**
 * Outgoing settlements: the connector asks us to pay a peer. The request is recorded (with
 * its wei amount and the account's new leftover) before we answer 201; a single worker
 * then pays the recorded settlements in order, one at a time:
 *
 *   pending --sign (nonce, hash and raw tx stored first)--> signed --mined--> mined
 *
 * Storing the signed transaction before broadcasting it is what makes a restart safe: a
 * signed row is only ever re-broadcast (same bytes, same hash), never signed again, unless
 * the chain shows its nonce was consumed by another transaction, in which case ours can
 * never be mined. So one Idempotency-Key moves money at most once.
 */
import {
  SettlementError,
  SettlementErrorCode,
  backoffDelay,
  type Quantity,
} from '@tollgate/settlement';
import type { Logger } from 'pino';
import type { EthLedger } from '../chain/eth-ledger';
import type { EngineStore, OutgoingRow } from '../database/engine-store';
import { Worker } from '../worker';

/** Test hooks to stop the engine at the worst moments; never set in production. */
export interface OutgoingFaults {
  afterSign?(key: string): void | Promise<void>;
  afterBroadcast?(key: string): void | Promise<void>;
}

export interface OutgoingOptions {
  pollIntervalMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

class NotMinedYet extends Error {}

export class OutgoingSettlements {
  private readonly worker: Worker;
  private failures = 0;

  constructor(
    private readonly store: EngineStore,
    private readonly ledger: EthLedger,
    private readonly log: Logger,
    private readonly options: OutgoingOptions,
    private readonly faults: OutgoingFaults = {},
  ) {
    this.worker = new Worker('outgoing', () => this.round(), log);
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** New work may be ready (a settlement recorded, a peer address learned). */
  kick(): void {
    this.worker.kick();
  }

  async settle(accountId: string, q: Quantity, key: string): Promise<void> {
    const outcome = await this.store.recordSettlement(accountId, key, q);
    if (outcome.kind === 'no_account')
      throw new SettlementError(SettlementErrorCode.AccountNotFound);
    if (outcome.kind === 'too_large') {
      throw new SettlementError(
        SettlementErrorCode.InvalidQuantity,
        'amount is more than one Ethereum transfer can carry',
      );
    }
    if (outcome.kind === 'recorded') {
      this.log.info(
        {
          accountId,
          idempotencyKey: key,
          amount: q.amount.toString(),
          scale: q.scale,
          wei: outcome.wei.toString(),
        },
        'settlement recorded',
      );
    }
    this.kick();
  }

  private async round(): Promise<number> {
    const row = await this.store.nextOutgoing();
    if (!row) return 60_000;
    try {
      await this.advance(row);
      this.failures = 0;
      return 0;
    } catch (error) {
      if (error instanceof NotMinedYet) return this.options.pollIntervalMs;
      this.failures++;
      const delay = backoffDelay(this.failures, this.options.retryBaseMs, this.options.retryMaxMs);
      this.log.error(
        {
          idempotencyKey: row.key,
          accountId: row.accountId,
          err: (error as Error).message,
          retryInMs: delay,
        },
        'settlement transfer failed; will retry',
      );
      return delay;
    }
  }

  private async advance(row: OutgoingRow): Promise<void> {
    let { state, txHash, rawTx, nonce } = row;
    if (state === 'pending') {
      const chainNonce = await this.ledger.pendingNonce();
      const ours = await this.store.highestSignedNonce();
      nonce = Math.max(chainNonce, ours === undefined ? 0 : ours + 1);
      const signed = await this.ledger.signTransfer(row.peerAddress!, row.wei, nonce);
      await this.store.markSigned(row.key, nonce, signed.hash, signed.raw);
      ({ hash: txHash, raw: rawTx } = signed);
      state = 'signed';
      await this.faults.afterSign?.(row.key);
    }
    if (state !== 'signed' || !txHash || !rawTx || nonce === null) return;

    // Read the nonce before the receipt: if ours is mined, its receipt is then visible.
    let minedNonce = await this.ledger.minedNonce();
    let receipt = await this.ledger.receipt(txHash);
    if (!receipt) {
      await this.ledger.broadcast(rawTx);
      await this.faults.afterBroadcast?.(row.key);
      minedNonce = await this.ledger.minedNonce();
      receipt = await this.ledger.receipt(txHash);
    }
    if (!receipt) {
      // Only when the nonce was consumed before we looked, and the node has never heard of
      // our transaction, can it never be mined: then, and only then, sign it again.
      if (minedNonce > nonce && !(await this.ledger.isKnown(txHash))) {
        this.log.warn(
          { idempotencyKey: row.key, nonce },
          'nonce used by another transaction; signing again',
        );
        await this.store.resetToPending(row.key);
        return;
      }
      throw new NotMinedYet();
    }
    if (!receipt.success) {
      await this.store.resetToPending(row.key);
      throw new Error(`transfer ${txHash} reverted`);
    }
    await this.store.markMined(row.key, receipt.blockNumber);
    this.log.info(
      {
        idempotencyKey: row.key,
        accountId: row.accountId,
        txHash,
        wei: row.wei.toString(),
        to: row.peerAddress,
      },
      'settlement sent',
    );
  }
}
