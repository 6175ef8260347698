/**
 * One authenticated BTP link over one `ws` WebSocket, the same on the server and the client
 * side: request/response matching, ILP over BTP, per-tick write batching, keep-alive.
 *
 * Rules that shape it (DESIGN.md "The packet path"):
 * - Request ids come from a per-connection UInt32 counter that wraps and skips ids still in
 *   flight. Random ids collide under load and hand one packet another packet's answer.
 * - Writes are batched per tick: the first frame of a tick leaves at once, later ones in
 *   the same tick are corked and flushed together when the tick (and the promise
 *   continuations it ran) ends, so a burst costs one `writev` and a lone packet no delay.
 * - Memory stays flat: per request only a map entry and a timer, both dropped when the
 *   answer, the timeout or the close comes; answers for unknown ids are ignored.
 *
 * Failures of `sendIlp` are always `IlpError`s, so a connector can turn them into Rejects:
 * R00 on timeout, T01 when the link is down or closes, T02 when the socket's send buffer is
 * over its limit, and for a BTP Error answer: F01 for the peer's F01 InvalidFieldsError, F02
 * for its other F codes (it refused this packet for good), T01 otherwise.
 */
import { EventEmitter } from 'node:events';
import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import WebSocket from 'ws';
import { BTP_ERROR_NAMES, BtpErrorCode, BtpProtocolError } from './codec/btp-error-codes';
import { deserializeBtpPacket, serializeBtpPacket } from './codec/btp-packet';
import {
  BtpMessagePacket,
  BtpPacket,
  BtpPacketType,
  BtpProtocolData,
  BtpTransferPacket,
  MAX_ERROR_DATA_LENGTH,
} from './codec/btp-packet-types';
import { ILP_PROTOCOL_NAME, ilpProtocolData, readIlpProtocolData } from './codec/protocol-data';
import { ilpErrorFromBtpError, protocolErrorFromBtpError } from './btp-reply-errors';

export type BtpLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Optional log sink; adapt it to pino with `(level, msg, details) => log[level](details, msg)`. */
export type BtpLogger = (
  level: BtpLogLevel,
  message: string,
  details?: Record<string, unknown>,
) => void;

/** Answers an incoming ILP packet (Prepare) with the reply packet (Fulfill or Reject). */
export type BtpIlpHandler = (packet: Uint8Array) => Promise<Uint8Array>;
/** Answers an incoming Message whose primary sub-protocol is not `ilp`. */
export type BtpMessageHandler = (protocolData: BtpProtocolData[]) => Promise<BtpProtocolData[]>;
/** Applies an incoming Transfer; resolve = applied (Response), throw = not applied (Error). */
export type BtpTransferHandler = (
  amount: bigint,
  protocolData: BtpProtocolData[],
) => Promise<BtpProtocolData[] | void>;

export interface BtpConnectionOptions {
  /** Ping the peer this often (ms); 0 turns keep-alive off. Default 30 000. */
  pingIntervalMs?: number;
  /** Terminate when nothing (pong or frame) arrives this long after a ping. Default 10 000. */
  pongTimeoutMs?: number;
  /** Close after this many undecodable or text frames. Default 10. */
  maxInvalidFrames?: number;
  /** Refuse new requests (T02) while more than this many bytes wait to be sent. Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Shown in log lines (e.g. the account id). */
  label?: string;
  logger?: BtpLogger;
}

export interface BtpCloseInfo {
  /** WebSocket close code (1006 when the socket died without a close frame). */
  code: number;
  reason: string;
}

/** Close code for a connection replaced by a newer one for the same account. */
export const BTP_CLOSE_REPLACED = 4001;

const DEFAULTS = {
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  maxInvalidFrames: 10,
  maxBufferedBytes: 16 * 1024 * 1024,
};

/** Longest delay setTimeout honours. */
const MAX_TIMER_MS = 0x7fff_ffff;
/** The longest close reason a WebSocket close frame can carry (125 − 2 bytes of code). */
const MAX_CLOSE_REASON_BYTES = 123;

const utf8Encoder = new TextEncoder();
const lenientDecoder = new TextDecoder();

interface CorkableSocket {
  cork(): void;
  uncork(): void;
}

/** What a pending request resolves with: the ILP reply, or the Response's protocolData. */
type RequestMode = 'ilp' | 'btp';

interface PendingRequest {
  mode: RequestMode;
  resolve: (value: Uint8Array | BtpProtocolData[]) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const noop = (): void => undefined;

function truncateUtf8(text: string, maxBytes: number): Uint8Array {
  const bytes = utf8Encoder.encode(text);
  if (bytes.length <= maxBytes) return bytes;
  let end = maxBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // do not split a character
  return bytes.subarray(0, end);
}

function closeReason(text: string): string {
  return lenientDecoder.decode(truncateUtf8(text, MAX_CLOSE_REASON_BYTES));
}

/** A `ws` message payload as bytes (a Buffer unless binaryType was changed). */
export function rawDataBytes(data: WebSocket.RawData): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return new Uint8Array(data);
}

export class BtpConnection extends EventEmitter<{ close: [BtpCloseInfo] }> {
  private readonly pending = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  private readonly socket: CorkableSocket | undefined;
  /** A frame was written in this tick (the end-of-tick callback is scheduled). */
  private inTick = false;
  private corked = false;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private heardSincePing = true;
  private closed = false;
  private closeInfo: BtpCloseInfo | undefined;
  private invalidFrames = 0;
  private incoming = 0;
  private ilpHandler: BtpIlpHandler | undefined;
  private messageHandler: BtpMessageHandler | undefined;
  private transferHandler: BtpTransferHandler | undefined;
  private readonly options: Required<Omit<BtpConnectionOptions, 'logger' | 'label'>>;
  private readonly log: BtpLogger;
  private readonly label: string | undefined;

  /** Takes over an OPEN WebSocket (after the HTTP upgrade; authentication is the caller's). */
  constructor(
    private readonly ws: WebSocket,
    options: BtpConnectionOptions = {},
  ) {
    super();
    this.options = {
      pingIntervalMs: options.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
      pongTimeoutMs: options.pongTimeoutMs ?? DEFAULTS.pongTimeoutMs,
      maxInvalidFrames: options.maxInvalidFrames ?? DEFAULTS.maxInvalidFrames,
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
    };
    this.log = options.logger ?? noop;
    this.label = options.label;
    // `_socket` is ws's (undocumented, long-stable) handle on the net.Socket; without it
    // frames still go out, one write each.
    const raw = (ws as unknown as { _socket?: Partial<CorkableSocket> })._socket;
    this.socket =
      raw && typeof raw.cork === 'function' && typeof raw.uncork === 'function'
        ? (raw as CorkableSocket)
        : undefined;
    ws.on('message', this.onMessage);
    ws.on('pong', this.onPong);
    ws.on('close', this.onClose);
    ws.on('error', this.onError);
    if (ws.readyState !== WebSocket.OPEN) {
      this.shutdown('socket not open');
      return;
    }
    if (this.options.pingIntervalMs > 0) {
      this.pingTimer = setInterval(this.ping, this.options.pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  /** True until the connection is closed (by either side) or terminated. */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Outgoing requests waiting for their answer. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Incoming requests whose handler has not answered yet. */
  get incomingRequests(): number {
    return this.incoming;
  }

  /** Undecodable or text frames received so far. */
  get invalidFrameCount(): number {
    return this.invalidFrames;
  }

  /** Why the connection closed, once it has. */
  get closedWith(): BtpCloseInfo | undefined {
    return this.closeInfo;
  }

  setIlpHandler(handler: BtpIlpHandler | undefined): void {
    this.ilpHandler = handler;
  }

  setMessageHandler(handler: BtpMessageHandler | undefined): void {
    this.messageHandler = handler;
  }

  setTransferHandler(handler: BtpTransferHandler | undefined): void {
    this.transferHandler = handler;
  }

  /**
   * Sends an ILP packet in a Message (primary `ilp`) and resolves with the ILP packet of the
   * matching Response. Rejects only with IlpError (see the file comment for the codes).
   */
  sendIlp(packet: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    return this.request(
      'ilp',
      BtpPacketType.Message,
      ilpProtocolData(packet),
      0n,
      timeoutMs,
    ) as Promise<Uint8Array>;
  }

  /**
   * Sends a Message with any sub-protocols and resolves with the Response's protocolData.
   * A BTP Error answer rejects with BtpProtocolError (the peer's code); timeouts and a
   * closed link reject with IlpError R00 / T01 as for `sendIlp`.
   */
  sendMessage(protocolData: BtpProtocolData[], timeoutMs: number): Promise<BtpProtocolData[]> {
    return this.request('btp', BtpPacketType.Message, protocolData, 0n, timeoutMs) as Promise<
      BtpProtocolData[]
    >;
  }

  /** Sends a Transfer of `amount`; errors as for {@link sendMessage}. */
  sendTransfer(
    amount: bigint,
    protocolData: BtpProtocolData[],
    timeoutMs: number,
  ): Promise<BtpProtocolData[]> {
    return this.request('btp', BtpPacketType.Transfer, protocolData, amount, timeoutMs) as Promise<
      BtpProtocolData[]
    >;
  }

  /** Closes with a close frame; every request in flight rejects with T01 at once. */
  close(reason = 'closed', code = 1000): void {
    if (this.closed) return;
    this.shutdown(reason);
    this.ws.close(code, closeReason(reason));
  }

  /** Drops the socket without a closing handshake (dead peers); pending requests reject T01. */
  terminate(reason = 'terminated'): void {
    if (!this.closed) this.shutdown(reason);
    this.ws.terminate();
  }

  /**
   * Handles a frame read before this object owned the socket (the server passes on frames
   * that arrived while the auth message was being checked).
   */
  receiveFrame(data: WebSocket.RawData, isBinary: boolean): void {
    this.onMessage(data, isBinary);
  }

  /** Sends a Response; false if the connection is closed. */
  sendResponse(requestId: number, protocolData: BtpProtocolData[]): boolean {
    return this.write(
      serializeBtpPacket({ type: BtpPacketType.Response, requestId, protocolData }),
    );
  }

  /** Sends an Error (data trimmed to 8192 bytes); false if the connection is closed. */
  sendError(requestId: number, code: string, name: string, message: string | Uint8Array): boolean {
    const data =
      typeof message === 'string'
        ? truncateUtf8(message, MAX_ERROR_DATA_LENGTH)
        : message.subarray(0, MAX_ERROR_DATA_LENGTH);
    return this.write(
      serializeBtpPacket({
        type: BtpPacketType.Error,
        requestId,
        code,
        name,
        triggeredAt: new Date(),
        data,
        protocolData: [],
      }),
    );
  }

  private request(
    mode: RequestMode,
    type: BtpPacketType.Message | BtpPacketType.Transfer,
    protocolData: BtpProtocolData[],
    amount: bigint,
    timeoutMs: number,
  ): Promise<Uint8Array | BtpProtocolData[]> {
    if (this.closed) {
      return Promise.reject(
        new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, 'BTP connection is closed'),
      );
    }
    if (!(timeoutMs > 0)) {
      return Promise.reject(
        new IlpError(IlpErrorCode.R00_TRANSFER_TIMED_OUT, 'no time left to send over BTP'),
      );
    }
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      return Promise.reject(
        new IlpError(IlpErrorCode.T02_PEER_BUSY, 'BTP peer is not reading: send buffer full'),
      );
    }
    const requestId = this.allocateRequestId();
    let frame: Uint8Array;
    try {
      const packet: BtpMessagePacket | BtpTransferPacket =
        type === BtpPacketType.Message
          ? { type, requestId, protocolData }
          : { type, requestId, amount, protocolData };
      frame = serializeBtpPacket(packet);
    } catch (error) {
      return Promise.reject(error as Error); // bad input from the caller: its CodecError
    }
    return new Promise((resolve, reject) => {
      // setTimeout fires at once for delays beyond 2^31 − 1 ms: clamp
      const timer = setTimeout(this.onTimeout, Math.min(timeoutMs, MAX_TIMER_MS), requestId);
      this.pending.set(requestId, { mode, resolve, reject, timer });
      this.write(frame);
    });
  }

  private allocateRequestId(): number {
    let id = this.nextRequestId;
    // skip ids still waiting for an answer; `>>> 0` wraps 2^32 to 0
    while (this.pending.has(id)) id = (id + 1) >>> 0;
    this.nextRequestId = (id + 1) >>> 0;
    return id;
  }

  private readonly onTimeout = (requestId: number): void => {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return;
    this.pending.delete(requestId);
    pending.reject(new IlpError(IlpErrorCode.R00_TRANSFER_TIMED_OUT, 'BTP request timed out'));
  };

  /**
   * The first frame of a tick goes straight out (a lone packet waits for nothing); if more
   * follow in the same tick the socket is corked, and the end-of-tick callback uncorks it,
   * so a burst leaves as one `writev` (measured: 3000 answers in ~36 writes, not 3000).
   */
  private write(frame: Uint8Array): boolean {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return false;
    if (this.socket !== undefined) {
      if (!this.inTick) {
        this.inTick = true;
        process.nextTick(this.endTick);
      } else if (!this.corked) {
        this.socket.cork();
        this.corked = true;
      }
    }
    this.ws.send(frame);
    return true;
  }

  /** Runs after the tick's promise continuations (Node drains microtasks, then ticks). */
  private readonly endTick = (): void => {
    this.inTick = false;
    if (!this.corked) return;
    this.corked = false;
    this.socket?.uncork();
  };

  private readonly onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    this.heardSincePing = true;
    if (this.closed) return;
    if (!isBinary) {
      this.invalidFrame('text frame (BTP uses binary frames only)');
      return;
    }
    let packet: BtpPacket;
    try {
      packet = deserializeBtpPacket(rawDataBytes(data));
    } catch (error) {
      this.invalidFrame((error as Error).message);
      return;
    }
    switch (packet.type) {
      case BtpPacketType.Response:
      case BtpPacketType.Error:
        this.settle(packet);
        return;
      case BtpPacketType.Message:
        this.handleMessage(packet);
        return;
      case BtpPacketType.Transfer:
        this.handleTransfer(packet);
        return;
    }
  };

  /**
   * RFC 23: never answer a frame we cannot parse (two confused peers would loop). One bad
   * frame is logged and dropped; a peer that keeps sending them is cut off.
   */
  private invalidFrame(why: string): void {
    this.invalidFrames++;
    this.log('warn', 'BTP: dropped invalid frame', {
      label: this.label,
      reason: why,
      count: this.invalidFrames,
    });
    if (this.invalidFrames >= this.options.maxInvalidFrames) {
      this.close('too many invalid frames', 1002);
    }
  }

  private settle(packet: BtpPacket & { type: BtpPacketType.Response | BtpPacketType.Error }): void {
    const pending = this.pending.get(packet.requestId);
    if (pending === undefined) {
      // late (timed out) or unknown: RFC 23 says send nothing back
      this.log('debug', 'BTP: answer for an unknown request id ignored', {
        label: this.label,
        requestId: packet.requestId,
      });
      return;
    }
    this.pending.delete(packet.requestId);
    clearTimeout(pending.timer);
    if (packet.type === BtpPacketType.Error) {
      pending.reject(
        pending.mode === 'ilp' ? ilpErrorFromBtpError(packet) : protocolErrorFromBtpError(packet),
      );
      return;
    }
    if (pending.mode === 'btp') {
      pending.resolve(packet.protocolData);
      return;
    }
    const ilp = readIlpProtocolData(packet.protocolData);
    if (ilp === undefined) {
      pending.reject(
        new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'BTP Response carried no ilp sub-protocol'),
      );
    } else {
      pending.resolve(ilp);
    }
  }

  private handleMessage(packet: BtpMessagePacket): void {
    const { requestId, protocolData } = packet;
    if (protocolData.length === 0) {
      this.sendError(
        requestId,
        BtpErrorCode.F01_INVALID_FIELDS,
        BTP_ERROR_NAMES.F01,
        'Message has no sub-protocol',
      );
      return;
    }
    const primary = protocolData[0];
    if (primary.protocolName === ILP_PROTOCOL_NAME) {
      const handler = this.ilpHandler;
      if (handler === undefined) {
        this.sendError(
          requestId,
          BtpErrorCode.T00_UNREACHABLE,
          BTP_ERROR_NAMES.T00,
          'not ready for ILP packets',
        );
        return;
      }
      this.incoming++;
      let reply: Promise<Uint8Array>;
      try {
        reply = handler(primary.data);
      } catch (error) {
        reply = Promise.reject(error);
      }
      reply.then(
        (ilp) => this.answer(requestId, ilpProtocolData(ilp)),
        (error: unknown) => this.answerError(requestId, error),
      );
      return;
    }
    const handler = this.messageHandler;
    if (handler === undefined) {
      this.sendError(
        requestId,
        BtpErrorCode.F00_NOT_ACCEPTED,
        BTP_ERROR_NAMES.F00,
        `unsupported sub-protocol ${JSON.stringify(primary.protocolName)}`,
      );
      return;
    }
    this.incoming++;
    this.run(() => handler(protocolData)).then(
      (entries) => this.answer(requestId, entries),
      (error: unknown) => this.answerError(requestId, error),
    );
  }

  private handleTransfer(packet: BtpTransferPacket): void {
    const { requestId, amount, protocolData } = packet;
    const handler = this.transferHandler;
    if (handler === undefined) {
      this.sendError(
        requestId,
        BtpErrorCode.F00_NOT_ACCEPTED,
        BTP_ERROR_NAMES.F00,
        'transfers are not accepted',
      );
      return;
    }
    this.incoming++;
    this.run(() => handler(amount, protocolData)).then(
      (entries) => this.answer(requestId, entries ?? []),
      (error: unknown) => this.answerError(requestId, error),
    );
  }

  private run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return call();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private answer(requestId: number, protocolData: BtpProtocolData[]): void {
    this.incoming--;
    try {
      this.sendResponse(requestId, protocolData);
    } catch (error) {
      // the handler resolved with something that does not encode (not bytes, bad names)
      this.log('error', 'BTP: request handler returned an invalid reply', {
        label: this.label,
        requestId,
        error,
      });
      this.sendInternalError(requestId);
    }
  }

  /** A handler failed: its BtpProtocolError goes out as is; anything else as a bare T00. */
  private answerError(requestId: number, error: unknown): void {
    this.incoming--;
    if (error instanceof BtpProtocolError) {
      try {
        this.sendError(requestId, error.code, error.btpName, error.data);
        return;
      } catch {
        // a code or name that does not encode: fall through to T00
      }
    }
    this.log('error', 'BTP: request handler failed', { label: this.label, requestId, error });
    this.sendInternalError(requestId);
  }

  /** T00 with a fixed text: what went wrong inside stays inside. */
  private sendInternalError(requestId: number): void {
    this.sendError(requestId, BtpErrorCode.T00_UNREACHABLE, BTP_ERROR_NAMES.T00, 'internal error');
  }

  private readonly ping = (): void => {
    if (this.closed || this.pongTimer !== undefined) return;
    this.heardSincePing = false;
    this.ws.ping();
    this.pongTimer = setTimeout(this.onPongTimeout, this.options.pongTimeoutMs);
    this.pongTimer.unref();
  };

  private readonly onPong = (): void => {
    this.heardSincePing = true;
    if (this.pongTimer !== undefined) {
      clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
    }
  };

  private readonly onPongTimeout = (): void => {
    this.pongTimer = undefined;
    if (this.heardSincePing) return; // a frame arrived: the peer is alive, just slow to pong
    this.log('warn', 'BTP: peer did not answer the keep-alive ping; terminating', {
      label: this.label,
    });
    this.terminate('keep-alive timeout');
  };

  private readonly onError = (error: Error): void => {
    // ws emits 'close' right after 'error'; this only keeps the error from being unhandled
    this.log('warn', 'BTP: socket error', { label: this.label, error: error.message });
  };

  private readonly onClose = (code: number, reason: Buffer): void => {
    const text = reason.toString('utf8');
    this.shutdown(text || `socket closed (${code})`);
    this.closeInfo = { code, reason: text };
    this.ws.off('message', this.onMessage);
    this.ws.off('pong', this.onPong);
    this.ws.off('close', this.onClose);
    // keep onError: ws may still report a late socket error after 'close'
    this.emit('close', this.closeInfo);
  };

  /** Stops everything at once: timers, the batch, and every request in flight (T01). */
  private shutdown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    if (this.pongTimer !== undefined) clearTimeout(this.pongTimer);
    this.pingTimer = this.pongTimer = undefined;
    this.endTick(); // flush what is corked before the close frame
    if (this.pending.size > 0) {
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const request of pending) {
        clearTimeout(request.timer);
        request.reject(
          new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, `BTP connection closed: ${reason}`),
        );
      }
    }
  }
}
