/**
 * A BTP client for browsers: the same codec and the same request rules as `BtpConnection`,
 * over the standard WebSocket API (no `ws`, no Node built-ins), for a wallet page that
 * streams money from the customer's account on the node.
 *
 * Deliberately small: one connection, no reconnect (a checkout page reconnects by paying
 * again), no keep-alive pings (browsers answer the server's pings themselves). Request ids
 * are a per-connection counter, as everywhere in Tollgate. Failures of `sendIlp` are
 * `IlpError`s, so STREAM treats them as it treats Rejects: R00 on timeout, T01 when the
 * link is down, and the peer's BTP Error mapped as `BtpConnection` maps it.
 */
import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import { authProtocolData } from './codec/btp-auth';
import { BTP_ERROR_NAMES, BtpErrorCode } from './codec/btp-error-codes';
import { deserializeBtpPacket, serializeBtpPacket } from './codec/btp-packet';
import { BtpPacket, BtpPacketType, BtpProtocolData } from './codec/btp-packet-types';
import { ILP_PROTOCOL_NAME, ilpProtocolData, readIlpProtocolData } from './codec/protocol-data';
import { ilpErrorFromBtpError, protocolErrorFromBtpError } from './btp-reply-errors';

/** The part of the standard WebSocket this client uses (browsers, `ws`, Node 22+). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: 'error', listener: () => void): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BrowserBtpClientOptions {
  /** `ws://host:port/btp` or `wss://…` (no credentials in the URL: browsers refuse them). */
  url: string;
  /** Sent as `auth_username` (the account id); default `''` (the token alone identifies it). */
  username?: string;
  token: string;
  /** WebSocket handshake plus authentication (ms). Default 10 000. */
  connectTimeoutMs?: number;
  /** Default: the platform `WebSocket`. Tests pass `ws`. */
  createWebSocket?: WebSocketFactory;
}

/** Answers an incoming ILP Prepare (from the node) with a Fulfill or Reject. */
export type BrowserIlpHandler = (packet: Uint8Array) => Promise<Uint8Array>;

interface Pending {
  ilp: boolean;
  resolve: (value: Uint8Array | BtpProtocolData[]) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;
const MAX_TIMER_MS = 0x7fff_ffff;

export class BrowserBtpClient {
  private ws: WebSocketLike | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private authenticated = false;
  private closeListeners: ((reason: string) => void)[] = [];
  private ilpHandler: BrowserIlpHandler | undefined;

  constructor(private readonly options: BrowserBtpClientOptions) {
    if (!/^wss?:\/\//.test(options.url)) {
      throw new Error(`BTP URL must start with ws:// or wss:// (got ${options.url})`);
    }
  }

  get isConnected(): boolean {
    return this.authenticated && this.ws?.readyState === OPEN;
  }

  /** Called once when an authenticated connection ends (not for a failed connect). */
  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  setIlpHandler(handler: BrowserIlpHandler | undefined): void {
    this.ilpHandler = handler;
  }

  /** Opens the socket and authenticates; rejects with the reason on failure. */
  connect(): Promise<void> {
    if (this.ws !== undefined) return Promise.reject(new Error('BTP client already connected'));
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    const factory =
      this.options.createWebSocket ??
      ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (message: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.shutdown(message);
        reject(new Error(message));
      };
      const timer = setTimeout(
        () => fail(`BTP connect to ${this.options.url} timed out after ${timeoutMs} ms`),
        timeoutMs,
      );
      let ws: WebSocketLike;
      try {
        ws = factory(this.options.url);
      } catch (error) {
        fail(`BTP connect to ${this.options.url} failed: ${(error as Error).message}`);
        return;
      }
      this.ws = ws;
      ws.binaryType = 'arraybuffer';
      ws.addEventListener('message', (event) => this.onFrame(event.data));
      ws.addEventListener('error', () =>
        fail(`cannot reach the BTP server at ${this.options.url}`),
      );
      ws.addEventListener('close', (event) => {
        if (!settled) {
          fail(`BTP server closed the connection (${event.code} ${event.reason})`.trim());
          return;
        }
        const wasUp = this.authenticated;
        this.shutdown(event.reason || `socket closed (${event.code})`);
        if (wasUp) for (const listener of this.closeListeners) listener(event.reason);
      });
      ws.addEventListener('open', () => {
        const auth = authProtocolData({
          username: this.options.username ?? '',
          token: this.options.token,
        });
        this.request(false, auth, timeoutMs).then(
          () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            this.authenticated = true;
            resolve();
          },
          (error: Error) => fail(`BTP server refused the wallet's credentials: ${error.message}`),
        );
      });
    });
  }

  /** Sends an ILP packet and resolves with the reply packet; rejects only with IlpError. */
  sendIlp(packet: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    if (!this.isConnected) {
      return Promise.reject(
        new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, 'BTP client is not connected'),
      );
    }
    return this.request(true, ilpProtocolData(packet), timeoutMs) as Promise<Uint8Array>;
  }

  close(): void {
    const ws = this.ws;
    this.shutdown('client closed');
    if (ws !== undefined && ws.readyState <= OPEN) ws.close(1000, 'client closed');
  }

  private request(
    ilp: boolean,
    protocolData: BtpProtocolData[],
    timeoutMs: number,
  ): Promise<Uint8Array | BtpProtocolData[]> {
    const ws = this.ws;
    if (ws === undefined || ws.readyState !== OPEN) {
      return Promise.reject(
        new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, 'BTP connection is closed'),
      );
    }
    let id = this.nextRequestId;
    while (this.pending.has(id)) id = (id + 1) >>> 0;
    this.nextRequestId = (id + 1) >>> 0;
    const frame = serializeBtpPacket({ type: BtpPacketType.Message, requestId: id, protocolData });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          if (this.pending.delete(id)) {
            reject(new IlpError(IlpErrorCode.R00_TRANSFER_TIMED_OUT, 'BTP request timed out'));
          }
        },
        Math.min(Math.max(1, timeoutMs), MAX_TIMER_MS),
      );
      this.pending.set(id, { ilp, resolve, reject, timer });
      ws.send(frame);
    });
  }

  private onFrame(data: unknown): void {
    if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) return; // text: not BTP
    let packet: BtpPacket;
    try {
      packet = deserializeBtpPacket(data instanceof Uint8Array ? data : new Uint8Array(data));
    } catch {
      return; // RFC 23: never answer what cannot be parsed
    }
    switch (packet.type) {
      case BtpPacketType.Response:
      case BtpPacketType.Error: {
        const pending = this.pending.get(packet.requestId);
        if (pending === undefined) return;
        this.pending.delete(packet.requestId);
        clearTimeout(pending.timer);
        if (packet.type === BtpPacketType.Error) {
          pending.reject(
            pending.ilp ? ilpErrorFromBtpError(packet) : protocolErrorFromBtpError(packet),
          );
        } else if (!pending.ilp) {
          pending.resolve(packet.protocolData);
        } else {
          const reply = readIlpProtocolData(packet.protocolData);
          if (reply === undefined) {
            pending.reject(
              new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'BTP Response carried no ilp packet'),
            );
          } else pending.resolve(reply);
        }
        return;
      }
      case BtpPacketType.Message: {
        const primary = packet.protocolData[0];
        const handler = this.ilpHandler;
        if (primary?.protocolName === ILP_PROTOCOL_NAME && handler !== undefined) {
          const requestId = packet.requestId;
          handler(primary.data).then(
            (reply) =>
              this.write({
                type: BtpPacketType.Response,
                requestId,
                protocolData: ilpProtocolData(reply),
              }),
            () => this.refuse(requestId, 'internal error'),
          );
        } else {
          this.refuse(packet.requestId, 'this wallet takes no messages');
        }
        return;
      }
      case BtpPacketType.Transfer:
        this.refuse(packet.requestId, 'this wallet takes no transfers');
        return;
    }
  }

  private refuse(requestId: number, text: string): void {
    this.write({
      type: BtpPacketType.Error,
      requestId,
      code: BtpErrorCode.F00_NOT_ACCEPTED,
      name: BTP_ERROR_NAMES.F00,
      triggeredAt: new Date(),
      data: new TextEncoder().encode(text),
      protocolData: [],
    });
  }

  private write(packet: BtpPacket): void {
    if (this.ws?.readyState === OPEN) this.ws.send(serializeBtpPacket(packet));
  }

  private shutdown(reason: string): void {
    this.authenticated = false;
    this.ws = undefined;
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
