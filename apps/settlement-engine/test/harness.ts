/**
 * Test helpers for the settlement engine: a shared anvil, engine configs for tests, and a
 * small in-test "connector" that relays messages between engines (as two ILP nodes would
 * over `peer.settle`) and records the credits its engine reports, with switches to go down
 * or to lose an answer.
 */
import { createServer, type Server } from 'node:http';
import { JsonRpcProvider } from 'ethers';
import {
  createConnectorApiHandler,
  MemoryIdempotencyStore,
  SettlementEngineClient,
  SettlementError,
  SettlementErrorCode,
  type Quantity,
} from '@tollgate/settlement';
import { freePort } from '../../../test-support/free-port';
import { loadConfig, type EngineConfig } from '../src/config';

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * An engine config for tests. `embedded`: the test database is a PGlite, which takes one
 * connection at a time.
 */
export function testConfig(env: Record<string, string>, embedded = false): EngineConfig {
  return loadConfig({
    ENGINE_PORT: '0',
    ETH_CONFIRMATIONS: '1',
    ETH_POLL_INTERVAL_MS: '25',
    ENGINE_RETRY_BASE_MS: '25',
    ENGINE_RETRY_MAX_MS: '300',
    LOG_LEVEL: process.env.ENGINE_TEST_LOG_LEVEL ?? 'silent',
    ...(embedded ? { ENGINE_DATABASE_POOL_SIZE: '1' } : {}),
    ...env,
  });
}

export function rpc(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, {
    staticNetwork: true,
    batchMaxCount: 1,
    cacheTimeout: -1,
  });
}

export interface Credit {
  accountId: string;
  q: Quantity;
  key: string;
}

/** Where the connector relays an account's messages: the peer engine's account URL. */
export type RelayTarget = () => { engineUrl: string; peerAccountId: string } | undefined;

export class TestConnector {
  readonly credits: Credit[] = [];
  /** Answer 503 to credits (the connector's database is down, say). */
  failCredits = false;
  /** Process the next credit but cut the connection before answering. */
  loseNextAnswer = false;
  private server?: Server;
  private readonly relays = new Map<string, RelayTarget>();

  private constructor(readonly port: number) {}

  static async start(): Promise<TestConnector> {
    const connector = new TestConnector(await freePort());
    await connector.up();
    return connector;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  relay(accountId: string, target: RelayTarget): void {
    this.relays.set(accountId, target);
  }

  creditsFor(key: string): Credit[] {
    return this.credits.filter((c) => c.key === key);
  }

  private readonly store = new MemoryIdempotencyStore();

  async up(): Promise<void> {
    const handler = createConnectorApiHandler(
      {
        credit: async (accountId, q, key) => {
          if (this.failCredits) throw new Error('connector database unavailable');
          this.credits.push({ accountId, q, key });
        },
        message: async (accountId, data) => {
          const target = this.relays.get(accountId)?.();
          if (!target) throw new SettlementError(SettlementErrorCode.AccountNotFound);
          try {
            return await new SettlementEngineClient(target.engineUrl).sendMessage(
              target.peerAccountId,
              data,
            );
          } catch (error) {
            throw new SettlementError(SettlementErrorCode.PeerUnreachable, String(error), {
              cause: error,
            });
          }
        },
      },
      this.store,
    );
    this.server = createServer((req, res) => {
      if (this.loseNextAnswer && req.url?.endsWith('/settlements')) {
        this.loseNextAnswer = false;
        // Let the request be processed, then drop the connection instead of answering.
        res.writeHead = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.writeHead;
      }
      handler(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
