/**
 * BTP client side: dials a BTP server, authenticates (auth, auth_username, auth_token) and
 * keeps the link up, reconnecting with capped exponential back-off and jitter after an
 * unexpected close. The ILP API delegates to the current {@link BtpConnection}; handlers are
 * kept here and installed on every new connection.
 *
 * Not reconnected: after `close()`, and after close code 4001 (the server replaced this
 * connection with a newer one for the same account: reconnecting would make two clients
 * with the same credentials evict each other forever).
 */
import { EventEmitter } from 'node:events';
import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import WebSocket from 'ws';
import { authProtocolData } from './codec/btp-auth';
import { BtpProtocolError } from './codec/btp-error-codes';
import { BtpProtocolData } from './codec/btp-packet-types';
import {
  BTP_CLOSE_REPLACED,
  BtpCloseInfo,
  BtpConnection,
  BtpConnectionOptions,
  BtpIlpHandler,
  BtpLogger,
  BtpMessageHandler,
  BtpTransferHandler,
} from './btp-connection';
import { BtpEndpoint, parseBtpUrl, redact } from './btp-url';

export interface BtpClientOptions extends Omit<BtpConnectionOptions, 'label'> {
  /** `btp+ws://user:token@host:port/path`, `btp+wss://…`, or `ws(s)://` with the options below. */
  url: string;
  /** With a plain ws(s) URL: sent as `auth_username` (default `''`). */
  username?: string;
  /** With a plain ws(s) URL: sent as `auth_token` (default `''`). */
  token?: string;
  /** Time for the WebSocket handshake plus authentication (ms). Default 10 000. */
  connectTimeoutMs?: number;
  /** Reconnect after an unexpected close. Default true. */
  reconnect?: boolean;
  /** First reconnect delay (ms). Default 100. */
  reconnectInitialDelayMs?: number;
  /** Cap on the reconnect delay (ms). Default 30 000. */
  reconnectMaxDelayMs?: number;
  /** Growth of the delay per failed attempt. Default 2. */
  reconnectMultiplier?: number;
  /** Each delay is cut by up to this fraction at random (0..1), so clients spread out. Default 0.2. */
  reconnectJitter?: number;
  /** Largest frame accepted (bytes). Default 1 MiB. */
  maxPayload?: number;
  /** How long a closing handshake may take before the socket is destroyed. Default 5 000. */
  closeTimeoutMs?: number;
}

export interface BtpDisconnectInfo extends BtpCloseInfo {
  /** Whether the client will try to reconnect. */
  willReconnect: boolean;
}

const noop = (): void => undefined;

export class BtpClient extends EventEmitter<{ connect: []; disconnect: [BtpDisconnectInfo] }> {
  private readonly endpoint: BtpEndpoint;
  private readonly connectionOptions: BtpConnectionOptions;
  private readonly log: BtpLogger;
  private current: BtpConnection | undefined;
  private opening: WebSocket | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private stopped = true;
  private ilpHandler: BtpIlpHandler | undefined;
  private messageHandler: BtpMessageHandler | undefined;
  private transferHandler: BtpTransferHandler | undefined;

  constructor(private readonly options: BtpClientOptions) {
    super();
    this.endpoint = parseBtpUrl(options.url, { username: options.username, token: options.token });
    this.log = options.logger ?? noop;
    this.connectionOptions = {
      pingIntervalMs: options.pingIntervalMs,
      pongTimeoutMs: options.pongTimeoutMs,
      maxInvalidFrames: options.maxInvalidFrames,
      maxBufferedBytes: options.maxBufferedBytes,
      logger: options.logger,
      label: redact(options.url),
    };
  }

  /** True while an authenticated connection is open. */
  get isConnected(): boolean {
    return this.current?.isOpen === true;
  }

  /** The current authenticated connection, if any. */
  get connection(): BtpConnection | undefined {
    return this.current;
  }

  /**
   * Opens and authenticates the link. Rejects (without retrying) when the server is not
   * reachable, with a BtpProtocolError when it refuses the credentials. Once connected,
   * later drops are repaired in the background.
   */
  connect(): Promise<void> {
    if (this.current?.isOpen) return Promise.resolve();
    if (this.connecting !== undefined) return this.connecting;
    if (this.reconnectTimer !== undefined) {
      // a reconnect is waiting out its back-off: attempt now instead, not twice
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
    }
    this.stopped = false;
    this.connecting = this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Closes the link and stops reconnecting; resolves once the socket is closed. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== undefined) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
    }
    this.opening?.terminate();
    const connection = this.current;
    if (connection !== undefined && connection.closedWith === undefined) {
      const closed = new Promise<void>((resolve) => connection.once('close', () => resolve()));
      connection.close('client closed');
      await closed;
    }
  }

  sendIlp(packet: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const connection = this.current;
    if (connection === undefined) return Promise.reject(notConnected());
    return connection.sendIlp(packet, timeoutMs);
  }

  sendMessage(protocolData: BtpProtocolData[], timeoutMs: number): Promise<BtpProtocolData[]> {
    const connection = this.current;
    if (connection === undefined) return Promise.reject(notConnected());
    return connection.sendMessage(protocolData, timeoutMs);
  }

  sendTransfer(
    amount: bigint,
    protocolData: BtpProtocolData[],
    timeoutMs: number,
  ): Promise<BtpProtocolData[]> {
    const connection = this.current;
    if (connection === undefined) return Promise.reject(notConnected());
    return connection.sendTransfer(amount, protocolData, timeoutMs);
  }

  setIlpHandler(handler: BtpIlpHandler | undefined): void {
    this.ilpHandler = handler;
    this.current?.setIlpHandler(handler);
  }

  setMessageHandler(handler: BtpMessageHandler | undefined): void {
    this.messageHandler = handler;
    this.current?.setMessageHandler(handler);
  }

  setTransferHandler(handler: BtpTransferHandler | undefined): void {
    this.transferHandler = handler;
    this.current?.setTransferHandler(handler);
  }

  /** One attempt: WebSocket handshake, then the auth message; resolves once authenticated. */
  private open(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    const started = Date.now();
    const wsOptions: WebSocket.ClientOptions & { closeTimeout?: number } = {
      perMessageDeflate: false,
      maxPayload: this.options.maxPayload ?? 1024 * 1024,
      handshakeTimeout: timeoutMs,
      closeTimeout: this.options.closeTimeoutMs ?? 5_000,
    };
    const where = redact(this.options.url);
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.endpoint.url, wsOptions);
      this.opening = ws;
      let connection: BtpConnection | undefined;
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.off('close', onEarlyClose);
        if (this.opening === ws) this.opening = undefined;
        if (connection !== undefined) connection.terminate('connect failed');
        else ws.terminate();
        reject(error);
      };
      const onError = (error: Error): void =>
        fail(new Error(`BTP connect to ${where} failed: ${error.message}`, { cause: error }));
      const onEarlyClose = (code: number, reason: Buffer): void =>
        fail(
          new Error(
            this.stopped
              ? 'BTP client closed while connecting'
              : `BTP connection to ${where} closed before authentication (${code} ${reason.toString()})`,
          ),
        );
      const timer = setTimeout(
        () => fail(new Error(`BTP connect to ${where} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      ws.on('error', onError);
      ws.once('close', onEarlyClose);
      ws.once('open', () => {
        const opened = new BtpConnection(ws, this.connectionOptions);
        connection = opened;
        opened.setIlpHandler(this.ilpHandler);
        opened.setMessageHandler(this.messageHandler);
        opened.setTransferHandler(this.transferHandler);
        const auth = authProtocolData({
          username: this.endpoint.username,
          token: this.endpoint.token,
        });
        opened.sendMessage(auth, Math.max(1, timeoutMs - (Date.now() - started))).then(
          () => {
            if (settled) return;
            if (this.stopped) {
              fail(new Error('BTP client closed while connecting'));
              return;
            }
            settled = true;
            clearTimeout(timer);
            ws.off('error', onError);
            ws.off('close', onEarlyClose);
            this.opening = undefined;
            this.current = opened;
            this.attempt = 0;
            opened.once('close', (info) => this.onConnectionClose(opened, info));
            this.log('info', 'BTP: connected', { url: where });
            resolve();
            this.emit('connect');
          },
          (error: unknown) =>
            fail(
              error instanceof BtpProtocolError
                ? new BtpProtocolError(
                    error.code,
                    `BTP server ${where} refused authentication: ${new TextDecoder().decode(error.data)}`,
                    error.btpName,
                    error.data,
                    error.triggeredAt,
                  )
                : new Error(
                    `BTP authentication with ${where} failed: ${(error as Error).message}`,
                    {
                      cause: error,
                    },
                  ),
            ),
        );
      });
    });
  }

  private onConnectionClose(connection: BtpConnection, info: BtpCloseInfo): void {
    if (this.current === connection) this.current = undefined;
    const willReconnect =
      !this.stopped && this.options.reconnect !== false && info.code !== BTP_CLOSE_REPLACED;
    this.log(willReconnect ? 'warn' : 'info', 'BTP: disconnected', { ...info, willReconnect });
    this.emit('disconnect', { ...info, willReconnect });
    if (willReconnect) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const initial = this.options.reconnectInitialDelayMs ?? 100;
    const max = this.options.reconnectMaxDelayMs ?? 30_000;
    const multiplier = this.options.reconnectMultiplier ?? 2;
    const jitter = Math.min(1, Math.max(0, this.options.reconnectJitter ?? 0.2));
    const delay =
      Math.min(max, initial * multiplier ** this.attempt) * (1 - jitter * Math.random());
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopped) return;
      this.connecting = this.open()
        .catch((error: unknown) => {
          if (this.stopped) return;
          // refused credentials are retried too (at the capped pace): the server side may
          // be fixed without restarting this process
          this.log('warn', 'BTP: reconnect failed', {
            error: (error as Error).message,
            attempt: this.attempt,
          });
          this.scheduleReconnect();
        })
        .finally(() => {
          this.connecting = undefined;
        });
    }, delay);
  }
}

function notConnected(): IlpError {
  return new IlpError(IlpErrorCode.T01_PEER_UNREACHABLE, 'BTP client is not connected');
}
