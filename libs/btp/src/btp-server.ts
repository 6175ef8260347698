/**
 * BTP server side: takes WebSocket upgrades, authenticates the first Message (RFC 23
 * §"Authentication") and hands each authenticated link out as a {@link BtpConnection}.
 *
 * It does not own an HTTP server: the app calls {@link BtpServer.handleUpgrade} from its
 * own server's `upgrade` event (e.g. for `/btp`); {@link BtpServer.listen} exists for tests
 * and standalone use. One live connection per account: a newer authenticated connection
 * replaces (closes, code 4001) the older one, as ilp-plugin-btp does.
 */
import { EventEmitter } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { readAuthMessage } from './codec/btp-auth';
import { BTP_ERROR_NAMES, BtpErrorCode, BtpProtocolError } from './codec/btp-error-codes';
import { deserializeBtpPacket, serializeBtpPacket } from './codec/btp-packet';
import { BtpPacket, BtpPacketType, MAX_ERROR_DATA_LENGTH } from './codec/btp-packet-types';
import {
  BTP_CLOSE_REPLACED,
  BtpConnection,
  BtpConnectionOptions,
  BtpLogger,
  rawDataBytes,
} from './btp-connection';

export interface BtpServerOptions extends Omit<BtpConnectionOptions, 'label'> {
  /**
   * Checks the credentials of the auth message; resolves with the account id, or undefined
   * to refuse. Comparing the token in constant time is this callback's job. `username` is
   * `''` when the client sent no `auth_username`.
   */
  authenticate(username: string, token: string): Promise<string | undefined>;
  /** Close sockets that have not authenticated within this many ms. Default 10 000. */
  authTimeoutMs?: number;
  /** Largest frame accepted (bytes); bigger ones close that socket (1009). Default 1 MiB. */
  maxPayload?: number;
  /** How long a closing handshake may take before the socket is destroyed. Default 5 000. */
  closeTimeoutMs?: number;
}

/** Frames a client may send after the auth message before the answer (it should wait). */
const MAX_FRAMES_DURING_AUTH = 32;

const noop = (): void => undefined;

export class BtpServer extends EventEmitter<{
  connection: [accountId: string, connection: BtpConnection];
}> {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly accounts = new Map<string, BtpConnection>();
  private httpServer: Server | undefined;
  private closing = false;
  private readonly log: BtpLogger;
  private readonly authTimeoutMs: number;

  constructor(private readonly options: BtpServerOptions) {
    super();
    this.log = options.logger ?? noop;
    this.authTimeoutMs = options.authTimeoutMs ?? 10_000;
    const wsOptions: WebSocket.ServerOptions & { closeTimeout?: number } = {
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxPayload ?? 1024 * 1024,
      closeTimeout: options.closeTimeoutMs ?? 5_000,
    };
    this.wss = new WebSocketServer(wsOptions);
  }

  /** Authenticated connections, by account id. */
  get connections(): ReadonlyMap<string, BtpConnection> {
    return this.accounts;
  }

  /** Takes one HTTP upgrade request (call it from the HTTP server's `upgrade` event). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  /** Starts a private HTTP server taking upgrades on any path; resolves with its port. */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    if (this.httpServer !== undefined) throw new Error('BtpServer is already listening');
    const server = createServer((_request, response) => {
      response
        .writeHead(426, { 'content-type': 'text/plain' })
        .end('BTP needs a WebSocket upgrade\n');
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.handleUpgrade(request, socket, head),
    );
    this.httpServer = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  /** Closes every socket (authenticated or not) and the server started by `listen`. */
  async close(): Promise<void> {
    this.closing = true;
    const closed = [...this.sockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
        }),
    );
    for (const connection of this.accounts.values()) connection.close('server shutting down', 1001);
    for (const ws of this.sockets) {
      if (ws.readyState === WebSocket.OPEN) {
        ws.resume(); // sockets paused during authentication must read the close answer
        ws.close(1001, 'server shutting down');
      }
    }
    await Promise.all(closed);
    const server = this.httpServer;
    this.httpServer = undefined;
    if (server !== undefined) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', (error) => this.log('debug', 'BTP: socket error', { error: error.message }));
    const pending: PendingAuth = new PendingAuth(ws, this.authTimeoutMs, this.log, (packet) =>
      this.authenticate(pending, packet),
    );
  }

  /** Checks the first packet and runs the callback; hands the link out on success. */
  private async authenticate(pending: PendingAuth, packet: BtpPacket): Promise<void> {
    let accountId: string | undefined;
    try {
      const { username, token } = readAuthMessage(packet);
      try {
        accountId = await this.options.authenticate(username ?? '', token);
      } catch (error) {
        // our failure, not the client's: T00 tells it to try again later
        this.log('error', 'BTP: authenticate callback failed', { error });
        throw new BtpProtocolError(
          BtpErrorCode.T00_UNREACHABLE,
          'authentication unavailable; try later',
        );
      }
      if (accountId === undefined) {
        throw new BtpProtocolError(
          BtpErrorCode.F00_NOT_ACCEPTED,
          'invalid auth_username or auth_token',
        );
      }
    } catch (error) {
      const refusal =
        error instanceof BtpProtocolError
          ? error
          : new BtpProtocolError(BtpErrorCode.F00_NOT_ACCEPTED, 'authentication failed');
      this.log('info', 'BTP: authentication refused', { reason: refusal.message });
      pending.refuse(packet.requestId, refusal);
      return;
    }
    const ws = pending.ws;
    if (ws.readyState !== WebSocket.OPEN || this.closing) {
      pending.abort(1001, 'server shutting down');
      return;
    }
    const queued = pending.finish();
    ws.send(
      serializeBtpPacket({
        type: BtpPacketType.Response,
        requestId: packet.requestId,
        protocolData: [],
      }),
    );
    const {
      authenticate: _a,
      authTimeoutMs: _t,
      maxPayload: _m,
      closeTimeoutMs: _c,
      ...options
    } = this.options;
    const connection = new BtpConnection(ws, { ...options, label: accountId });
    const previous = this.accounts.get(accountId);
    this.accounts.set(accountId, connection);
    connection.once('close', () => {
      if (this.accounts.get(accountId) === connection) this.accounts.delete(accountId);
    });
    if (previous !== undefined) {
      this.log('info', 'BTP: connection replaced by a newer one', { accountId });
      previous.close('replaced by a newer connection for the same account', BTP_CLOSE_REPLACED);
    }
    this.log('info', 'BTP: authenticated', { accountId });
    // listeners set their handlers here, before any queued request is processed
    this.emit('connection', accountId, connection);
    for (const [data, isBinary] of queued) connection.receiveFrame(data, isBinary);
    ws.resume();
  }
}

/**
 * The socket between the upgrade and the end of authentication. The first frame must be
 * the auth message; the few frames that arrive while it is checked are kept and replayed
 * to the connection, and reading is paused meanwhile.
 */
class PendingAuth {
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly queued: [WebSocket.RawData, boolean][] = [];
  private checking = false;
  private done = false;

  constructor(
    readonly ws: WebSocket,
    timeoutMs: number,
    private readonly log: BtpLogger,
    private readonly check: (packet: BtpPacket) => Promise<void>,
  ) {
    this.timer = setTimeout(this.onTimeout, timeoutMs);
    ws.on('message', this.onMessage);
    ws.once('close', this.stop);
  }

  /** Success: stops listening and returns the frames that arrived meanwhile. */
  finish(): [WebSocket.RawData, boolean][] {
    this.stop();
    return this.queued;
  }

  /** Closes without a BTP answer. */
  abort(code: number, reason: string): void {
    this.stop();
    // a paused socket never reads the peer's close frame: resume so the handshake completes
    this.ws.resume();
    this.ws.close(code, reason);
  }

  /** Sends the Error answering the auth message (F00 NotAcceptedError), then closes. */
  refuse(requestId: number, error: BtpProtocolError): void {
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(
        serializeBtpPacket({
          type: BtpPacketType.Error,
          requestId,
          code: error.code,
          name: error.btpName || BTP_ERROR_NAMES.F00,
          triggeredAt: new Date(),
          data: error.data.subarray(0, MAX_ERROR_DATA_LENGTH),
          protocolData: [],
        }),
      );
    }
    this.abort(1008, 'authentication failed');
  }

  private readonly stop = (): void => {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.ws.off('message', this.onMessage);
    this.ws.off('close', this.stop);
  };

  private readonly onTimeout = (): void => {
    this.log('info', 'BTP: no authentication in time; closing');
    this.abort(1008, 'authentication timeout');
  };

  private readonly onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    if (this.checking) {
      this.queued.push([data, isBinary]);
      if (this.queued.length > MAX_FRAMES_DURING_AUTH) {
        this.abort(1008, 'too many frames before authentication');
      }
      return;
    }
    if (!isBinary) {
      this.abort(1003, 'BTP uses binary frames only');
      return;
    }
    let packet: BtpPacket;
    try {
      packet = deserializeBtpPacket(rawDataBytes(data));
    } catch {
      // nothing is answered to an unparseable frame (RFC 23), and this one was the auth
      this.abort(1002, 'invalid BTP packet');
      return;
    }
    this.checking = true;
    this.ws.pause();
    this.check(packet).catch((error: unknown) => {
      this.log('error', 'BTP: authentication crashed', { error });
      this.stop();
      this.ws.terminate();
    });
  };
}
