/**
 * The engine-facing settlement API (RFC 38 §"connector API"): its own HTTP listener, on
 * loopback by default, because engines are trusted callers that credit money. Idempotency
 * keys are kept in Postgres, so a retried credit gets the same answer from any instance.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PgIdempotencyStore, SqlExecutor, createConnectorApiHandler } from '@tollgate/settlement';
import { DataSource } from 'typeorm';
import { IntervalTask } from '../common/interval-task';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SettlementService } from './settlement.service';

/** Idempotency keys are kept a week after their last use (RFC 38 asks for at least a day). */
const KEY_RETENTION_MS = 7 * 24 * 3_600_000;
const PURGE_INTERVAL_MS = 3_600_000;

@Injectable()
export class SettlementApiServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SettlementApi');
  private server: Server | undefined;
  private purge: IntervalTask | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settlement: SettlementService,
  ) {}

  /** `http://host:port` the API listens on (after start). */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the settlement API is not listening');
    return `http://${this.config.settlementHost}:${address.port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    // The pg pool itself: the store's SQL needs plain `{ rows }` results.
    const pool = (this.dataSource.driver as unknown as { master: SqlExecutor }).master;
    const store = new PgIdempotencyStore(pool, 'settlement_idempotency');
    const handler = createConnectorApiHandler(
      {
        credit: (accountId, q, key) => this.settlement.credit(accountId, q, key),
        message: (accountId, data) => this.settlement.relayToPeer(accountId, data),
      },
      store,
      {
        onError: (error, request) =>
          this.logger.error({
            err: error,
            method: request.method,
            url: request.url,
            msg: 'settlement API error',
          }),
      },
    );
    this.purge = new IntervalTask(
      PURGE_INTERVAL_MS,
      async () => {
        const removed = await store.purge(new Date(Date.now() - KEY_RETENTION_MS));
        if (removed > 0) this.logger.log({ removed, msg: 'old idempotency keys purged' });
      },
      (error) => this.logger.warn({ err: error, msg: 'idempotency key purge failed' }),
    );
    this.purge.start();
    const server = createServer(handler);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.settlementPort, this.config.settlementHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.logger.log({ url: this.url, msg: 'settlement engine API listening' });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.purge?.stop();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
