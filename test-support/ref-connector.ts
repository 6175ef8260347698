/**
 * The reference connector, ilp-connector 23 (CommonJS), run in-process for the interop
 * tests of the app and the libraries, with a handle on what its admin API would show and do
 * (best routes, balances, `POST /balance`, rates) without opening its admin port.
 */
import { Writable } from 'node:stream';

// ilp-connector and its own dependencies, resolved from where it is installed, so the
// services read below are the very instances the app was built from.
/* eslint-disable @typescript-eslint/no-require-imports */
const connectorEntry = require.resolve('ilp-connector');
const fromConnector = (id: string) => require(require.resolve(id, { paths: [connectorEntry] }));
const { createApp } = require('ilp-connector');
const reduct = fromConnector('reduct').default;
const RouteBroadcaster = fromConnector('ilp-connector/dist/services/route-broadcaster').default;
const RateBackend = fromConnector('ilp-connector/dist/services/rate-backend').default;
const MiddlewareManager = fromConnector('ilp-connector/dist/services/middleware-manager').default;
const Accounts = fromConnector('ilp-connector/dist/services/accounts').default;
const connectorLog = fromConnector('ilp-connector/dist/common/log');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * ilp-connector's own log lines (riverpig, info and up, written to stdout by default), kept
 * here instead; REFCONN_LOG=1 leaves them on stdout.
 */
export const refLogs: string[] = [];
if (!process.env.REFCONN_LOG) {
  connectorLog.setOutputStream(
    new Writable({
      write(chunk, _encoding, done) {
        refLogs.push(String(chunk));
        if (refLogs.length > 5_000) refLogs.splice(0, 1_000);
        done();
      },
    }),
  );
}

/** The parts of an ilp-connector plugin (LPI v2) the tests touch. */
export interface RefPlugin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  sendData(data: Buffer): Promise<Buffer>;
  registerDataHandler(handler: (data: Buffer) => Promise<Buffer>): void;
}

interface IlpConnectorApp {
  listen(): Promise<void>;
  shutdown(): Promise<void>;
  getPlugin(id: string): RefPlugin;
  removePlugin(id: string): Promise<void>;
}

interface BalanceMiddleware {
  getStatus(): { accounts: Record<string, { balance: string }> };
  modifyBalance(accountId: string, amountDiff: string): unknown;
}

export interface RefRoute {
  nextHop: string;
  /** Space-separated, as ilp-connector's admin API shows it. */
  path: string;
}

export interface RefConnector {
  app: IlpConnectorApp;
  /** Its local routing table: prefix → best route (GET /routing → localRoutingTable). */
  routes(): Record<string, RefRoute>;
  /** Balances of the accounts with a `balance` setting, from the connector's perspective (positive = the account owes it). */
  balances(): Record<string, string>;
  /** One of those balances. */
  balance(accountId: string): bigint;
  /**
   * What the admin API's `POST /balance` does: an out-of-band settlement moving the
   * account's balance by `diff` (negative: the account paid the connector).
   */
  modifyBalance(accountId: string, diff: bigint): void;
  /** The rate its backend applies from one account to another (destination units per source unit). */
  rate(from: string, to: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts ilp-connector with test defaults (test network, one-to-one rates without spread,
 * in-memory store, short initial connect wait) and the given config on top.
 */
export async function startRefConnector(config: Record<string, unknown>): Promise<RefConnector> {
  const deps = reduct();
  const app: IlpConnectorApp = createApp(
    {
      env: 'test',
      backend: 'one-to-one',
      spread: 0,
      store: 'memory',
      // listener plugins only "connect" once their client has: don't wait for that here
      initialConnectTimeout: 100,
      ...config,
    },
    deps,
  );
  await app.listen();
  const broadcaster = deps(RouteBroadcaster);
  const middlewares = deps(MiddlewareManager);
  const accounts = deps(Accounts);
  const rates = deps(RateBackend);
  const balanceMiddleware = (): BalanceMiddleware => middlewares.getMiddleware('balance');
  let stopped = false;
  return {
    app,
    balance: (id) => BigInt(balanceMiddleware().getStatus().accounts[id].balance),
    modifyBalance: (id, diff) => void balanceMiddleware().modifyBalance(id, diff.toString()),
    rate: (from, to) => rates.getRate(from, to),
    routes: () => broadcaster.getStatus().localRoutingTable,
    balances() {
      const status = middlewares.getMiddleware('balance')?.getStatus() ?? { accounts: {} };
      return Object.fromEntries(
        Object.entries(status.accounts as Record<string, { balance: string }>).map(([id, b]) => [
          id,
          b.balance,
        ]),
      );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.shutdown();
      // shutdown() only disconnects plugins that are connected: a listener whose client is
      // gone would keep its port open.
      for (const id of accounts.getAccountIds() as string[]) {
        await accounts
          .getPlugin(id)
          .disconnect()
          .catch(() => undefined);
      }
    },
  };
}

export { freePort } from './free-port';

/** Calls `onData` with every packet the plugin hands to the connector (before it does). */
export function tapIncoming<P extends RefPlugin>(plugin: P, onData: (data: Buffer) => void): P {
  const register = plugin.registerDataHandler.bind(plugin);
  plugin.registerDataHandler = (handler) =>
    register(async (data) => {
      onData(data);
      return handler(data);
    });
  return plugin;
}
