/**
 * The node's links to its accounts. Incoming: BTP on `ws://host:PORT/btp` (upgrade requests
 * on the app's own HTTP server) and ILP-over-HTTP on `POST /ilp`, both authenticated by the
 * account's incoming token. Outgoing: for accounts with an `outgoingUrl`, a BTP client that
 * keeps reconnecting, or an ILP-over-HTTP client with a bounded keep-alive pool. Every link
 * that comes up is registered with the connector and every packet it carries goes into it.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BtpClient, BtpConnection, BtpLogger, BtpServer } from '@tollgate/btp';
import type { AccountLink } from '@tollgate/connector';
import { serializeIlpPacket } from '@tollgate/ilp-core';
import { IlpHttpClient, IlpHttpHandler } from '@tollgate/ilp-http';
import { Account } from './account.entity';
import { ConnectorRepository } from './connector.repository';
import { ConnectorService } from './connector.service';

export const BTP_PATH = '/btp';

/** A BTP connection (either side) as the connector's outgoing link. */
class BtpLink implements AccountLink {
  constructor(
    private readonly conn: {
      sendIlp(p: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
      readonly isOpen?: boolean;
      readonly isConnected?: boolean;
    },
  ) {}
  send(prepare: Uint8Array, expiresAt: Date): Promise<Uint8Array> {
    return this.conn.sendIlp(prepare, Math.max(1, expiresAt.getTime() - Date.now()));
  }
  get connected(): boolean {
    return this.conn.isOpen ?? this.conn.isConnected ?? false;
  }
}

class HttpLink implements AccountLink {
  readonly connected = true;
  constructor(private readonly client: IlpHttpClient) {}
  send(prepare: Uint8Array, expiresAt: Date): Promise<Uint8Array> {
    return this.client.send(prepare, Math.max(1, expiresAt.getTime() - Date.now()));
  }
}

@Injectable()
export class LinksService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Links');
  readonly btpServer: BtpServer;
  readonly ilpHttp: IlpHttpHandler;
  private readonly outgoing = new Map<string, BtpClient | IlpHttpClient>();
  private httpServer: Server | undefined;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === BTP_PATH || path === `${BTP_PATH}/`) {
      this.btpServer.handleUpgrade(req, socket, head);
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  };

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly connectorService: ConnectorService,
    private readonly repository: ConnectorRepository,
  ) {
    const connector = connectorService.connector;
    const btpLog: BtpLogger = (level, message, details) => {
      if (level === 'error' || level === 'warn') this.logger.warn({ ...details, msg: message });
      else this.logger.debug({ ...details, msg: message });
    };
    this.btpServer = new BtpServer({
      authenticate: async (username, token) => connectorService.authenticate(username, token),
      logger: btpLog,
    });
    this.btpServer.on('connection', (accountId, connection) =>
      this.attachBtp(accountId, connection),
    );
    this.ilpHttp = new IlpHttpHandler({
      authenticate: (token, peerName) => connectorService.authenticate(peerName, token),
      handlePacket: async (accountId, _bytes, prepare) =>
        serializeIlpPacket(await connector.handlePrepare(accountId, prepare)),
      nodeAddress: () => connector.address,
      onError: (error, context) =>
        this.logger.error({ err: error, ...context, msg: 'ILP-over-HTTP request failed' }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.httpServer = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.httpServer.on('upgrade', this.onUpgrade);
    for (const account of await this.repository.allAccounts()) this.openOutgoing(account);
  }

  async onModuleDestroy(): Promise<void> {
    this.httpServer?.off('upgrade', this.onUpgrade);
    const clients = [...this.outgoing.values()];
    this.outgoing.clear();
    await Promise.all([this.btpServer.close(), ...clients.map((c) => c.close())]);
  }

  /** Starts the outgoing link of an account that has an outgoingUrl (no-op otherwise). */
  openOutgoing(account: Account): void {
    if (!account.outgoingUrl) return;
    const connector = this.connectorService.connector;
    if (account.link === 'http') {
      const client = new IlpHttpClient({
        url: account.outgoingUrl,
        token: account.outgoingToken ?? '',
        peerName: connector.address,
      });
      this.outgoing.set(account.id, client);
      connector.setLink(account.id, new HttpLink(client));
      return;
    }
    let client: BtpClient;
    try {
      // Credentials come from the URL (btp+ws://user:token@host) or from outgoingToken.
      client = new BtpClient({
        url: account.outgoingUrl,
        ...(account.outgoingToken !== null ? { token: account.outgoingToken } : {}),
        reconnect: true,
      });
    } catch (error) {
      // A bad stored URL must not keep the node from starting: the account just stays down.
      this.logger.error({
        accountId: account.id,
        err: error,
        msg: 'cannot open the outgoing BTP link',
      });
      return;
    }
    client.setIlpHandler((packet) => connector.handlePacket(account.id, packet));
    client.on('connect', () => {
      this.logger.log({ accountId: account.id, msg: 'BTP link up (outgoing)' });
      connector.setLink(account.id, new BtpLink(client));
    });
    client.on('disconnect', (info) => {
      this.logger.warn({
        accountId: account.id,
        willReconnect: info.willReconnect,
        msg: 'BTP link down (outgoing)',
      });
      connector.setLink(account.id, undefined);
    });
    this.outgoing.set(account.id, client);
    client.connect().catch((error: unknown) => {
      // The first attempt failed (peer not up yet): keep trying in the background.
      this.logger.warn({ accountId: account.id, err: error, msg: 'BTP connect failed; retrying' });
      this.retry(account.id, client);
    });
  }

  async closeOutgoing(accountId: string): Promise<void> {
    const client = this.outgoing.get(accountId);
    this.outgoing.delete(accountId);
    await client?.close();
    this.btpServer.connections.get(accountId)?.close();
  }

  private retry(accountId: string, client: BtpClient, delayMs = 1000): void {
    const timer = setTimeout(() => {
      if (this.outgoing.get(accountId) !== client || client.isConnected) return;
      client.connect().catch(() => this.retry(accountId, client, Math.min(delayMs * 2, 30_000)));
    }, delayMs);
    timer.unref();
  }

  private attachBtp(accountId: string, connection: BtpConnection): void {
    const connector = this.connectorService.connector;
    connection.setIlpHandler((packet) => connector.handlePacket(accountId, packet));
    connector.setLink(accountId, new BtpLink(connection));
    this.logger.log({ accountId, msg: 'BTP link up (incoming)' });
    connection.once('close', () => {
      // A replacement connection may already have registered its own link.
      if (this.btpServer.connections.get(accountId) === undefined)
        connector.setLink(accountId, undefined);
      this.logger.log({ accountId, msg: 'BTP link down (incoming)' });
    });
  }
}
