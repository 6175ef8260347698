/**
 * Wires one settlement engine together: its database (Postgres, or an embedded PGlite),
 * the chain (an RPC URL, or an anvil of its own), the RFC 38 API on node:http, and the
 * background workers (peer handshakes, outgoing transfers, the block watcher, the credit
 * outbox). `startEngine` returns once the API listens; `stop` undoes everything in reverse.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import {
  ConnectorSettlementClient,
  createEngineApiHandler,
  PgIdempotencyStore,
  SettlementError,
  SettlementErrorCode,
  type EngineHandlers,
} from '@tollgate/settlement';
import { startEmbeddedPostgres } from '../../server/src/database/embedded-postgres';
import { ANVIL_CHAIN_ID, devAccountKey, startAnvil } from './chain/anvil';
import { EthLedger } from './chain/eth-ledger';
import type { EngineConfig } from './config';
import { EngineStore } from './database/engine-store';
import { IDEMPOTENCY_TABLE, migrate } from './database/migrations';
import { createLogger } from './logger';
import { PeeringService } from './peering/peering.service';
import { CreditReporter } from './settlement/credit-reporter';
import { IncomingWatcher } from './settlement/incoming-watcher';
import { OutgoingSettlements, type OutgoingFaults } from './settlement/outgoing-settlements';

const KEY_RETENTION_MS = 7 * 24 * 3_600_000;

export interface EngineOptions {
  logger?: Logger;
  faults?: OutgoingFaults;
}

export interface RunningEngine {
  url: string;
  port: number;
  /** Our wallet's address. */
  address: string;
  chainId: bigint;
  rpcUrl: string;
  store: EngineStore;
  stop(): Promise<void>;
}

export async function startEngine(
  config: EngineConfig,
  options: EngineOptions = {},
): Promise<RunningEngine> {
  const log = options.logger ?? createLogger(config.logLevel);
  const cleanup: Array<() => Promise<void> | void> = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        log.error({ err: error }, 'error while stopping');
      }
    }
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: resolve(config.dataDir) });
      cleanup.push(() => embedded.stop());
      databaseUrl = embedded.url;
      log.info({ dataDir: embedded.dataDir }, 'using the embedded database');
    }
    // One connection on the embedded database: pglite-socket runs every connection on one
    // backend, and two connections' parameterised queries interleave there and lose each
    // other's unnamed prepared statement ("unnamed prepared statement does not exist").
    const pool = new Pool({
      connectionString: databaseUrl,
      max: config.databaseUrl ? config.databasePoolSize : 1,
    });
    pool.on('error', (error) => log.error({ err: error }, 'database connection error'));
    cleanup.push(() => pool.end());
    await migrate(pool);
    const store = new EngineStore(pool);

    let rpcUrl = config.rpcUrl;
    if (!rpcUrl) {
      const anvil = await startAnvil({ port: config.anvilPort, statePath: config.anvilStatePath });
      cleanup.push(() => anvil.stop());
      rpcUrl = anvil.url;
      log.info({ rpcUrl }, 'started anvil');
    }
    const usesDevKey = config.privateKey === undefined;
    const ledger = await EthLedger.connect(
      rpcUrl,
      config.privateKey ?? devAccountKey(config.devAccountIndex),
    );
    cleanup.push(() => ledger.destroy());
    if (usesDevKey && ledger.chainId !== ANVIL_CHAIN_ID) {
      throw new Error(
        `no ETH_PRIVATE_KEY: the public dev accounts are only allowed on a dev chain (31337), ` +
          `this chain is ${ledger.chainId}`,
      );
    }
    if (usesDevKey) {
      log.warn({ devAccount: config.devAccountIndex }, 'using a public anvil dev account');
    }

    const connector = new ConnectorSettlementClient(config.connectorUrl);
    const retry = { retryBaseMs: config.retryBaseMs, retryMaxMs: config.retryMaxMs };
    const outgoing = new OutgoingSettlements(
      store,
      ledger,
      log.child({ part: 'outgoing' }),
      { ...retry, pollIntervalMs: config.pollIntervalMs },
      options.faults,
    );
    const reporter = new CreditReporter(
      store,
      connector,
      ledger.chainId,
      log.child({ part: 'reporter' }),
      {
        ...retry,
        idleMs: 60_000,
      },
    );
    const peering = new PeeringService(store, ledger, connector, log.child({ part: 'peering' }), {
      ...retry,
      idleMs: 60_000,
      onPeerProven: () => {
        outgoing.kick();
        reporter.kick();
      },
    });
    const watcher = new IncomingWatcher(
      store,
      ledger,
      log.child({ part: 'incoming' }),
      { confirmations: config.confirmations, pollIntervalMs: config.pollIntervalMs },
      () => reporter.kick(),
    );
    await watcher.init();

    const handlers: EngineHandlers = {
      async createAccount(id) {
        await store.createAccount(id);
        peering.requestSoon(id);
      },
      async deleteAccount(id) {
        if (!(await store.deleteAccount(id))) {
          throw new SettlementError(SettlementErrorCode.AccountNotFound);
        }
      },
      settle: (id, q, key) => outgoing.settle(id, q, key),
      receiveMessage: (id, data) => peering.answer(id, data),
    };
    const idempotency = new PgIdempotencyStore(pool, IDEMPOTENCY_TABLE);
    const server: Server = createServer(
      createEngineApiHandler(handlers, idempotency, {
        onError: (error, request) => log.error({ err: error, ...request }, 'request failed'),
      }),
    );
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolvePromise();
      });
    });
    cleanup.push(
      () =>
        new Promise<void>((resolvePromise) => {
          server.close(() => resolvePromise());
          server.closeAllConnections();
        }),
    );
    const workers = [peering, outgoing, watcher, reporter];
    for (const worker of workers) worker.start();
    // Workers stop before the server, the ledger and the database they use.
    cleanup.push(() => Promise.all(workers.map((worker) => worker.stop())).then(() => undefined));

    // RFC 38 asks to keep Idempotency-Keys at least 24 hours; a week is generous and bounded.
    const purge = setInterval(() => {
      idempotency
        .purge(new Date(Date.now() - KEY_RETENTION_MS))
        .catch((error: unknown) => log.warn({ err: error }, 'purging idempotency keys failed'));
    }, 3_600_000);
    purge.unref();
    cleanup.push(() => clearInterval(purge));

    const port = (server.address() as AddressInfo).port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    log.info(
      {
        url,
        address: ledger.address,
        chainId: ledger.chainId.toString(),
        connectorUrl: config.connectorUrl,
        confirmations: config.confirmations,
      },
      'settlement engine listening',
    );
    return {
      url,
      port,
      address: ledger.address,
      chainId: ledger.chainId,
      rpcUrl,
      store,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
