/**
 * One STREAM stream: money and data in both directions under one id (odd: opened by the
 * client, even: by the server).
 *
 * Money: `setSendMax` is the total this side wants to have sent (source units; the
 * connection sends up to it as the peer's receive max allows); `setReceiveMax` caps what
 * the peer may send (our units). Data: `write` queues bytes; incoming bytes come out in
 * order through the 'data' event (or `read()` when nobody listens), and only what the
 * application has taken frees window for the peer.
 *
 * Closing (no half-open): `end()` stops writes, lets queued data and in-flight money
 * finish, then sends StreamClose(NoError); `close(code, message)` stops at once. A
 * StreamClose from the peer closes both directions: bytes already delivered in order stay
 * readable, anything we had not sent is dropped, and no more money moves.
 */
import { MAX_UINT64 } from '@tollgate/ilp-core';
import { StreamProtocolError } from '../errors';
import { ErrorCode } from '../packet/frames';
import { Emitter } from '../util/emitter';
import { IncomingData } from './incoming-data';
import { concat, OutgoingData } from './outgoing-data';

export type StreamEvents = {
  /** In-order incoming bytes. */
  data: [Uint8Array];
  /** The peer closed the stream; no more data will come. */
  end: [];
  /** The stream is closed (with the error when it was not a NoError close). */
  close: [StreamProtocolError | undefined];
  /** Money arrived on this stream: the amount and the new total (our units). */
  money: [bigint, bigint];
  /** A fulfilled packet of ours moved money: source amount sent, amount delivered. */
  sent: [bigint, bigint];
  /** The peer's latest RFC 39 receipt for this stream. */
  receipt: [Uint8Array];
};

/** What a stream needs from its connection. */
export interface StreamHost {
  /** There may be something new to send. */
  wake(): void;
  /** The application took `bytes` of incoming data (frees connection-level window). */
  consumed(bytes: number): void;
  /** The stream reached the closed state. */
  streamClosed(stream: ConnectionStream): void;
}

export type StreamState = 'open' | 'ending' | 'closing' | 'closed';

export class ConnectionStream extends Emitter<StreamEvents> {
  /** @internal */ state: StreamState = 'open';
  /** @internal the peer closed it (no StreamClose needs to go back) */ remoteClosed = false;
  /** @internal StreamClose to send, once it is due */ closeCode: number = ErrorCode.NoError;
  /** @internal */ closeMessage = '';
  /** @internal a StreamClose is in an unanswered packet */ closeInFlight = false;
  private closeError: StreamProtocolError | undefined;

  // ---- money we send (source units, except the *Dest fields) ----
  private sendMaxValue = 0n;
  /** @internal fulfilled */ sent = 0n;
  /** @internal in packets not yet answered */ held = 0n;
  /** @internal estimated destination amount of `held` */ heldDest = 0n;
  /** @internal destination units this stream has delivered */ delivered = 0n;
  /** @internal optional destination-unit goal (fixed-delivery payments) */ deliveryTarget:
    bigint | undefined;
  /** @internal peer's receive max for this stream (its units) */ remoteReceiveMax = MAX_UINT64;
  /** @internal peer's total received, as it last told us */ remoteReceived = 0n;

  // ---- money we receive (our units) ----
  private receiveMaxValue: bigint;
  /** @internal */ received = 0n;
  /** @internal accepted by the checks, waiting for the application's answer */ incomingHeld = 0n;
  /** @internal what our last StreamMaxMoney said */ advertisedReceiveMax = -1n;
  /** @internal */ lastReceipt: Uint8Array | undefined;

  // ---- data ----
  /** @internal */ readonly incoming = new IncomingData();
  /** @internal */ readonly outgoing = new OutgoingData();
  /** @internal peer's max offset for this stream (RFC default unknown; 16 KiB assumed) */
  remoteMaxOffset = 16_384;
  /** @internal what our last StreamMaxData said */ advertisedMaxOffset = -1;
  /** Bytes the application has taken. */
  private consumedOffset = 0;
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private ended = false;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  /** @internal */
  constructor(
    readonly id: number,
    private readonly host: StreamHost,
    private readonly window: number,
    receiveMax: bigint,
  ) {
    super();
    this.receiveMaxValue = receiveMax;
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  // ---------------------------------------------------------------- money API

  /** Total (source units) this side has sent and had fulfilled. */
  get totalSent(): bigint {
    return this.sent;
  }

  /** Total delivered to the peer, in the peer's units (from the amounts its replies report). */
  get totalDelivered(): bigint {
    return this.delivered;
  }

  /** Total received on this stream, in our units. */
  get totalReceived(): bigint {
    return this.received;
  }

  get sendMax(): bigint {
    return this.sendMaxValue;
  }

  get receiveMax(): bigint {
    return this.receiveMaxValue;
  }

  /** The latest receipt the peer sent for this stream (RFC 39), if any. */
  get receipt(): Uint8Array | undefined {
    return this.lastReceipt;
  }

  /**
   * Sets the total amount (source units, cumulative over the stream's life) this side wants
   * to send. Lowering it below what is already sent is an error; lowering it below what is
   * in flight only stops further packets.
   */
  setSendMax(amount: bigint): void {
    if (typeof amount !== 'bigint' || amount < 0n || amount > MAX_UINT64) {
      throw new RangeError('sendMax must be a UInt64 bigint');
    }
    if (amount < this.sent) {
      throw new RangeError(`sendMax ${amount} is below the ${this.sent} already sent`);
    }
    this.sendMaxValue = amount;
    if (this.state === 'open') this.host.wake();
  }

  /** Sets the total (our units) the peer may send on this stream; advertised in replies. */
  setReceiveMax(amount: bigint): void {
    if (typeof amount !== 'bigint' || amount < 0n || amount > MAX_UINT64) {
      throw new RangeError('receiveMax must be a UInt64 bigint');
    }
    this.receiveMaxValue = amount;
    this.host.wake();
  }

  // ---------------------------------------------------------------- data API

  /** Queues bytes to send (copied). Throws once the stream is ending or closed. */
  write(data: Uint8Array): void {
    if (this.state !== 'open') {
      throw new StreamProtocolError(
        ErrorCode.StreamStateError,
        `stream ${this.id} is ${this.state}`,
      );
    }
    if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
    this.outgoing.write(data.slice());
    this.host.wake();
  }

  /** Takes everything delivered in order and not yet read (when no 'data' listener is set). */
  read(): Uint8Array | undefined {
    if (this.bufferedBytes === 0) return undefined;
    const out = concat(this.buffered, this.bufferedBytes);
    this.consume(this.bufferedBytes);
    this.buffered = [];
    this.bufferedBytes = 0;
    return out;
  }

  /** Resolves with all incoming bytes once the peer ends the stream (or it closes). */
  readAll(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    return new Promise((resolve) => {
      const finish = (): void => {
        this.off('data', onData);
        resolve(concat(parts));
      };
      const onData = (chunk: Uint8Array): void => {
        parts.push(chunk);
      };
      this.on('data', onData);
      if (this.ended || this.state === 'closed') {
        queueMicrotask(finish);
      } else {
        this.once('end', finish);
        this.once('close', finish);
      }
    });
  }

  override on<K extends keyof StreamEvents>(
    event: K,
    listener: (...args: StreamEvents[K]) => void,
  ): this {
    super.on(event, listener);
    if (event === 'data' && this.bufferedBytes > 0) {
      // hand over what arrived before anybody listened
      const pending = this.read();
      if (pending) this.emit('data', pending);
    }
    return this;
  }

  // ---------------------------------------------------------------- closing

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Resolves once the stream is closed. */
  closed(): Promise<void> {
    return this.closedPromise;
  }

  /**
   * Graceful close: no more writes and no new money; queued data and money already in flight
   * finish, then StreamClose(NoError) goes out. Resolves when the stream is closed.
   */
  end(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'ending';
      // money already in flight settles; no new money starts
      this.sendMaxValue = this.sent + this.held;
      this.deliveryTarget = undefined;
      this.host.wake();
    }
    return this.closedPromise;
  }

  /** Closes at once: unsent data is dropped and StreamClose(code, message) goes out. */
  close(code: number = ErrorCode.NoError, message = ''): Promise<void> {
    if (this.state === 'open' || this.state === 'ending') {
      this.closeCode = code;
      this.closeMessage = message;
      this.outgoing.discard();
      this.sendMaxValue = this.sent + this.held;
      this.deliveryTarget = undefined;
      this.state = 'closing';
      if (code !== ErrorCode.NoError) this.closeError = new StreamProtocolError(code, message);
      this.host.wake();
    }
    return this.closedPromise;
  }

  // ---------------------------------------------------------------- connection side

  /** @internal highest offset the peer may send up to */
  maxAcceptableOffset(): number {
    return this.consumedOffset + this.window;
  }

  /** @internal Source amount this stream wants to send now, before rate/receive-max caps. */
  wantsToSend(): bigint {
    if (this.state === 'closing' || this.state === 'closed' || this.remoteClosed) return 0n;
    const left = this.sendMaxValue - this.sent - this.held;
    return left > 0n ? left : 0n;
  }

  /** @internal `end()` was called and everything outgoing has settled. */
  readyToClose(): boolean {
    return this.state === 'ending' && this.outgoing.drained && this.held === 0n;
  }

  /** @internal bytes that became contiguous */
  deliver(parts: Uint8Array[]): void {
    for (const part of parts) {
      if (this.listenerCount('data') > 0) {
        this.consume(part.length);
        this.emit('data', part);
      } else {
        this.buffered.push(part);
        this.bufferedBytes += part.length;
      }
    }
  }

  private consume(bytes: number): void {
    this.consumedOffset += bytes;
    this.host.consumed(bytes);
    // a window that grew by half is worth telling the peer about unprompted
    if (this.maxAcceptableOffset() - this.advertisedMaxOffset >= this.window / 2) this.host.wake();
  }

  /** @internal money arrived */
  credit(amount: bigint): void {
    this.received += amount;
    this.emit('money', amount, this.received);
  }

  /** @internal a fulfilled packet of ours carried `amount` and delivered `deliveredAmount` */
  settleSent(amount: bigint, deliveredAmount: bigint): void {
    this.sent += amount;
    this.delivered += deliveredAmount;
    this.emit('sent', amount, deliveredAmount);
  }

  /** @internal */
  setReceipt(receipt: Uint8Array): void {
    this.lastReceipt = receipt.slice();
    this.emit('receipt', this.lastReceipt);
  }

  /** @internal the peer closed this stream */
  remoteClose(code: number, message: string): void {
    if (this.state === 'closed') return;
    this.remoteClosed = true;
    this.outgoing.discard();
    this.sendMaxValue = this.sent + this.held;
    this.deliveryTarget = undefined;
    this.finish(
      code === ErrorCode.NoError ? undefined : new StreamProtocolError(code, message, true),
    );
  }

  /** @internal final state: emits 'end' (once) and 'close' */
  finish(error?: StreamProtocolError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.outgoing.discard();
    this.closeError ??= error;
    if (!this.ended) {
      this.ended = true;
      this.emit('end');
    }
    this.emit('close', this.closeError);
    this.host.streamClosed(this);
    this.resolveClosed();
  }

  /** Why the stream closed, if it closed with an error. */
  get error(): StreamProtocolError | undefined {
    return this.closeError;
  }
}
