/**
 * Pays one `<link rel="monetization">` the way a Web Monetization agent does: it queries the
 * link's href (SPSP), opens a STREAM connection over BTP as the visitor's wallet account, and
 * sends a fixed amount per second of *visible* time in small steps on one stream. Each
 * fulfilled packet that moved money becomes a `monetization` event at the link, with the
 * receiver's receipt. Hidden time costs nothing: `pause()` stops the clock and the steps,
 * `resume()` carries on (reconnecting if the connection went idle meanwhile).
 *
 * Steps are paid at their start: the first step goes out as soon as the connection is up,
 * so the receiver has money before the first second is read (the server's paywall releases
 * text only against money it has seen). After `t` visible milliseconds the payer has asked
 * for `rate × (⌊t / step⌋ + 1) × step / 1000`, i.e. at most one step ahead of the clock.
 */
import { BrowserBtpClient, type WebSocketFactory } from '@tollgate/btp/browser';
import {
  deserializeIlpReply,
  deserializePrepare,
  serializeIlpPacket,
  serializePrepare,
  toBase64,
} from '@tollgate/ilp-core';
import { querySpsp } from '@tollgate/spsp';
import { StreamConnection, WebStreamCrypto, type ConnectionStream } from '@tollgate/stream';
import { describeFailure } from '../payment/failure-reasons';
import {
  MONETIZATION_EVENT,
  PolyfilledMonetizationEvent,
  pointerOfUrl,
} from './monetization-event';

/** The account the agent pays from: a BTP child of the node (e.g. the demo wallet). */
export interface MonetizationWallet {
  btpUrl: string;
  accountId: string;
  token: string;
  ilpAddress: string;
  assetCode: string;
  assetScale: number;
}

export type PayerPhase =
  | 'connecting'
  | 'streaming'
  | 'paused'
  /** The receiver takes no more (a per-view price is paid). */
  | 'complete'
  | 'failed'
  | 'stopped';

export interface PayerSnapshot {
  phase: PayerPhase;
  /** Receiver's units delivered so far by this payer. */
  delivered: bigint;
  /** Visible milliseconds paid for (the clock that drives the steps). */
  visibleMs: number;
  failure?: string;
}

export interface LinkPayerOptions {
  link: HTMLLinkElement;
  wallet: MonetizationWallet;
  /** Receiver's base units per second of visible time. */
  ratePerSecond: bigint;
  /** Step length in ms (default 1000): one payment per step. */
  stepMs?: number;
  onChange?: (snapshot: PayerSnapshot) => void;
  /** Default: the platform `WebSocket`. Tests in Node pass `ws`. */
  createWebSocket?: WebSocketFactory;
}

const ILP_TIMEOUT_MS = 20_000;
const TICK_MS = 100;
/** Temporary failures in a row before the payer gives up. */
const MAX_FAILURES = 5;

export class LinkPayer {
  private snapshot: PayerSnapshot = { phase: 'connecting', delivered: 0n, visibleMs: 0 };
  private btp: BrowserBtpClient | undefined;
  private connection: StreamConnection | undefined;
  private stream: ConnectionStream | undefined;
  private connecting: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** performance.now() when the visible clock last started; undefined while it is stopped. */
  private clockStart: number | undefined;
  /** Visible milliseconds before the clock's current run. */
  private accumulatedMs = 0;
  /** Receiver's units this payer has had delivered (across reconnections). */
  private requested = 0n;
  private paying = false;
  private failures = 0;
  private readonly stepMs: number;
  private readonly pointer: string;

  constructor(private readonly options: LinkPayerOptions) {
    this.stepMs = Math.max(50, Math.trunc(options.stepMs ?? 1_000));
    this.pointer = pointerOfUrl(options.link.href);
  }

  get state(): PayerSnapshot {
    return this.snapshot;
  }

  /** Starts (or resumes) paying; safe to call repeatedly. */
  resume(): void {
    const { phase } = this.snapshot;
    if (phase === 'complete' || phase === 'failed' || phase === 'stopped') return;
    if (this.clockStart !== undefined) return;
    this.update({ phase: this.connection ? 'streaming' : 'connecting' });
    void this.ensureConnected().then(
      () => {
        if (this.snapshot.phase !== 'connecting' && this.snapshot.phase !== 'streaming') return;
        if (this.clockStart !== undefined) return; // an earlier resume() got here first
        this.clockStart = performance.now();
        this.update({ phase: 'streaming' });
        this.timer ??= setInterval(() => this.tick(), TICK_MS);
        this.tick();
      },
      (error: unknown) => this.fail(error, 'error'),
    );
  }

  /** Stops the clock and the steps (a payment in flight still lands). */
  pause(): void {
    this.stopClock();
    if (this.snapshot.phase === 'streaming' || this.snapshot.phase === 'connecting') {
      this.update({ phase: 'paused' });
    }
  }

  /** Ends for good: the link is gone or the page is going away. */
  stop(): void {
    this.stopClock();
    if (this.snapshot.phase !== 'failed' && this.snapshot.phase !== 'complete') {
      this.update({ phase: 'stopped' });
    }
    this.disconnect();
  }

  private stopClock(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.clockStart !== undefined) {
      this.accumulatedMs += performance.now() - this.clockStart;
      this.clockStart = undefined;
    }
  }

  private visibleMs(): number {
    const running = this.clockStart === undefined ? 0 : performance.now() - this.clockStart;
    return this.accumulatedMs + running;
  }

  private tick(): void {
    if (this.paying || this.clockStart === undefined) return;
    if (!this.stream) {
      // Dropped after a failed step or a lost socket: reconnect, then pay on a later tick.
      this.paying = true;
      void this.ensureConnected()
        .catch((error: unknown) => {
          if (++this.failures >= MAX_FAILURES) this.fail(error, 'error');
        })
        .finally(() => {
          this.paying = false;
        });
      return;
    }
    const steps = BigInt(Math.floor(this.visibleMs() / this.stepMs) + 1);
    const target = (this.options.ratePerSecond * steps * BigInt(this.stepMs)) / 1000n;
    const due = target - this.requested;
    if (due <= 0n) return;
    this.paying = true;
    void this.pay(due).finally(() => {
      this.paying = false;
    });
  }

  private async pay(amount: bigint): Promise<void> {
    const connection = this.connection;
    const stream = this.stream;
    if (!connection || !stream) return;
    if (connection.isClosed) {
      // Idle timeout while hidden, or the receiver ended it: start a fresh connection.
      this.disconnect();
      await this.ensureConnected().catch((error: unknown) => this.fail(error, 'error'));
      return;
    }
    let result;
    try {
      result = await connection.pay({
        streamId: stream.id,
        destinationAmount: amount,
        timeoutMs: ILP_TIMEOUT_MS,
      });
    } catch (error) {
      // The receiver closed the stream, or the connection broke under us: start over.
      if (++this.failures >= MAX_FAILURES) this.fail(error, 'error');
      else this.disconnect();
      return;
    }
    this.requested += result.delivered;
    if (result.reason === 'complete') {
      this.failures = 0;
      return;
    }
    if (result.reason === 'receive-max') {
      this.stopClock();
      this.update({ phase: 'complete' });
      this.disconnect();
      return;
    }
    // T04 means the wallet is empty: no point retrying. Anything else may pass on a retry,
    // over a fresh connection (new SPSP details, new socket) from the next step on.
    if (result.reason === 'rejected:T04' || ++this.failures >= MAX_FAILURES) {
      this.fail(result.reason, 'error');
    } else {
      this.disconnect();
    }
  }

  private ensureConnected(): Promise<void> {
    if (this.connection && !this.connection.isClosed && this.stream) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const { wallet, link } = this.options;
    const spsp = await querySpsp(link.href, { allowInsecure: true });
    if (this.ended()) return;
    const btp = new BrowserBtpClient({
      url: wallet.btpUrl,
      username: wallet.accountId,
      token: wallet.token,
      createWebSocket: this.options.createWebSocket,
    });
    this.btp = btp;
    // A socket that drops (server restart, network change) is replaced on the next step.
    btp.onClose(() => {
      if (this.btp === btp) this.disconnect();
    });
    try {
      await this.open(btp, spsp.sharedSecret, spsp.destinationAccount);
    } catch (error) {
      if (this.btp === btp) this.disconnect();
      throw error;
    }
    // Stopped while the connection was being set up: it is not wanted any more.
    if (this.ended()) this.disconnect();
    else link.dispatchEvent(new Event('load'));
  }

  private ended(): boolean {
    const { phase } = this.snapshot;
    return phase === 'stopped' || phase === 'failed' || phase === 'complete';
  }

  private async open(
    btp: BrowserBtpClient,
    sharedSecret: Uint8Array,
    destinationAddress: string,
  ): Promise<void> {
    const { wallet } = this.options;
    await btp.connect();
    const connection = await StreamConnection.create({
      crypto: new WebStreamCrypto(),
      sharedSecret,
      destinationAddress,
      sourceAddress: wallet.ilpAddress,
      assetCode: wallet.assetCode,
      assetScale: wallet.assetScale,
      sendPrepare: async (prepare) =>
        deserializeIlpReply(await btp.sendIlp(serializePrepare(prepare), ILP_TIMEOUT_MS)),
      maxConsecutiveFailures: 8,
      maxRetryDelayMs: 1_000,
    });
    btp.setIlpHandler(async (bytes) =>
      serializeIlpPacket(await connection.handlePrepare(deserializePrepare(bytes))),
    );
    await connection.connect();
    const stream = connection.createStream();
    stream.on('sent', (_source, delivered) => this.delivered(connection, stream, delivered));
    this.connection = connection;
    this.stream = stream;
  }

  /** One fulfilled packet: count it and tell the page, receipt included. */
  private delivered(connection: StreamConnection, stream: ConnectionStream, amount: bigint) {
    if (amount <= 0n) return;
    this.update({ delivered: this.snapshot.delivered + amount });
    const receipt = stream.receipt;
    this.options.link.dispatchEvent(
      new PolyfilledMonetizationEvent(MONETIZATION_EVENT, {
        amount: amount.toString(),
        assetCode: connection.remoteAssetCode ?? '',
        assetScale: connection.remoteAssetScale ?? 0,
        receipt: receipt ? toBase64(receipt) : null,
        paymentPointer: this.pointer,
      }),
    );
  }

  private fail(cause: unknown, event: 'error'): void {
    this.stopClock();
    this.update({ phase: 'failed', failure: describeFailure(cause) });
    this.disconnect();
    this.options.link.dispatchEvent(new Event(event));
  }

  private disconnect(): void {
    const connection = this.connection;
    const btp = this.btp;
    this.connection = undefined;
    this.stream = undefined;
    this.btp = undefined;
    if (connection && !connection.isClosed) {
      // Best effort: tell the receiver we are done, then drop the socket either way.
      void Promise.race([connection.end(), sleep(1_000)])
        .catch(() => undefined)
        .finally(() => btp?.close());
    } else {
      btp?.close();
    }
  }

  private update(changes: Partial<PayerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes, visibleMs: this.visibleMs() };
    this.options.onChange?.(this.snapshot);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
