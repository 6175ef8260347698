/**
 * A STREAM connection (RFC 29): the same class on both sides. It answers the peer's
 * Prepares ({@link StreamConnection.handlePrepare}) and sends its own through the
 * `sendPrepare` transport it was given.
 *
 * Receiving, per Prepare: decrypt (else F06) → check the ILP packet type (else F06) →
 * refuse a sequence seen before (replay window) → open new streams (parity, max id) →
 * apply frames (data, windows, closes…) → money: amount ≥ the sender's minimum, condition
 * matches (else it is a probe), shares split pro rata with the remainder to the lowest
 * stream with room, each share within its stream's receive max, the application agrees →
 * Fulfill; otherwise F99 whose encrypted reply says what arrived and why (frames).
 *
 * Sending: one loop assembles packets from queued control frames, window advertisements,
 * stream closes, money (after an exchange-rate probe) and data, with up to `maxInFlight`
 * packets at once, and reacts to the replies: F08 → smaller packets, T04 → cut by a third
 * and back off, other T/R → back off and retry, F99 → read the receiver's frames, other F →
 * stop. See `pay()` for payments with a goal and a final result.
 */
import {
  IlpErrorCode,
  IlpPacketType,
  MAX_DATA_LENGTH,
  MAX_UINT64,
  constantTimeEqual,
  isValidIlpAddress,
  type IlpPrepare,
  type IlpReject,
  type IlpReply,
} from '@tollgate/ilp-core';
import { ENCRYPTION_OVERHEAD } from '../crypto/stream-crypto';
import { StreamKeys } from '../crypto/stream-keys';
import { StreamProtocolError } from '../errors';
import {
  ErrorCode,
  Frame,
  FrameType,
  StreamCloseFrame,
  StreamMaxMoneyFrame,
  StreamMoneyFrame,
} from '../packet/frames';
import {
  deserializeStreamPacket,
  serializeStreamPacket,
  StreamPacket,
  streamPacketSize,
} from '../packet/stream-packet';
import { createReceipt } from '../receipt/receipt';
import { PacketSizer } from '../sender/packet-sizer';
import { PayOptions, PayReason, PayResult } from '../sender/payment';
import { Emitter } from '../util/emitter';
import {
  Rational,
  compare,
  complement,
  countDigits,
  divideCeil,
  divideFloor,
  multiply,
  multiplyFloor,
  rational,
  rationalToString,
  toRational,
} from '../util/rational';
import { sleep, TimerHandle, unrefTimer } from '../util/timers';
import { DEFAULTS, SendPrepare, ShouldAccept, StreamConnectionOptions } from './connection-options';
import { ConnectionStream, StreamHost } from './connection-stream';
import { DataChunk } from './outgoing-data';
import { ReplayWindow } from './replay-window';
import { splitAmount } from './money-split';

/** Largest STREAM plaintext that fits ILP data once encrypted. */
export const MAX_PLAINTEXT_LENGTH = MAX_DATA_LENGTH - ENCRYPTION_OVERHEAD;
/** Sequences stay below 2^31: both sides use one key, and RFC 29 caps packets per key. */
export const MAX_SEQUENCE = 2 ** 31;
const PROBE_AMOUNTS = [1n, 1_000n, 1_000_000n, 1_000_000_000n, 1_000_000_000_000n];
const MAX_PROBE_VOLLEYS = 15;
/** Smallest windows we advertise: what peers assume before they hear from us. */
export const MIN_STREAM_WINDOW = 16_384;
export const MIN_CONNECTION_WINDOW = 65_534;
/** Worst-case bytes of a StreamData frame besides its data. */
const DATA_FRAME_OVERHEAD = 1 + 3 + 9 + 9 + 3;

export type ConnectionEvents = {
  /** The first encrypted round trip with the peer succeeded. */
  connect: [];
  /** The peer opened a stream. */
  stream: [ConnectionStream];
  /** Money arrived: stream, amount, the stream's new total (our units). */
  money: [ConnectionStream, bigint, bigint];
  /** The connection closed (with the reason when it was not a NoError close). */
  close: [Error | undefined];
};

interface MoneyPart {
  stream: ConnectionStream;
  amount: bigint;
  estimatedDestination: bigint;
}

interface OutgoingPacket {
  sequence: bigint;
  amount: bigint;
  minDestination: bigint;
  frames: Frame[];
  money: MoneyPart[];
  data: { stream: ConnectionStream; chunk: DataChunk }[];
  closes: ConnectionStream[];
  /** Control frames to queue again if the peer never saw them. */
  oneShot: Frame[];
  adverts: { stream: ConnectionStream; receiveMax?: bigint; maxOffset?: number }[];
  handshake: boolean;
  connectionClose: boolean;
  /** Holds were released or committed. */
  settled?: boolean;
}

interface ParsedReply {
  reply: IlpReply;
  /** The peer's encrypted answer, when it decrypted and matched the request. */
  packet: StreamPacket | undefined;
}

interface PaymentState {
  stream: ConnectionStream;
  startSent: bigint;
  startDelivered: bigint;
  sourceGoal: bigint | undefined;
  destinationGoal: bigint | undefined;
  sourceLimit: bigint | undefined;
  deadline: number | undefined;
  timer: TimerHandle | undefined;
  fulfilled: number;
  rejected: number;
  onProgress: PayOptions['onProgress'];
  stopping: PayReason | undefined;
  resolve: (result: PayResult) => void;
  listener: () => void;
}

type ConnectionState = 'open' | 'ending' | 'closed';

function rejectPacket(code: string, triggeredBy: string, data?: Uint8Array): IlpReject {
  return {
    type: IlpPacketType.Reject,
    code,
    triggeredBy,
    message: '',
    data: data ?? new Uint8Array(0),
  };
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Stream id, offset etc. as a safe number, or Infinity when it cannot be one. */
function toSafeNumber(value: bigint): number {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Infinity;
}

export class StreamConnection extends Emitter<ConnectionEvents> implements StreamHost {
  readonly isServer: boolean;
  readonly connectionTag: string | undefined;
  readonly assetCode: string | undefined;
  readonly assetScale: number | undefined;
  /** Our address as told to the peer. */
  readonly sourceAddress: string | undefined;
  private destination: string | undefined;
  private remoteAsset: { code: string; scale: number } | undefined;

  private readonly sendPrepareFn: SendPrepare | undefined;
  private readonly shouldAccept: ShouldAccept | undefined;
  private readonly receipts: { nonce: Uint8Array; secret: Uint8Array } | undefined;
  private readonly streamWindow: number;
  private readonly connectionWindow: number;
  private readonly defaultReceiveMax: bigint;
  private readonly tolerance: Rational;
  private readonly slippageFactor: Rational;
  private readonly minRateDigits: number;
  private readonly maxInFlight: number;
  private readonly packetExpiryMs: number;
  private readonly idleTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxConsecutiveFailures: number;
  private readonly padPackets: boolean;

  private readonly streams = new Map<number, ConnectionStream>();
  private readonly closedStreamIds = new Set<number>();
  private nextStreamId: number;
  /** Highest stream id the peer may open. */
  private maxStreamId: number;
  /** Highest stream id we may open. */
  private remoteMaxStreamId: number;
  private nextSequence = 1;
  private readonly replay = new ReplayWindow();
  private queuedFrames: Frame[] = [];

  private state: ConnectionState = 'open';
  private closeError: Error | undefined;
  private remoteClosed = false;
  private connected = false;
  private handshakeInFlight = false;
  private connectWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  // flow control (sums over open streams, as ilp-protocol-stream counts them)
  private remoteConnectionMaxData = 16_384;
  private advertisedConnectionMaxData = -1;

  // money totals
  private totalSentAmount = 0n;
  private totalDeliveredAmount = 0n;
  private totalReceivedAmount = 0n;

  // sender state
  private exchangeRateValue: Rational | undefined;
  private readonly sizer: PacketSizer;
  private moneyFailure: PayReason | undefined;
  private inFlight = 0;
  private looping = false;
  private loopScheduled = false;
  private wakeRequested = false;
  private changeWaiters: (() => void)[] = [];
  private backoffUntil = 0;
  private backoffDelay: number;
  private consecutiveFailures = 0;
  private blockedPingAt = 0;
  private blockedPingDelay = 250;
  private blockedTimer: TimerHandle | undefined;
  private readonly payments = new Set<PaymentState>();
  private readonly minRates = new Map<ConnectionStream, Rational>();

  private lastActivity = Date.now();
  private idleTimer: TimerHandle | undefined;

  private constructor(
    private readonly keys: StreamKeys,
    options: StreamConnectionOptions,
  ) {
    super();
    this.isServer = options.isServer ?? false;
    this.connectionTag = options.connectionTag;
    this.assetCode = options.assetCode;
    this.assetScale = options.assetScale;
    this.sourceAddress = options.sourceAddress;
    this.destination = options.destinationAddress;
    this.sendPrepareFn = options.sendPrepare;
    this.shouldAccept = options.shouldAccept;
    this.receipts = options.receipts;
    // peers send this much before they hear our windows (ilp-protocol-stream assumes 16 KiB
    // per stream and 65 534 bytes per connection), so smaller windows cannot be enforced
    this.streamWindow = Math.max(MIN_STREAM_WINDOW, options.streamWindow ?? DEFAULTS.streamWindow);
    this.connectionWindow = Math.max(
      MIN_CONNECTION_WINDOW,
      options.connectionWindow ?? DEFAULTS.connectionWindow,
    );
    this.defaultReceiveMax = options.defaultReceiveMax ?? MAX_UINT64;
    this.tolerance = toRational(options.receiveMaxTolerance ?? 0, 'receiveMaxTolerance');
    const slippage = toRational(options.slippage ?? DEFAULTS.slippage, 'slippage');
    if (slippage.num > slippage.den) throw new RangeError('slippage must be at most 1');
    this.slippageFactor = complement(slippage);
    this.minRateDigits = options.minRateDigits ?? DEFAULTS.minRateDigits;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULTS.maxInFlight);
    this.packetExpiryMs = options.packetExpiryMs ?? DEFAULTS.packetExpiryMs;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULTS.retryDelayMs;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs;
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? DEFAULTS.maxConsecutiveFailures;
    this.padPackets = options.padPackets ?? false;
    this.backoffDelay = this.retryDelayMs;
    this.sizer = new PacketSizer(options.maxPacketAmount);
    this.nextStreamId = this.isServer ? 2 : 1;
    this.maxStreamId = 2 * (options.maxRemoteStreams ?? DEFAULTS.maxRemoteStreams);
    this.remoteMaxStreamId = 2 * DEFAULTS.maxRemoteStreams;
    if (this.sourceAddress !== undefined && !isValidIlpAddress(this.sourceAddress)) {
      throw new RangeError(`invalid source address ${this.sourceAddress}`);
    }
    if (this.destination !== undefined && !isValidIlpAddress(this.destination)) {
      throw new RangeError(`invalid destination address ${this.destination}`);
    }
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    this.startIdleTimer();
  }

  /** Derives the keys (once) and builds a connection. Throws InvalidSharedSecretError. */
  static async create(options: StreamConnectionOptions): Promise<StreamConnection> {
    const keys = await StreamKeys.fromSharedSecret(options.crypto, options.sharedSecret);
    return new StreamConnection(keys, options);
  }

  /** @internal for the server, which derived the keys already */
  static fromKeys(keys: StreamKeys, options: StreamConnectionOptions): StreamConnection {
    return new StreamConnection(keys, options);
  }

  // ================================================================ public state

  get destinationAddress(): string | undefined {
    return this.destination;
  }

  get remoteAssetCode(): string | undefined {
    return this.remoteAsset?.code;
  }

  get remoteAssetScale(): number | undefined {
    return this.remoteAsset?.scale;
  }

  /** Source units sent in fulfilled packets. */
  get totalSent(): bigint {
    return this.totalSentAmount;
  }

  /** Destination units the peer reported arriving in fulfilled packets. */
  get totalDelivered(): bigint {
    return this.totalDeliveredAmount;
  }

  /** Our units received in packets we fulfilled. */
  get totalReceived(): bigint {
    return this.totalReceivedAmount;
  }

  /** The probed rate (destination units per source unit), if known. */
  get exchangeRate(): Rational | undefined {
    return this.exchangeRateValue;
  }

  /** The largest packet amount the path is known to carry (2^64 − 1 when unknown). */
  get maxPacketAmount(): bigint {
    return this.sizer.maxPacketAmount;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Why the connection closed, when it closed with an error. */
  get error(): Error | undefined {
    return this.closeError;
  }

  getStream(id: number): ConnectionStream | undefined {
    return this.streams.get(id);
  }

  get openStreams(): ConnectionStream[] {
    return [...this.streams.values()];
  }

  /** Resolves once the connection is closed. */
  closed(): Promise<void> {
    return this.closedPromise;
  }

  // ================================================================ opening

  /**
   * Client side: tells the peer our address and asset (one packet, no money) and resolves
   * on the first encrypted reply. Rejects if the peer refuses or the connection closes.
   */
  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    if (this.state === 'closed') {
      return Promise.reject(this.closeError ?? new Error('connection is closed'));
    }
    if (this.destination === undefined || this.sendPrepareFn === undefined) {
      return Promise.reject(new Error('connection has no destination address or sendPrepare'));
    }
    return new Promise((resolve, reject) => {
      this.connectWaiters.push({ resolve, reject });
      this.wake();
    });
  }

  /** Opens a stream with the next id of our parity. Throws StreamIdError past the peer's max. */
  createStream(): ConnectionStream {
    if (this.state !== 'open') {
      throw new StreamProtocolError(ErrorCode.StreamStateError, 'connection is not open');
    }
    const id = this.nextStreamId;
    if (id > this.remoteMaxStreamId) {
      this.queuedFrames.push({
        type: FrameType.ConnectionStreamIdBlocked,
        maxStreamId: BigInt(id),
      });
      this.wake();
      throw new StreamProtocolError(
        ErrorCode.StreamIdError,
        `stream ${id} would exceed the peer's max stream id ${this.remoteMaxStreamId}`,
      );
    }
    this.nextStreamId += 2;
    const stream = new ConnectionStream(id, this, this.streamWindow, this.defaultReceiveMax);
    this.streams.set(id, stream);
    return stream;
  }

  // ================================================================ StreamHost

  /** @internal something may be sendable */
  wake(): void {
    this.signal();
    if (this.looping) {
      this.wakeRequested = true;
      return;
    }
    if (this.loopScheduled || this.state === 'closed') return;
    if (this.sendPrepareFn === undefined || this.destination === undefined) return;
    // start on a microtask: never re-enter the loop from inside packet handling
    this.loopScheduled = true;
    queueMicrotask(() => {
      this.loopScheduled = false;
      if (this.looping || this.state === 'closed') return;
      this.looping = true;
      void this.loop()
        .catch((error: unknown) =>
          this.fail(error instanceof Error ? error : new Error(String(error)), true),
        )
        .finally(() => {
          this.looping = false;
          if (this.wakeRequested) {
            this.wakeRequested = false;
            this.wake();
          }
        });
    });
  }

  /** @internal */
  consumed(_bytes: number): void {
    // connection-level window is recomputed from the streams when advertised
  }

  /** @internal */
  streamClosed(stream: ConnectionStream): void {
    this.streams.delete(stream.id);
    this.closedStreamIds.add(stream.id);
    this.minRates.delete(stream);
    const remoteOpened = stream.id % 2 === (this.isServer ? 1 : 0);
    if (remoteOpened && this.state === 'open') {
      // let the peer open another one in its place
      this.maxStreamId += 2;
      this.queuedFrames.push({
        type: FrameType.ConnectionMaxStreamId,
        maxStreamId: BigInt(this.maxStreamId),
      });
    }
    this.checkPayments();
    this.signal();
  }

  // ================================================================ receiving

  /**
   * The entry for the peer's Prepares (the ILP handler for this connection). Always
   * resolves with a Fulfill or a Reject, never throws.
   */
  async handlePrepare(prepare: IlpPrepare): Promise<IlpReply> {
    try {
      const plaintext = await this.keys.decrypt(prepare.data);
      if (plaintext === undefined) return this.plainReject(IlpErrorCode.F06_UNEXPECTED_PAYMENT);
      let packet: StreamPacket;
      try {
        packet = deserializeStreamPacket(plaintext);
      } catch {
        return this.plainReject(IlpErrorCode.F06_UNEXPECTED_PAYMENT);
      }
      return await this.handleDecrypted(prepare, packet);
    } catch {
      return this.plainReject(IlpErrorCode.T00_INTERNAL_ERROR);
    }
  }

  private plainReject(code: string): IlpReject {
    return rejectPacket(code, this.sourceAddress ?? '');
  }

  /** @internal a Prepare whose data decrypted and parsed (the server decrypts first) */
  async handleDecrypted(prepare: IlpPrepare, packet: StreamPacket): Promise<IlpReply> {
    if (packet.ilpPacketType !== IlpPacketType.Prepare) {
      return this.plainReject(IlpErrorCode.F06_UNEXPECTED_PAYMENT);
    }
    const fulfillment = await this.keys.fulfillmentFor(prepare.data, prepare.executionCondition);
    this.bumpIdle();
    const sequence = packet.sequence;
    const replyFrames: Frame[] = [];
    const refuse = (): Promise<IlpReply> => this.reply(sequence, prepare.amount, replyFrames);

    if (this.state === 'closed') {
      if (!this.remoteClosed) replyFrames.push(this.connectionCloseFrame());
      return refuse();
    }
    if (sequence >= BigInt(MAX_SEQUENCE)) {
      this.fail(
        new StreamProtocolError(ErrorCode.ProtocolViolation, 'peer exceeded 2^31 packets'),
        true,
      );
      replyFrames.push(this.connectionCloseFrame());
      return refuse();
    }
    if (!this.replay.accept(Number(sequence))) {
      // a Prepare seen before (or too old to tell): never act on it twice
      return refuse();
    }

    try {
      this.openRemoteStreams(packet.frames, replyFrames);
      this.applyFrames(packet.frames, 'prepare', replyFrames);
    } catch (error) {
      if (!(error instanceof StreamProtocolError)) throw error;
      this.fail(error, true);
      replyFrames.push(this.connectionCloseFrame());
      return refuse();
    }
    if (this.isClosed) return refuse(); // the peer closed the connection

    const amount = prepare.amount;
    if (amount < packet.prepareAmount || fulfillment === undefined) return refuse();

    const credited: { stream: ConnectionStream; amount: bigint }[] = [];
    if (amount > 0n) {
      const moneyFrames = packet.frames.filter(
        (f): f is StreamMoneyFrame => f.type === FrameType.StreamMoney,
      );
      const shares: { streamId: number; shares: bigint; room: bigint }[] = [];
      for (const frame of moneyFrames) {
        const id = toSafeNumber(frame.streamId);
        const stream = this.streams.get(id);
        if (stream === undefined || stream.state === 'closing' || stream.state === 'closed') {
          if (
            !replyFrames.some(
              (f) => f.type === FrameType.StreamClose && f.streamId === frame.streamId,
            )
          ) {
            replyFrames.push({
              type: FrameType.StreamClose,
              streamId: frame.streamId,
              errorCode: ErrorCode.StreamStateError,
              errorMessage: 'stream is closed',
            });
          }
          return refuse();
        }
        shares.push({ streamId: id, shares: frame.shares, room: this.receiveRoom(stream) });
      }
      const split = splitAmount(amount, shares).filter((s) => s.amount > 0n);
      if (split.length === 0) return refuse(); // money with no stream to take it
      for (const { streamId, amount: share } of split) {
        const stream = this.streams.get(streamId) as ConnectionStream;
        if (share > this.receiveRoom(stream, true)) return refuse(); // reply tells its max
      }
      // reserve, so packets handled concurrently cannot both take the same room
      for (const { streamId, amount: share } of split) {
        const stream = this.streams.get(streamId) as ConnectionStream;
        stream.incomingHeld += share;
        credited.push({ stream, amount: share });
      }
      let accepted = true;
      if (this.shouldAccept) {
        const hook = this.shouldAccept;
        const answers = await Promise.all(
          credited.map(({ stream, amount: share }) =>
            Promise.resolve()
              .then(() => hook(share, stream, this))
              .catch(() => false),
          ),
        );
        accepted = answers.every((answer) => answer === true);
      }
      for (const { stream, amount: share } of credited) stream.incomingHeld -= share;
      if (!accepted || this.isClosed) {
        if (accepted === false) {
          for (const { stream } of credited) {
            // refused: advertise that nothing more is taken beyond what is in
            const cap = stream.totalReceived + stream.incomingHeld;
            if (cap < stream.receiveMax) stream.setReceiveMax(cap);
          }
        }
        return refuse();
      }
      for (const { stream, amount: share } of credited) {
        stream.credit(share);
        this.emit('money', stream, share, stream.totalReceived);
      }
      this.totalReceivedAmount += amount;
    }

    const receiptFrames: Frame[] = [];
    if (this.receipts) {
      for (const { stream } of credited) {
        if (stream.id > 255) continue; // the receipt's stream id is one byte
        receiptFrames.push({
          type: FrameType.StreamReceipt,
          streamId: BigInt(stream.id),
          receipt: await createReceipt(this.keys.crypto, {
            nonce: this.receipts.nonce,
            secret: this.receipts.secret,
            streamId: stream.id,
            totalReceived: stream.totalReceived,
          }),
        });
      }
    }
    return this.reply(sequence, amount, [...replyFrames, ...receiptFrames], fulfillment);
  }

  /** What `stream` may still take (our units), with the tolerance when `lenient`. */
  private receiveRoom(stream: ConnectionStream, lenient = false): bigint {
    const max = stream.receiveMax;
    if (max >= MAX_UINT64) return MAX_UINT64;
    const extra = lenient ? multiplyFloor(max, this.tolerance) : 0n;
    const room = max + extra - stream.totalReceived - stream.incomingHeld;
    return room > 0n ? room : 0n;
  }

  /** Encrypts our answer: a Fulfill (with `fulfillment`) or an F99 Reject. */
  private async reply(
    sequence: bigint,
    arrived: bigint,
    extraFrames: Frame[],
    fulfillment?: Uint8Array,
  ): Promise<IlpReply> {
    const frames = this.replyFrames(extraFrames);
    const finished = frames.closing;
    const packet: StreamPacket = {
      sequence,
      ilpPacketType: fulfillment ? IlpPacketType.Fulfill : IlpPacketType.Reject,
      prepareAmount: arrived,
      frames: frames.frames,
    };
    const data = await this.keys.encrypt(this.serialize(packet));
    for (const stream of finished) stream.finish();
    if (fulfillment) return { type: IlpPacketType.Fulfill, fulfillment, data };
    return rejectPacket(IlpErrorCode.F99_APPLICATION_ERROR, this.sourceAddress ?? '', data);
  }

  private serialize(packet: StreamPacket): Uint8Array {
    return serializeStreamPacket(
      packet,
      this.padPackets ? { padTo: MAX_PLAINTEXT_LENGTH } : undefined,
    );
  }

  /** Frames every reply carries: windows and receive maxes of open streams, closes, queued. */
  private replyFrames(extra: Frame[]): { frames: Frame[]; closing: ConnectionStream[] } {
    const frames: Frame[] = [];
    const closing: ConnectionStream[] = [];
    if (this.state !== 'closed') {
      frames.push({ type: FrameType.ConnectionMaxData, maxOffset: BigInt(this.incomingMaxData()) });
      for (const stream of this.streams.values()) {
        if (stream.readyToClose()) stream.state = 'closing';
        if (stream.state === 'closing' && !stream.closeInFlight && !stream.remoteClosed) {
          // nobody may be able to carry our StreamClose but this reply (a receive-only side)
          frames.push(this.streamCloseFrame(stream));
          closing.push(stream);
          continue;
        }
        if (stream.state === 'closed' || stream.remoteClosed) continue;
        frames.push(this.maxMoneyFrame(stream));
        frames.push({
          type: FrameType.StreamMaxData,
          streamId: BigInt(stream.id),
          maxOffset: BigInt(stream.maxAcceptableOffset()),
        });
        stream.advertisedReceiveMax = stream.receiveMax;
        stream.advertisedMaxOffset = stream.maxAcceptableOffset();
      }
    }
    frames.push(...extra, ...this.queuedFrames.splice(0));
    return { frames, closing };
  }

  private maxMoneyFrame(stream: ConnectionStream): StreamMaxMoneyFrame {
    return {
      type: FrameType.StreamMaxMoney,
      streamId: BigInt(stream.id),
      receiveMax: stream.receiveMax,
      totalReceived: stream.totalReceived,
    };
  }

  private streamCloseFrame(stream: ConnectionStream): StreamCloseFrame {
    return {
      type: FrameType.StreamClose,
      streamId: BigInt(stream.id),
      errorCode: stream.closeCode,
      errorMessage: stream.closeMessage,
    };
  }

  private connectionCloseFrame(): Frame {
    const error = this.closeError;
    return {
      type: FrameType.ConnectionClose,
      errorCode:
        error instanceof StreamProtocolError
          ? error.code
          : error
            ? ErrorCode.InternalError
            : ErrorCode.NoError,
      errorMessage: error?.message ?? '',
    };
  }

  /** ConnectionMaxData we advertise: bytes taken on open streams plus the window. */
  private incomingMaxData(): number {
    let consumed = 0;
    for (const stream of this.streams.values()) {
      consumed += stream.maxAcceptableOffset() - this.streamWindow;
    }
    return consumed + this.connectionWindow;
  }

  /** Opens streams the peer names for the first time with StreamMoney or StreamData. */
  private openRemoteStreams(frames: Frame[], replyFrames: Frame[]): void {
    for (const frame of frames) {
      if (frame.type !== FrameType.StreamMoney && frame.type !== FrameType.StreamData) continue;
      const id = toSafeNumber(frame.streamId);
      if (this.streams.has(id) || this.closedStreamIds.has(id)) continue;
      const remoteParity = this.isServer ? 1 : 0;
      if (id === 0 || id % 2 !== remoteParity) {
        throw new StreamProtocolError(
          ErrorCode.ProtocolViolation,
          `stream id ${frame.streamId} has the wrong parity for a ${this.isServer ? 'client' : 'server'}-opened stream`,
        );
      }
      if (id > this.maxStreamId) {
        throw new StreamProtocolError(
          ErrorCode.StreamIdError,
          `stream id ${frame.streamId} exceeds the max stream id ${this.maxStreamId}`,
        );
      }
      const stream = new ConnectionStream(id, this, this.streamWindow, this.defaultReceiveMax);
      this.streams.set(id, stream);
      if (id > this.maxStreamId * 0.75) {
        replyFrames.push({
          type: FrameType.ConnectionMaxStreamId,
          maxStreamId: BigInt(this.maxStreamId),
        });
      }
      this.emit('stream', stream);
    }
  }

  /**
   * Applies the frames of a Prepare or of a reply to one of ours. In a reply that rejected
   * our packet a lower receive max is believed (it says why); otherwise windows only grow.
   * Returns true when the frames explain a rejection (a lower cap, a close).
   */
  private applyFrames(
    frames: Frame[],
    context: 'prepare' | 'fulfill' | 'reject',
    replyFrames?: Frame[],
  ): boolean {
    let explains = false;
    for (const frame of frames) {
      switch (frame.type) {
        case FrameType.ConnectionClose:
          this.remoteClosed = true;
          this.fail(
            frame.errorCode === ErrorCode.NoError
              ? undefined
              : new StreamProtocolError(frame.errorCode, frame.errorMessage, true),
            false,
          );
          return true;
        case FrameType.ConnectionNewAddress:
          if (!isValidIlpAddress(frame.sourceAddress)) {
            throw new StreamProtocolError(
              ErrorCode.ProtocolViolation,
              'ConnectionNewAddress is not a valid ILP address',
            );
          }
          this.destination = frame.sourceAddress;
          if (context === 'prepare' && replyFrames) {
            replyFrames.push({
              type: FrameType.ConnectionMaxStreamId,
              maxStreamId: BigInt(this.maxStreamId),
            });
            if (this.assetCode !== undefined && this.assetScale !== undefined) {
              replyFrames.push({
                type: FrameType.ConnectionAssetDetails,
                sourceAssetCode: this.assetCode,
                sourceAssetScale: this.assetScale,
              });
            }
            if (!this.connected) this.markConnected();
          }
          this.wake();
          break;
        case FrameType.ConnectionAssetDetails:
          if (
            this.remoteAsset &&
            (this.remoteAsset.code !== frame.sourceAssetCode ||
              this.remoteAsset.scale !== frame.sourceAssetScale)
          ) {
            throw new StreamProtocolError(
              ErrorCode.ProtocolViolation,
              'the peer changed its asset details',
            );
          }
          this.remoteAsset = { code: frame.sourceAssetCode, scale: frame.sourceAssetScale };
          break;
        case FrameType.ConnectionMaxData:
          this.remoteConnectionMaxData = Math.min(toSafeNumber(frame.maxOffset), 2 ** 52);
          this.wake();
          break;
        case FrameType.ConnectionMaxStreamId: {
          const max = Math.min(toSafeNumber(frame.maxStreamId), 2 ** 52);
          if (max > this.remoteMaxStreamId) this.remoteMaxStreamId = max;
          break;
        }
        case FrameType.StreamClose: {
          const stream = this.streams.get(toSafeNumber(frame.streamId));
          if (stream) {
            stream.remoteClose(frame.errorCode, frame.errorMessage);
            explains = true;
          }
          break;
        }
        case FrameType.StreamMaxMoney: {
          const stream = this.streams.get(toSafeNumber(frame.streamId));
          if (!stream) break;
          if (frame.totalReceived > stream.remoteReceived)
            stream.remoteReceived = frame.totalReceived;
          if (
            frame.receiveMax > stream.remoteReceiveMax ||
            stream.remoteReceiveMax === MAX_UINT64
          ) {
            stream.remoteReceiveMax = frame.receiveMax;
          } else if (
            context === 'reject' &&
            frame.receiveMax < stream.remoteReceiveMax &&
            frame.totalReceived >= stream.remoteReceived
          ) {
            stream.remoteReceiveMax = frame.receiveMax;
            explains = true;
          }
          if (context === 'reject' && stream.held > 0n && frame.receiveMax <= frame.totalReceived) {
            explains = true;
          }
          this.wake();
          break;
        }
        case FrameType.StreamData: {
          const stream = this.streams.get(toSafeNumber(frame.streamId));
          if (!stream || stream.state === 'closed' || stream.state === 'closing') break;
          this.receiveData(stream, frame.offset, frame.data);
          break;
        }
        case FrameType.StreamMaxData: {
          const stream = this.streams.get(toSafeNumber(frame.streamId));
          if (!stream) break;
          const max = Math.min(toSafeNumber(frame.maxOffset), 2 ** 52);
          if (max > stream.remoteMaxOffset) {
            stream.remoteMaxOffset = max;
            this.wake();
          }
          break;
        }
        case FrameType.StreamReceipt: {
          if (context === 'prepare') break; // receipts travel receiver → sender only
          const stream = this.streams.get(toSafeNumber(frame.streamId));
          if (stream) stream.setReceipt(frame.receipt);
          break;
        }
        default:
          // StreamMoney is handled with the amount; blocked frames are informational
          break;
      }
    }
    return explains;
  }

  private receiveData(stream: ConnectionStream, offset: bigint, data: Uint8Array): void {
    const start = toSafeNumber(offset);
    const end = start + data.length;
    if (end > stream.maxAcceptableOffset()) {
      throw new StreamProtocolError(
        ErrorCode.FlowControlError,
        `stream ${stream.id}: data up to offset ${end} exceeds the window ${stream.maxAcceptableOffset()}`,
      );
    }
    const before = stream.incoming.highestOffset;
    const parts = stream.incoming.push(start, data);
    if (stream.incoming.highestOffset > before) {
      let buffered = 0;
      for (const s of this.streams.values()) {
        buffered += s.incoming.highestOffset - (s.maxAcceptableOffset() - this.streamWindow);
      }
      if (buffered > this.connectionWindow) {
        throw new StreamProtocolError(
          ErrorCode.FlowControlError,
          `connection: ${buffered} bytes buffered exceeds the window ${this.connectionWindow}`,
        );
      }
    }
    stream.deliver(parts);
  }

  private markConnected(): void {
    this.connected = true;
    const waiters = this.connectWaiters.splice(0);
    for (const waiter of waiters) waiter.resolve();
    this.emit('connect');
  }

  // ================================================================ sending

  private signal(): void {
    const waiters = this.changeWaiters.splice(0);
    for (const waiter of waiters) waiter();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.changeWaiters.push(resolve));
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.state === 'closed') break;
      const now = Date.now();
      if (this.backoffUntil > now) {
        await Promise.race([sleep(this.backoffUntil - now), this.closedPromise]);
        continue;
      }
      if (this.inFlight >= this.maxInFlight) {
        await this.changed();
        continue;
      }
      if (this.needsExchangeRate()) {
        if (this.inFlight > 0) {
          await this.changed();
          continue;
        }
        await this.probeExchangeRate();
        this.checkPayments();
        continue;
      }
      const packet = this.buildPacket();
      if (packet === undefined) {
        this.checkPayments();
        this.checkEnding();
        if (this.inFlight === 0) {
          if (this.wakeRequested) {
            this.wakeRequested = false;
            continue;
          }
          break;
        }
        await this.changed();
        continue;
      }
      this.inFlight++;
      void this.sendPacket(packet)
        .catch((error: unknown) =>
          this.fail(error instanceof Error ? error : new Error(String(error)), true),
        )
        .finally(() => {
          this.inFlight--;
          this.checkPayments();
          this.checkEnding();
          this.signal();
        });
    }
  }

  private wantsMoney(): boolean {
    for (const stream of this.streams.values()) {
      if (stream.wantsToSend() > 0n) return true;
    }
    return false;
  }

  private needsExchangeRate(): boolean {
    return (
      this.exchangeRateValue === undefined &&
      this.moneyFailure === undefined &&
      this.state === 'open' &&
      this.wantsMoney()
    );
  }

  /** Source amount `stream` may put in the next packet, given the rate and the peer's caps. */
  private sendable(stream: ConnectionStream, rate: Rational): bigint {
    let want = stream.wantsToSend();
    if (want === 0n) return 0n;
    const minRate = this.minRates.get(stream);
    if (minRate && compare(rate, minRate) < 0) return 0n;
    if (stream.deliveryTarget !== undefined) {
      const remaining = stream.deliveryTarget - stream.delivered - stream.heldDest;
      if (remaining <= 0n) return 0n;
      want = minBig(want, divideCeil(remaining, rate));
    }
    if (stream.remoteReceiveMax < MAX_UINT64) {
      const delivered = maxBig(stream.remoteReceived, stream.delivered);
      const room = stream.remoteReceiveMax - delivered - stream.heldDest;
      if (room <= 0n) return 0n;
      want = minBig(want, divideFloor(room, rate));
    }
    return want;
  }

  private buildPacket(): OutgoingPacket | undefined {
    if (this.destination === undefined || this.sendPrepareFn === undefined) return undefined;
    if (this.state === 'closed') return undefined;
    if (this.nextSequence >= MAX_SEQUENCE - 1) {
      this.fail(
        new StreamProtocolError(ErrorCode.InternalError, 'connection exceeded 2^31 packets'),
        true,
      );
      return undefined;
    }
    const frames: Frame[] = [];
    const oneShot = this.queuedFrames.splice(0);
    frames.push(...oneShot);
    let substantive = oneShot.some((f) => f.type !== FrameType.ConnectionStreamIdBlocked);

    // first packet of a client: tell the peer where we are and what we use
    let handshake = false;
    if (!this.connected && !this.isServer) {
      // one handshake at a time: nothing else goes until the peer has answered it
      if (this.handshakeInFlight) {
        for (const f of oneShot) this.queuedFrames.push(f);
        return undefined;
      }
      this.handshakeInFlight = true;
      handshake = true;
      substantive = true;
      if (this.sourceAddress !== undefined) {
        frames.push({ type: FrameType.ConnectionNewAddress, sourceAddress: this.sourceAddress });
      }
      if (this.assetCode !== undefined && this.assetScale !== undefined) {
        frames.push({
          type: FrameType.ConnectionAssetDetails,
          sourceAssetCode: this.assetCode,
          sourceAssetScale: this.assetScale,
        });
      }
    }

    // windows and receive maxes that changed since the peer last heard them
    const adverts: OutgoingPacket['adverts'] = [];
    const maxData = this.incomingMaxData();
    if (maxData !== this.advertisedConnectionMaxData) {
      frames.push({ type: FrameType.ConnectionMaxData, maxOffset: BigInt(maxData) });
    }
    for (const stream of this.streams.values()) {
      if (stream.state === 'closed' || stream.state === 'closing' || stream.remoteClosed) continue;
      const advert: OutgoingPacket['adverts'][number] = { stream };
      if (stream.receiveMax !== stream.advertisedReceiveMax) {
        frames.push(this.maxMoneyFrame(stream));
        advert.receiveMax = stream.advertisedReceiveMax;
        stream.advertisedReceiveMax = stream.receiveMax;
        substantive = true;
      }
      const maxOffset = stream.maxAcceptableOffset();
      if (maxOffset - stream.advertisedMaxOffset >= this.streamWindow / 2) {
        frames.push({
          type: FrameType.StreamMaxData,
          streamId: BigInt(stream.id),
          maxOffset: BigInt(maxOffset),
        });
        advert.maxOffset = stream.advertisedMaxOffset;
        stream.advertisedMaxOffset = maxOffset;
        substantive = true;
      }
      if (advert.receiveMax !== undefined || advert.maxOffset !== undefined) adverts.push(advert);
    }

    // stream closes that are due
    const closes: ConnectionStream[] = [];
    for (const stream of this.streams.values()) {
      if (stream.readyToClose()) stream.state = 'closing';
      if (stream.state === 'closing' && !stream.closeInFlight && stream.held === 0n) {
        if (stream.remoteClosed) {
          stream.finish();
          continue;
        }
        frames.push(this.streamCloseFrame(stream));
        stream.closeInFlight = true;
        closes.push(stream);
        substantive = true;
      }
    }

    // graceful connection close once everything else is done
    let connectionClose = false;
    if (
      this.state === 'ending' &&
      this.inFlight === 0 &&
      closes.length === 0 &&
      this.streams.size === 0
    ) {
      frames.push({
        type: FrameType.ConnectionClose,
        errorCode: ErrorCode.NoError,
        errorMessage: '',
      });
      connectionClose = true;
      substantive = true;
    }

    // money
    const money: MoneyPart[] = [];
    let amount = 0n;
    const rate = this.exchangeRateValue;
    if (
      rate !== undefined &&
      rate.num > 0n &&
      this.moneyFailure === undefined &&
      !connectionClose
    ) {
      let budget = this.sizer.current;
      const ordered = [...this.streams.values()].sort((a, b) => a.id - b.id);
      for (const stream of ordered) {
        if (budget === 0n) break;
        const want = this.sendable(stream, rate);
        if (want === 0n) continue;
        const take = minBig(want, budget);
        const estimatedDestination = multiplyFloor(take, rate);
        stream.held += take;
        stream.heldDest += estimatedDestination;
        frames.push({ type: FrameType.StreamMoney, streamId: BigInt(stream.id), shares: take });
        money.push({ stream, amount: take, estimatedDestination });
        amount += take;
        budget -= take;
        substantive = true;
      }
    }

    // data, within the packet and the peer's windows
    const data: OutgoingPacket['data'] = [];
    let room =
      MAX_PLAINTEXT_LENGTH -
      streamPacketSize({
        sequence: BigInt(this.nextSequence),
        ilpPacketType: IlpPacketType.Prepare,
        prepareAmount: MAX_UINT64,
        frames,
      }) -
      8; // frame count growth, blocked frames
    let connectionRoom = this.remoteConnectionMaxData - this.outgoingConnectionOffset();
    let blocked = false;
    if (!connectionClose) {
      for (const stream of this.streams.values()) {
        if (stream.state === 'closing' || stream.state === 'closed' || stream.remoteClosed)
          continue;
        const out = stream.outgoing;
        if (!out.hasResend && !out.hasQueued) continue;
        const maxBytes = room - DATA_FRAME_OVERHEAD - 32; // leave room for a DataBlocked frame
        const before = out.nextOffset;
        const windowEnd = Math.min(stream.remoteMaxOffset, before + Math.max(0, connectionRoom));
        const chunk = out.take(maxBytes, windowEnd);
        if (chunk) {
          connectionRoom -= out.nextOffset - before;
          frames.push({
            type: FrameType.StreamData,
            streamId: BigInt(stream.id),
            offset: BigInt(chunk.offset),
            data: chunk.data,
          });
          data.push({ stream, chunk });
          room -= DATA_FRAME_OVERHEAD + chunk.data.length;
          substantive = true;
        }
        if (out.hasQueued && out.nextOffset >= stream.remoteMaxOffset) {
          frames.push({
            type: FrameType.StreamDataBlocked,
            streamId: BigInt(stream.id),
            maxOffset: BigInt(out.writtenOffset),
          });
          blocked = true;
        } else if (out.hasQueued && connectionRoom <= 0) {
          blocked = true;
        }
        if (room <= DATA_FRAME_OVERHEAD + 64) break;
      }
      if (connectionRoom <= 0 && blocked) {
        frames.push({
          type: FrameType.ConnectionDataBlocked,
          maxOffset: BigInt(this.outgoingConnectionWanted()),
        });
      }
    }

    if (blocked && !substantive) {
      // the peer's window is full and nothing else is due: ask again now and then (its
      // reply carries fresh windows), backing off while it stays full
      const now = Date.now();
      if (now >= this.blockedPingAt) {
        this.blockedPingAt = now + this.blockedPingDelay;
        this.blockedPingDelay = Math.min(this.blockedPingDelay * 2, 10_000);
        substantive = true;
      } else if (this.blockedTimer === undefined) {
        this.blockedTimer = unrefTimer(
          setTimeout(() => {
            this.blockedTimer = undefined;
            this.wake();
          }, this.blockedPingAt - now),
        );
      }
    } else if (!blocked) {
      this.blockedPingDelay = 250;
    }

    if (!substantive) {
      // nothing worth a packet: put back what was taken
      for (const f of oneShot) this.queuedFrames.push(f);
      return undefined;
    }

    let minDestination = 0n;
    for (const part of money) {
      let rateFloor = multiply(rate as Rational, this.slippageFactor);
      const minRate = this.minRates.get(part.stream);
      if (minRate && compare(minRate, rateFloor) > 0) rateFloor = minRate;
      minDestination += multiplyFloor(part.amount, rateFloor);
    }
    if (frames.some((f) => f.type === FrameType.ConnectionMaxData)) {
      this.advertisedConnectionMaxData = maxData;
    }
    return {
      sequence: BigInt(this.nextSequence++),
      amount,
      minDestination,
      frames,
      money,
      data,
      closes,
      oneShot,
      adverts,
      handshake,
      connectionClose,
    };
  }

  private outgoingConnectionOffset(): number {
    let total = 0;
    for (const stream of this.streams.values()) total += stream.outgoing.nextOffset;
    return total;
  }

  private outgoingConnectionWanted(): number {
    let total = 0;
    for (const stream of this.streams.values()) total += stream.outgoing.writtenOffset;
    return total;
  }

  /** Sends a Prepare and reads the answer; never throws for a Reject. */
  private async exchange(
    sequence: bigint,
    amount: bigint,
    data: Uint8Array,
    condition: Uint8Array,
    fulfillment: Uint8Array | undefined,
    expectedType: 'any' | 'reject',
  ): Promise<ParsedReply> {
    const destination = this.destination as string;
    const prepare: IlpPrepare = {
      type: IlpPacketType.Prepare,
      amount,
      expiresAt: new Date(Date.now() + this.packetExpiryMs),
      executionCondition: condition,
      destination,
      data,
    };
    let reply: IlpReply;
    let timer: TimerHandle | undefined;
    try {
      reply = await Promise.race([
        (this.sendPrepareFn as SendPrepare)(prepare),
        new Promise<IlpReply>((resolve) => {
          timer = setTimeout(
            () => resolve(rejectPacket(IlpErrorCode.R00_TRANSFER_TIMED_OUT, '')),
            this.packetExpiryMs + 1_000,
          );
        }),
      ]);
    } catch {
      reply = { ...rejectPacket(IlpErrorCode.T00_INTERNAL_ERROR, ''), message: 'transport error' };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    this.bumpIdle();
    if (reply.type === IlpPacketType.Fulfill) {
      const valid =
        expectedType === 'any' &&
        fulfillment !== undefined &&
        constantTimeEqual(reply.fulfillment, fulfillment);
      if (!valid) {
        // a wrong fulfillment unlocks nothing: treat it as the path failing
        return { reply: rejectPacket(IlpErrorCode.F05_WRONG_CONDITION, ''), packet: undefined };
      }
    }
    let packet: StreamPacket | undefined;
    const carriesStream =
      reply.type === IlpPacketType.Fulfill || reply.code === IlpErrorCode.F99_APPLICATION_ERROR;
    if (carriesStream && reply.data.length > 0) {
      const plaintext = await this.keys.decrypt(reply.data);
      if (plaintext !== undefined) {
        try {
          const parsed = deserializeStreamPacket(plaintext);
          if (parsed.sequence === sequence && parsed.ilpPacketType === reply.type) packet = parsed;
        } catch {
          packet = undefined;
        }
      }
    }
    return { reply, packet };
  }

  private async sendPacket(p: OutgoingPacket): Promise<void> {
    try {
      await this.sendPacketUnsafe(p);
    } catch (error) {
      if (!p.settled) this.releasePacket(p);
      throw error;
    } finally {
      if (p.handshake) this.handshakeInFlight = false;
    }
  }

  /** Undoes what a packet that will never be answered took (holds, data, closes). */
  private releasePacket(p: OutgoingPacket): void {
    p.settled = true;
    for (const part of p.money) {
      part.stream.held -= part.amount;
      part.stream.heldDest -= part.estimatedDestination;
    }
    for (const { stream, chunk } of p.data) stream.outgoing.retry(chunk);
    for (const stream of p.closes) stream.closeInFlight = false;
  }

  private async sendPacketUnsafe(p: OutgoingPacket): Promise<void> {
    const plaintext = this.serialize({
      sequence: p.sequence,
      ilpPacketType: IlpPacketType.Prepare,
      prepareAmount: p.minDestination,
      frames: p.frames,
    });
    const data = await this.keys.encrypt(plaintext);
    const { fulfillment, condition } = await this.keys.fulfillmentAndCondition(data);
    const { reply, packet } = await this.exchange(
      p.sequence,
      p.amount,
      data,
      condition,
      fulfillment,
      'any',
    );
    const heard = packet !== undefined; // the peer read our frames
    if (p.handshake) this.handshakeInFlight = false;
    let explains = false;
    if (packet) {
      try {
        explains = this.applyFrames(
          packet.frames,
          reply.type === IlpPacketType.Fulfill ? 'fulfill' : 'reject',
        );
      } catch (error) {
        if (error instanceof StreamProtocolError) this.fail(error, true);
        else throw error;
      }
      if (p.handshake && !this.connected) this.markConnected();
    }

    if (reply.type === IlpPacketType.Fulfill) {
      const arrived = packet ? packet.prepareAmount : p.minDestination;
      p.settled = true;
      this.settleMoney(p, arrived);
      for (const { stream, chunk } of p.data) stream.outgoing.acknowledge(chunk);
      for (const stream of p.closes) stream.finish();
      if (p.connectionClose) this.finishClose(undefined);
      this.sizer.onFulfill(p.amount);
      this.consecutiveFailures = 0;
      this.backoffDelay = this.retryDelayMs;
      return;
    }

    // rejected: undo what the packet would have done
    this.releasePacket(p);
    if (!heard) {
      for (const frame of p.oneShot) this.queuedFrames.push(frame);
      for (const advert of p.adverts) {
        if (advert.receiveMax !== undefined) advert.stream.advertisedReceiveMax = advert.receiveMax;
        if (advert.maxOffset !== undefined) advert.stream.advertisedMaxOffset = advert.maxOffset;
      }
    } else if (p.connectionClose) {
      this.finishClose(undefined);
      return;
    }
    for (const part of p.money) this.countPacket(part.stream, false);

    const code = reply.code;
    if (code === IlpErrorCode.F99_APPLICATION_ERROR && heard) {
      if (p.amount > 0n && packet && packet.prepareAmount < p.minDestination) {
        // less arrived than the rate × (1 − slippage) promised: the rate moved
        this.stopMoney('exchange-rate');
        return;
      }
      if (explains) return;
      if (p.amount === 0n && p.data.length === 0 && p.closes.length === 0) return; // nothing to redo
      this.retryLater(code);
      return;
    }
    if (code === IlpErrorCode.F08_AMOUNT_TOO_LARGE) {
      if (p.amount === 0n) {
        this.retryLater(code);
        return;
      }
      if (this.sizer.onAmountTooLarge(p.amount, reply.data) === 0n)
        this.stopMoney('max-packet-zero');
      return;
    }
    if (code.startsWith('T') || code.startsWith('R')) {
      if (code === IlpErrorCode.T04_INSUFFICIENT_LIQUIDITY && p.amount > 0n) {
        this.sizer.onInsufficientLiquidity(p.amount);
      }
      this.retryLater(code, reply.message === 'transport error' ? 'transport-error' : undefined);
      return;
    }
    if (code === IlpErrorCode.F99_APPLICATION_ERROR && !(p.handshake && !this.connected)) {
      // an application error from something that is not our peer's STREAM: retry, then give up
      this.retryLater(code);
      return;
    }
    // any other final error: the path or the receiver will not take this connection
    this.stopMoney(`rejected:${code}`);
    const detail = reply.message ? `: ${reply.message}` : '';
    this.fail(
      new Error(
        `${p.handshake && !this.connected ? 'connect' : 'packet'} rejected with ${code}${detail}`,
      ),
      false,
    );
  }

  private settleMoney(p: OutgoingPacket, arrived: bigint): void {
    if (p.money.length === 0) return;
    const shares = splitAmount(
      arrived,
      p.money.map((part) => ({ streamId: part.stream.id, shares: part.amount })),
    );
    for (const part of p.money) {
      const delivered = shares.find((s) => s.streamId === part.stream.id)?.amount ?? 0n;
      part.stream.held -= part.amount;
      part.stream.heldDest -= part.estimatedDestination;
      part.stream.settleSent(part.amount, delivered);
      this.countPacket(part.stream, true);
    }
    this.totalSentAmount += p.amount;
    this.totalDeliveredAmount += arrived;
  }

  private retryLater(code: string, reason?: PayReason): void {
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.maxConsecutiveFailures) {
      this.stopMoney(reason ?? `rejected:${code}`);
      // Money stops here; anything else still to deliver (the handshake, data, a close)
      // cannot get through either: give the connection up rather than resend it forever.
      if (!this.connected || this.state !== 'open' || this.wantsToSendAnything()) {
        this.fail(new Error(`gave up after ${this.consecutiveFailures} rejects (${code})`), false);
        return;
      }
    }
    // Always back off, also past the limit, so no packet is ever resent in a tight loop.
    this.backoffUntil = Date.now() + this.backoffDelay;
    this.backoffDelay = Math.min(this.backoffDelay * 2, this.maxRetryDelayMs);
  }

  private wantsToSendAnything(): boolean {
    for (const stream of this.streams.values()) {
      if (stream.outgoing.hasQueued || stream.outgoing.hasResend) return true;
    }
    return false;
  }

  /** Money cannot move for now; payments end with `reason`. Data keeps flowing. */
  private stopMoney(reason: PayReason): void {
    this.moneyFailure ??= reason;
    if (reason === 'exchange-rate') this.exchangeRateValue = undefined; // re-probe next time
    this.checkPayments();
  }

  // ================================================================ exchange rate

  /**
   * Probe volley (FACTS §8.9): unfulfillable packets of 1, 10^3 … 10^12 source units; the
   * receiver's F99 says what arrived. Keeps the reply with the most significant digits;
   * F08s lower the amounts, T errors back off (×1.5 from the retry delay) and cut them.
   */
  private async probeExchangeRate(): Promise<void> {
    let amounts = PROBE_AMOUNTS.filter((a) => a <= this.sizer.maxPacketAmount);
    if (amounts.length === 0 && this.sizer.maxPacketAmount > 0n)
      amounts = [this.sizer.maxPacketAmount];
    let delay = this.retryDelayMs;
    let best: { sent: bigint; arrived: bigint } | undefined;
    for (let volley = 0; volley < MAX_PROBE_VOLLEYS && amounts.length > 0; volley++) {
      if (this.state === 'closed') return;
      const results = await Promise.all(amounts.map((amount) => this.probe(amount)));
      const next = new Set<bigint>();
      let temporary: bigint | undefined;
      for (let i = 0; i < results.length; i++) {
        const sent = amounts[i];
        const { reply, packet } = results[i];
        if (packet) {
          const arrived = packet.prepareAmount;
          if (
            best === undefined ||
            countDigits(arrived) > countDigits(best.arrived) ||
            (countDigits(arrived) === countDigits(best.arrived) && sent > best.sent)
          ) {
            best = { sent, arrived };
          }
          continue;
        }
        if (reply.type === IlpPacketType.Fulfill) continue;
        if (reply.code === IlpErrorCode.F08_AMOUNT_TOO_LARGE) {
          const max = this.sizer.onAmountTooLarge(sent, reply.data);
          if (max === 0n) {
            this.stopMoney('max-packet-zero');
            return;
          }
          next.add(max);
        } else if (reply.code.startsWith('T') || reply.code.startsWith('R')) {
          temporary = temporary === undefined || sent < temporary ? sent : temporary;
        } else {
          this.stopMoney(`rejected:${reply.code}`);
          if (reply.code !== IlpErrorCode.F99_APPLICATION_ERROR) {
            this.fail(new Error(`exchange-rate probe rejected with ${reply.code}`), false);
          }
          return;
        }
      }
      if (best && countDigits(best.arrived) >= this.minRateDigits) break;
      if (temporary !== undefined) {
        const reduced = temporary - temporary / 3n;
        if (reduced > 0n) next.add(reduced);
        await sleep(delay);
        delay = Math.min(Math.ceil(delay * 1.5), this.maxRetryDelayMs);
      }
      // only amounts that could give more digits than we have are worth another volley
      amounts = [...next].filter(
        (a) => a > 0n && a <= this.sizer.maxPacketAmount && (best === undefined || a > best.sent),
      );
    }
    if (best === undefined || best.arrived === 0n) {
      this.stopMoney('exchange-rate');
      return;
    }
    this.exchangeRateValue = rational(best.arrived, best.sent);
  }

  private async probe(amount: bigint): Promise<ParsedReply> {
    const sequence = BigInt(this.nextSequence++);
    const data = await this.keys.encrypt(
      this.serialize({
        sequence,
        ilpPacketType: IlpPacketType.Prepare,
        prepareAmount: 0n,
        frames: [],
      }),
    );
    const result = await this.exchange(
      sequence,
      amount,
      data,
      this.keys.crypto.randomBytes(32),
      undefined,
      'reject',
    );
    if (result.packet) {
      try {
        this.applyFrames(result.packet.frames, 'reject');
      } catch (error) {
        if (error instanceof StreamProtocolError) this.fail(error, true);
      }
    }
    return result;
  }

  // ================================================================ payments

  /**
   * Sends money on a stream until the goal is met or cannot be (see {@link PayReason}).
   * With `sourceAmount` exactly that much is sent; with `destinationAmount` packets are sent
   * until at least that much has arrived (the last packet may deliver a little more, under
   * one source unit's worth). Each packet asks the receiver for at least
   * amount × rate × (1 − slippage) (or × minExchangeRate when higher), so a rate that moves
   * ends the payment ('exchange-rate') instead of overpaying. Resolves with the outcome;
   * throws only for invalid options or when no stream can be opened (StreamIdError).
   */
  async pay(options: PayOptions): Promise<PayResult> {
    const empty = (reason: PayReason, streamId = 0): PayResult => ({
      streamId,
      sent: 0n,
      delivered: 0n,
      packets: { fulfilled: 0, rejected: 0 },
      reason,
    });
    if (this.state !== 'open') return empty('closed');
    if (this.destination === undefined || this.sendPrepareFn === undefined) {
      return empty('no-destination');
    }
    if ((options.sourceAmount === undefined) === (options.destinationAmount === undefined)) {
      throw new RangeError('pay needs exactly one of sourceAmount and destinationAmount');
    }
    for (const value of [
      options.sourceAmount,
      options.destinationAmount,
      options.maxSourceAmount,
    ]) {
      if (value !== undefined && (typeof value !== 'bigint' || value < 0n || value > MAX_UINT64)) {
        throw new RangeError('amounts must be UInt64 bigints');
      }
    }
    // The timeout covers the handshake too: an unreachable receiver must not hold pay().
    const startedAt = Date.now();
    if (!this.connected && !this.isServer) {
      const connecting = this.connect();
      connecting.catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const timedOut =
          options.timeoutMs === undefined
            ? await connecting.then(() => false)
            : await Promise.race([
                connecting.then(() => false),
                new Promise<boolean>((resolve) => {
                  timer = setTimeout(() => resolve(true), options.timeoutMs);
                }),
              ]);
        if (timedOut) return empty('timeout');
      } catch {
        return empty(this.moneyFailure ?? (this.remoteClosed ? 'receiver-closed' : 'closed'));
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
    }
    let stream: ConnectionStream;
    if (options.streamId !== undefined) {
      const existing = this.streams.get(options.streamId);
      if (!existing) throw new RangeError(`no open stream ${options.streamId}`);
      stream = existing;
    } else {
      stream = this.createStream(); // throws StreamIdError when the peer allows no more
    }
    for (const payment of this.payments) {
      if (payment.stream === stream) throw new Error(`stream ${stream.id} already has a payment`);
    }
    this.moneyFailure = undefined;
    this.consecutiveFailures = 0;
    if (options.minExchangeRate !== undefined) {
      this.minRates.set(stream, toRational(options.minExchangeRate, 'minExchangeRate'));
    }
    const payment: PaymentState = {
      stream,
      startSent: stream.totalSent,
      startDelivered: stream.totalDelivered,
      sourceGoal: undefined,
      destinationGoal: undefined,
      sourceLimit: undefined,
      deadline: options.timeoutMs === undefined ? undefined : startedAt + options.timeoutMs,
      timer: undefined,
      fulfilled: 0,
      rejected: 0,
      onProgress: options.onProgress,
      stopping: undefined,
      resolve: () => undefined,
      listener: () => {
        payment.onProgress?.({
          sent: stream.totalSent - payment.startSent,
          delivered: stream.totalDelivered - payment.startDelivered,
        });
      },
    };
    const result = new Promise<PayResult>((resolve) => (payment.resolve = resolve));
    if (options.sourceAmount !== undefined) {
      payment.sourceGoal = stream.totalSent + options.sourceAmount;
      const goal = payment.sourceGoal > MAX_UINT64 ? MAX_UINT64 : payment.sourceGoal;
      stream.setSendMax(goal < stream.sendMax ? stream.sendMax : goal);
    } else {
      payment.destinationGoal = stream.totalDelivered + (options.destinationAmount as bigint);
      stream.deliveryTarget = payment.destinationGoal;
      if (options.maxSourceAmount !== undefined) {
        payment.sourceLimit = stream.totalSent + options.maxSourceAmount;
        stream.setSendMax(minBig(payment.sourceLimit, MAX_UINT64));
      } else {
        stream.setSendMax(MAX_UINT64);
      }
    }
    if (options.timeoutMs !== undefined) {
      const left = Math.max(0, startedAt + options.timeoutMs - Date.now());
      payment.timer = setTimeout(() => this.checkPayments(), left);
    }
    this.payments.add(payment);
    stream.on('sent', payment.listener);
    this.checkPayments();
    this.wake();
    return result;
  }

  private countPacket(stream: ConnectionStream, fulfilled: boolean): void {
    for (const payment of this.payments) {
      if (payment.stream !== stream) continue;
      if (fulfilled) payment.fulfilled++;
      else payment.rejected++;
    }
  }

  /** Decides which payments are done and resolves those whose packets have all settled. */
  private checkPayments(): void {
    if (this.payments.size === 0) return;
    const rate = this.exchangeRateValue;
    for (const payment of this.payments) {
      const { stream } = payment;
      if (payment.stopping === undefined) {
        payment.stopping = this.paymentOutcome(payment, rate);
      }
      if (payment.stopping === undefined) continue;
      // stop asking for more; what is in flight still settles
      if (stream.sendMax > stream.totalSent + stream.held) {
        stream.setSendMax(stream.totalSent + stream.held);
      }
      stream.deliveryTarget = undefined;
      if (stream.held > 0n) continue;
      this.payments.delete(payment);
      stream.off('sent', payment.listener);
      if (payment.timer !== undefined) clearTimeout(payment.timer);
      this.minRates.delete(stream);
      payment.resolve({
        streamId: stream.id,
        sent: stream.totalSent - payment.startSent,
        delivered: stream.totalDelivered - payment.startDelivered,
        packets: { fulfilled: payment.fulfilled, rejected: payment.rejected },
        reason: payment.stopping,
        exchangeRate: rate ? rationalToString(rate) : undefined,
      });
    }
  }

  private paymentOutcome(payment: PaymentState, rate: Rational | undefined): PayReason | undefined {
    const { stream } = payment;
    if (payment.sourceGoal !== undefined && stream.totalSent >= payment.sourceGoal)
      return 'complete';
    if (payment.destinationGoal !== undefined && stream.totalDelivered >= payment.destinationGoal) {
      return 'complete';
    }
    if (stream.remoteClosed || this.remoteClosed) return 'receiver-closed';
    if (stream.state !== 'open' || this.state !== 'open') return 'closed';
    if (this.moneyFailure !== undefined) return this.moneyFailure;
    if (payment.deadline !== undefined && Date.now() >= payment.deadline) return 'timeout';
    if (rate === undefined || stream.held > 0n || this.needsExchangeRate()) return undefined;
    if (this.sendable(stream, rate) > 0n) return undefined;
    // nothing more can go: say why
    const minRate = this.minRates.get(stream);
    if (minRate && compare(rate, minRate) < 0) return 'exchange-rate';
    if (payment.sourceLimit !== undefined && stream.totalSent >= payment.sourceLimit) {
      return 'source-limit';
    }
    if (stream.remoteReceiveMax < MAX_UINT64) return 'receive-max';
    return 'exchange-rate'; // the rate rounds the remaining amount to nothing
  }

  // ================================================================ closing

  /**
   * Graceful close: every stream ends (queued data and in-flight money finish), then
   * ConnectionClose(NoError) goes to the peer. Resolves when closed.
   */
  async end(): Promise<void> {
    if (this.state !== 'open') return this.closedPromise;
    this.state = 'ending';
    for (const stream of this.streams.values()) void stream.end();
    this.wake();
    this.checkEnding();
    return this.closedPromise;
  }

  /** Closes at once, telling the peer (best effort) with ConnectionClose(error code). */
  async destroy(error?: Error): Promise<void> {
    if (this.state === 'closed') return;
    this.fail(error, true);
    await this.closedPromise;
  }

  private checkEnding(): void {
    if (this.state !== 'ending') return;
    if (this.destination === undefined || this.sendPrepareFn === undefined || this.remoteClosed) {
      // nobody to tell and nothing we could send: close now
      this.finishClose(undefined);
      return;
    }
    if (this.inFlight > 0 || this.streams.size > 0) return;
    this.wake(); // the loop sends ConnectionClose
  }

  /**
   * Closes now. `tellPeer`: send ConnectionClose (best effort, not awaited) unless the peer
   * closed first or cannot be reached.
   */
  private fail(error: Error | undefined, tellPeer: boolean): void {
    if (this.state === 'closed') return;
    this.closeError ??= error;
    if (tellPeer && !this.remoteClosed) void this.sendConnectionClose();
    this.finishClose(error);
  }

  private async sendConnectionClose(): Promise<void> {
    if (this.destination === undefined || this.sendPrepareFn === undefined) return;
    if (this.nextSequence >= MAX_SEQUENCE) return;
    const sequence = BigInt(this.nextSequence++);
    try {
      const data = await this.keys.encrypt(
        this.serialize({
          sequence,
          ilpPacketType: IlpPacketType.Prepare,
          prepareAmount: 0n,
          frames: [this.connectionCloseFrame()],
        }),
      );
      const { fulfillment, condition } = await this.keys.fulfillmentAndCondition(data);
      await this.exchange(sequence, 0n, data, condition, fulfillment, 'any');
    } catch {
      // best effort: the connection is closed either way
    }
  }

  private finishClose(error: Error | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeError ??= error;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    if (this.blockedTimer !== undefined) clearTimeout(this.blockedTimer);
    const streamError =
      error instanceof StreamProtocolError
        ? error
        : error
          ? new StreamProtocolError(ErrorCode.InternalError, error.message)
          : undefined;
    for (const stream of [...this.streams.values()]) {
      if (this.remoteClosed) stream.remoteClosed = true;
      stream.finish(streamError);
    }
    const waiters = this.connectWaiters.splice(0);
    for (const waiter of waiters) waiter.reject(error ?? new Error('connection closed'));
    this.checkPayments();
    this.signal();
    this.emit('close', this.closeError);
    this.resolveClosed();
  }

  // ================================================================ idle timeout

  private bumpIdle(): void {
    this.lastActivity = Date.now();
  }

  private startIdleTimer(): void {
    if (this.idleTimeoutMs <= 0) return;
    const wait = Math.max(1, this.lastActivity + this.idleTimeoutMs - Date.now());
    this.idleTimer = unrefTimer(
      setTimeout(() => {
        if (this.state === 'closed') return;
        if (Date.now() - this.lastActivity >= this.idleTimeoutMs && this.inFlight === 0) {
          this.fail(new StreamProtocolError(ErrorCode.NoError, 'idle timeout'), true);
        } else {
          this.startIdleTimer();
        }
      }, wait),
    );
  }
}
