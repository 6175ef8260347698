/**
 * BTP link figures over loopback, ours (BtpClient ↔ BtpServer) beside the reference
 * (ilp-plugin-btp client ↔ ilp-plugin-btp listener) in one process: round trips per second
 * with many packets in flight, and the latency of one packet at a time. Same Prepare, same
 * Fulfill, echo-like handlers on both. Medians of alternating samples.
 * Run alone with `npx tsx bench/btp.bench.ts`.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serializeFulfill, serializePrepare } from '@tollgate/ilp-core';
import { BtpClient, BtpServer } from '@tollgate/btp';
import Plugin from 'ilp-plugin-btp';
import { BenchRow, median, row, runIfMain } from './bench-row';

const SAMPLES = 5;
const IN_FLIGHT = 500;
const BATCHES_PER_SAMPLE = 6;
const SEQUENTIAL_PER_SAMPLE = 400;

const PREPARE = serializePrepare({
  amount: 1_000n,
  expiresAt: new Date('2030-01-01T00:00:00.000Z'),
  executionCondition: new Uint8Array(32).fill(1),
  destination: 'test.tollgate.bench.receiver',
  data: new Uint8Array(256).fill(2),
});
const FULFILL = serializeFulfill({
  fulfillment: new Uint8Array(32).fill(3),
  data: new Uint8Array(64),
});

type Send = (packet: Uint8Array) => Promise<Uint8Array>;

interface Side {
  send: Send;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function ours(): Promise<Side> {
  const server = new BtpServer({
    authenticate: async (username, token) => (token === 'bench' ? username : undefined),
    pingIntervalMs: 0,
  });
  server.on('connection', (_id, connection) => connection.setIlpHandler(async () => FULFILL));
  const port = await server.listen(0);
  const client = new BtpClient({
    url: `btp+ws://bench:bench@127.0.0.1:${port}`,
    pingIntervalMs: 0,
  });
  await client.connect();
  return {
    send: (packet) => client.sendIlp(packet, 30_000),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

async function reference(): Promise<Side> {
  const port = await freePort();
  const listener = new Plugin({
    listener: { port, secret: 'bench', wsOpts: { port, host: '127.0.0.1' } },
  });
  listener.registerDataHandler(async () => Buffer.from(FULFILL));
  const listening = listener.connect();
  const client = new Plugin({ server: `btp+ws://bench:bench@127.0.0.1:${port}` });
  await client.connect();
  await listening;
  return {
    send: async (packet) => client.sendData(Buffer.from(packet)),
    close: async () => {
      await client.disconnect();
      await listener.disconnect();
    },
  };
}

/** Round trips per second with IN_FLIGHT packets outstanding. */
async function throughput(send: Send): Promise<number> {
  const started = performance.now();
  for (let b = 0; b < BATCHES_PER_SAMPLE; b++) {
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => send(PREPARE)));
  }
  return (IN_FLIGHT * BATCHES_PER_SAMPLE) / ((performance.now() - started) / 1000);
}

/** Mean microseconds per round trip, one packet at a time. */
async function latency(send: Send): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < SEQUENTIAL_PER_SAMPLE; i++) await send(PREPARE);
  return ((performance.now() - started) * 1000) / SEQUENTIAL_PER_SAMPLE;
}

async function compare(
  name: string,
  unit: string,
  measure: (send: Send) => Promise<number>,
  a: Side,
  b: Side,
): Promise<BenchRow> {
  await measure(a.send); // warm-up
  await measure(b.send);
  const oursSamples: number[] = [];
  const refSamples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    // alternate the order so drift hits both evenly
    if (i % 2 === 0) {
      oursSamples.push(await measure(a.send));
      refSamples.push(await measure(b.send));
    } else {
      refSamples.push(await measure(b.send));
      oursSamples.push(await measure(a.send));
    }
  }
  return row(name, unit, median(oursSamples), median(refSamples));
}

export async function runBtpBench(): Promise<BenchRow[]> {
  const a = await ours();
  const b = await reference();
  try {
    return [
      await compare(`btp ilp round trips, ${IN_FLIGHT} in flight`, 'ops/s', throughput, a, b),
      await compare('btp ilp round trip, one at a time', 'us', latency, a, b),
    ];
  } finally {
    await a.close();
    await b.close();
  }
}

runIfMain(module, runBtpBench);
