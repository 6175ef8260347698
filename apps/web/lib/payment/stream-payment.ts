/**
 * Pays an invoice from the browser: SPSP for the invoice's STREAM destination, BTP over a
 * WebSocket to the node as the customer's wallet account, and our StreamConnection sending
 * the rest of the invoice in chunks on one stream, so the page can show progress, pause
 * between chunks and resume. Framework-free; the checkout's Pay panel drives it.
 */
import { BrowserBtpClient, type WebSocketFactory } from '@tollgate/btp/browser';
import {
  deserializeIlpReply,
  deserializePrepare,
  serializeIlpPacket,
  serializePrepare,
} from '@tollgate/ilp-core';
import { querySpsp } from '@tollgate/spsp';
import { StreamConnection, WebStreamCrypto, type PayReason } from '@tollgate/stream';
import type { DemoWallet, WalletCredentials } from '../api/types';
import { describeFailure } from './failure-reasons';

/** `pausing`: asked to pause, the chunk in flight still finishing. */
export type PaymentPhase =
  'connecting' | 'streaming' | 'pausing' | 'paused' | 'complete' | 'failed';

export interface PaymentSnapshot {
  phase: PaymentPhase;
  /** Source units (the wallet's asset) sent in fulfilled packets. */
  sent: bigint;
  /** Destination units (the invoice's asset) that arrived. */
  delivered: bigint;
  /** Destination units per source unit, once probed. */
  rate?: { num: bigint; den: bigint };
  /** Milliseconds spent streaming (paused time excluded), for the speed. */
  streamingMs: number;
  /** Why it failed, for people. */
  failure?: string;
}

export interface StreamPaymentOptions {
  btpUrl: string;
  spspUrl: string;
  wallet: WalletCredentials & Pick<DemoWallet, 'ilpAddress' | 'assetCode' | 'assetScale'>;
  /** Destination units still due on the invoice. */
  remaining: bigint;
  /** The payment goes in this many chunks (default 10). */
  chunks?: number;
  /** Breathing time between chunks, so progress is visible and pause has a place (ms). */
  chunkGapMs?: number;
  onChange: (snapshot: PaymentSnapshot) => void;
  /** Default: the platform WebSocket (tests in Node pass `ws`). */
  createWebSocket?: WebSocketFactory;
}

const ILP_TIMEOUT_MS = 30_000;

export class StreamPayment {
  private snapshot: PaymentSnapshot = {
    phase: 'connecting',
    sent: 0n,
    delivered: 0n,
    streamingMs: 0,
  };
  private pauseRequested = false;
  private resumeWaiter: (() => void) | undefined;
  private cancelled = false;
  private btp: BrowserBtpClient | undefined;
  private connection: StreamConnection | undefined;
  private segmentStart = 0;

  constructor(private readonly options: StreamPaymentOptions) {}

  get state(): PaymentSnapshot {
    return this.snapshot;
  }

  /** Runs the payment to its end state; never throws (failures end in phase `failed`). */
  async run(): Promise<PaymentSnapshot> {
    try {
      await this.pay();
    } catch (error) {
      this.update({ phase: 'failed', failure: describeFailure(error) });
    } finally {
      await this.close();
    }
    return this.snapshot;
  }

  /** Stops after the chunk in flight (money already sent stays paid). */
  pause(): void {
    if (this.snapshot.phase === 'streaming' || this.snapshot.phase === 'connecting') {
      this.pauseRequested = true;
      this.update({ phase: 'pausing' });
    }
  }

  resume(): void {
    this.pauseRequested = false;
    const waiter = this.resumeWaiter;
    this.resumeWaiter = undefined;
    waiter?.();
  }

  /** Ends the payment at the next chunk boundary (e.g. the page learned the invoice expired). */
  cancel(): void {
    this.cancelled = true;
    this.resume();
  }

  private async pay(): Promise<void> {
    const { wallet, remaining } = this.options;
    const spsp = await querySpsp(this.options.spspUrl, { allowInsecure: true });
    const btp = new BrowserBtpClient({
      url: this.options.btpUrl,
      username: wallet.id,
      token: wallet.token,
      createWebSocket: this.options.createWebSocket,
    });
    this.btp = btp;
    await btp.connect();
    const connection = await StreamConnection.create({
      crypto: new WebStreamCrypto(),
      sharedSecret: spsp.sharedSecret,
      destinationAddress: spsp.destinationAccount,
      sourceAddress: wallet.ilpAddress,
      assetCode: wallet.assetCode,
      assetScale: wallet.assetScale,
      sendPrepare: async (prepare) =>
        deserializeIlpReply(await btp.sendIlp(serializePrepare(prepare), ILP_TIMEOUT_MS)),
      // A customer is waiting: give up on a path that keeps refusing within seconds.
      maxConsecutiveFailures: 8,
      maxRetryDelayMs: 1_000,
    });
    this.connection = connection;
    btp.setIlpHandler(async (bytes) =>
      serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
    );

    const chunks = BigInt(Math.max(1, this.options.chunks ?? 10));
    const chunkSize = remaining / chunks + (remaining % chunks === 0n ? 0n : 1n);
    let streamId: number | undefined;
    this.startSegment();
    while (this.snapshot.delivered < remaining) {
      if (this.cancelled)
        return this.update({ phase: 'failed', failure: 'The payment was stopped.' });
      if (this.pauseRequested) await this.waitWhilePaused();
      if (this.cancelled) continue;
      const base = { sent: this.snapshot.sent, delivered: this.snapshot.delivered };
      const due = remaining - base.delivered;
      const result = await connection.pay({
        streamId,
        destinationAmount: due < chunkSize ? due : chunkSize,
        timeoutMs: ILP_TIMEOUT_MS,
        onProgress: (progress) =>
          this.update({
            phase: 'streaming',
            sent: base.sent + progress.sent,
            delivered: base.delivered + progress.delivered,
            rate: connection.exchangeRate,
          }),
      });
      streamId = result.streamId;
      this.update({
        phase: 'streaming',
        sent: base.sent + result.sent,
        delivered: base.delivered + result.delivered,
        rate: connection.exchangeRate,
      });
      if (result.reason === 'receive-max') break; // the invoice took all it will: paid
      if (result.reason !== 'complete') {
        return this.update({ phase: 'failed', failure: describeReason(result.reason) });
      }
      if (this.snapshot.delivered < remaining) await sleep(this.options.chunkGapMs ?? 250);
    }
    this.update({ phase: 'complete' });
  }

  private async waitWhilePaused(): Promise<void> {
    this.endSegment();
    this.update({ phase: 'paused' });
    await new Promise<void>((resolve) => {
      this.resumeWaiter = resolve;
      if (!this.pauseRequested) resolve();
    });
    this.startSegment();
    if (!this.cancelled) this.update({ phase: 'streaming' });
  }

  private startSegment(): void {
    this.segmentStart = Date.now();
  }

  private endSegment(): void {
    this.snapshot = {
      ...this.snapshot,
      streamingMs: this.snapshot.streamingMs + (Date.now() - this.segmentStart),
    };
    this.segmentStart = Date.now();
  }

  private update(changes: Partial<PaymentSnapshot>): void {
    const phase = this.snapshot.phase;
    if (phase === 'streaming' || phase === 'connecting' || phase === 'pausing') this.endSegment();
    const next = { ...this.snapshot, ...changes };
    // Progress of the last chunk must not hide that a pause is coming.
    if (this.pauseRequested && (next.phase === 'streaming' || next.phase === 'connecting')) {
      next.phase = 'pausing';
    }
    this.snapshot = next;
    this.options.onChange(this.snapshot);
  }

  private async close(): Promise<void> {
    try {
      await Promise.race([this.connection?.end(), sleep(2_000)]);
    } catch {
      // closing is best effort: the money already moved or it did not
    }
    this.btp?.close();
  }
}

function describeReason(reason: PayReason): string {
  return describeFailure(reason);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
