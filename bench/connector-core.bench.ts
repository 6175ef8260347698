/**
 * The connector's own cost per packet, in process: alice → connector A → connector B →
 * a receiver that answers with a ready-made Fulfill. Both connectors run the full chain
 * (decode, rate limit, max packet, credit reservation, routing, FX, expiry, outgoing
 * reservation, SHA-256 check of the Fulfill, group-commit journal with in-memory journals);
 * links are direct function calls, so this is two hops of ILP logic with no transport.
 * Figures are for the whole two-hop round trip; per hop is about half. No reference: the
 * over-the-wire comparison with ilp-connector lives elsewhere. Run alone with
 * `npx tsx bench/connector-core.bench.ts`.
 */
import { randomBytes } from 'node:crypto';
import { IlpPacketType, serializeFulfill, serializePrepare } from '@tollgate/ilp-core';
import { sha256Sync } from '@tollgate/ilp-core/node';
import { Connector, InMemoryBalanceJournal } from '@tollgate/connector';
import { BenchRow, median, row, runIfMain } from './bench-row';

const SAMPLES = 7;
const CONCURRENCY = 1_000;
const ROUNDS_PER_SAMPLE = 20;
const SEQUENTIAL_PER_SAMPLE = 2_000;

interface Setup {
  a: Connector;
  b: Connector;
  packet: () => Uint8Array;
  stop: () => void;
}

function setup(): Setup {
  const journalA = new InMemoryBalanceJournal();
  const journalB = new InMemoryBalanceJournal();
  journalA.keepBatches = false;
  journalB.keepBatches = false;
  const a = new Connector({
    address: 'test.a',
    assetCode: 'USD',
    assetScale: 9,
    journal: journalA,
  });
  const b = new Connector({
    address: 'test.b',
    assetCode: 'USD',
    assetScale: 9,
    journal: journalB,
  });
  const account = {
    assetCode: 'USD',
    assetScale: 9,
    sendRoutes: false,
    receiveRoutes: false,
  } as const;
  a.addAccount({
    id: 'alice',
    relation: 'child',
    minBalance: -(10n ** 18n),
    maxPacketAmount: 10n ** 12n,
    ...account,
  });
  a.addAccount({ id: 'b', relation: 'peer', ...account });
  b.addAccount({ id: 'a', relation: 'peer', minBalance: -(10n ** 18n), ...account });
  b.addAccount({ id: 'shop', relation: 'child', ...account });
  a.setLink('b', { connected: true, send: (p) => b.handlePacket('a', p) });
  a.addStaticRoute('test.b', 'b');

  const fulfillment = new Uint8Array(randomBytes(32));
  const condition = sha256Sync(fulfillment);
  const fulfillBytes = serializeFulfill({
    type: IlpPacketType.Fulfill,
    fulfillment,
    data: new Uint8Array(16),
  });
  b.setLink('shop', { connected: true, send: () => Promise.resolve(fulfillBytes) });

  let cached: Uint8Array | undefined;
  let cachedAt = 0;
  const packet = (): Uint8Array => {
    // refreshed every few seconds so expiries stay far enough ahead
    const now = Date.now();
    if (cached === undefined || now - cachedAt > 5_000) {
      cachedAt = now;
      cached = serializePrepare({
        type: IlpPacketType.Prepare,
        amount: 1_000n,
        expiresAt: new Date(now + 25_000),
        executionCondition: condition,
        destination: 'test.b.shop.connection-7f3a9c.stream-1',
        data: new Uint8Array(64),
      });
    }
    return cached;
  };
  return {
    a,
    b,
    packet,
    stop: () => {
      a.stop();
      b.stop();
    },
  };
}

async function burst(s: Setup, count: number): Promise<void> {
  const pending: Promise<Uint8Array>[] = new Array(count);
  const bytes = s.packet();
  for (let i = 0; i < count; i++) pending[i] = s.a.handlePacket('alice', bytes);
  const replies = await Promise.all(pending);
  if (replies[count - 1][0] !== IlpPacketType.Fulfill) throw new Error('bench packet was rejected');
}

async function sequential(s: Setup, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const reply = await s.a.handlePacket('alice', s.packet());
    if (reply[0] !== IlpPacketType.Fulfill) throw new Error('bench packet was rejected');
  }
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export async function runConnectorCoreBench(): Promise<BenchRow[]> {
  const s = setup();
  try {
    // warm-up: JIT, inline caches, map shapes
    for (let i = 0; i < 30; i++) await burst(s, CONCURRENCY);
    await sequential(s, 2_000);

    const rates: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = nowMs();
      for (let r = 0; r < ROUNDS_PER_SAMPLE; r++) await burst(s, CONCURRENCY);
      rates.push((ROUNDS_PER_SAMPLE * CONCURRENCY) / ((nowMs() - start) / 1000));
    }
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = nowMs();
      await sequential(s, SEQUENTIAL_PER_SAMPLE);
      latencies.push(((nowMs() - start) * 1000) / SEQUENTIAL_PER_SAMPLE);
    }

    // memory stays flat: heap after many more packets vs before
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let r = 0; r < 100; r++) await burst(s, CONCURRENCY);
    global.gc?.();
    const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024);

    const throughput = median(rates);
    const expected = BigInt(
      30 * CONCURRENCY +
        2_000 +
        SAMPLES * (ROUNDS_PER_SAMPLE * CONCURRENCY + SEQUENTIAL_PER_SAMPLE) +
        100 * CONCURRENCY,
    );
    if (s.a.getBalance('alice').balance !== -expected * 1_000n) throw new Error('balances drifted');
    return [
      row('connector: 2-hop forward+fulfill, 1000 in flight', 'packets/s', throughput, null),
      row('connector: 2-hop forward+fulfill, 1000 in flight', 'us', 1e6 / throughput, null),
      row('connector: 2-hop round trip, one at a time', 'us', median(latencies), null),
      ...(global.gc
        ? [row('connector: heap growth over 100k packets', 'MiB', heapGrowth, null)]
        : []),
    ];
  } finally {
    s.stop();
  }
}

runIfMain(module, runConnectorCoreBench);
