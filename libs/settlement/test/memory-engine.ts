/**
 * A tiny in-memory settlement engine on `createEngineApiHandler`, for the library's own
 * tests: it records settlements instead of paying, and answers `ping:<x>` messages with
 * `pong:<x>` (anything else is refused as a peer engine would).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEngineApiHandler,
  MemoryIdempotencyStore,
  SettlementError,
  type EngineHandlers,
  type Quantity,
} from '../src/index';

export interface MemoryEngine {
  url: string;
  accounts: Set<string>;
  settlements: Array<{ id: string; q: Quantity; key: string }>;
  close(): Promise<void>;
}

export async function startMemoryEngine(): Promise<MemoryEngine> {
  const accounts = new Set<string>();
  const settlements: MemoryEngine['settlements'] = [];
  const known = (id: string): void => {
    if (!accounts.has(id)) throw new SettlementError('account_not_found');
  };
  const handlers: EngineHandlers = {
    async createAccount(id) {
      accounts.add(id);
    },
    async deleteAccount(id) {
      accounts.delete(id);
    },
    async settle(id, q, key) {
      known(id);
      settlements.push({ id, q, key });
    },
    async receiveMessage(id, data) {
      known(id);
      const text = Buffer.from(data).toString('utf8');
      if (!text.startsWith('ping:')) throw new SettlementError('invalid_message');
      return new TextEncoder().encode(`pong:${text.slice(5)}`);
    },
  };
  const server: Server = createServer(
    createEngineApiHandler(handlers, new MemoryIdempotencyStore()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accounts,
    settlements,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
