/**
 * Interop across a real network hop: our STREAM client, on a Tollgate `BtpClient`, pays and
 * talks to the reference STREAM server (ilp-protocol-stream 2.7.1, patched for Node ≥ 18, see
 * test/reference.ts) on an `ilp-plugin-btp` client, both children of the reference connector
 * (ilp-connector 23.0.2, in-process, see test/connector/ref-connector.ts):
 *
 *   our StreamConnection ─BTP─▶ ilp-connector `test.refconn` ─BTP─▶ ilp-protocol-stream server
 *
 * Our side learns its address and asset with IL-DCP from the connector. ilp-connector runs
 * the `ecb` backend on fixed mock data (1 EUR = 1.0831 USD, no spread, no network), so
 * USD → USD is 1:1 and USD scale 2 → EUR scale 6 is 10^4 / 1.0831, floored per packet by
 * the connector. Accounts (one listener each):
 *
 * - senders (USD, 2): `sender` (no limits), `small` (maxPacketAmount 100), `capped`
 *   (balance maximum 1 000: T04 until the operator settles), `slow` (maxPacketAmount 100);
 * - receivers: `usd` (USD, 2), `eur` (EUR, 6), `gone` and `gone2` (USD, 2; each goes away
 *   mid-payment), `absent` (nobody ever connects: T01 from the first packet).
 */
import { randomBytes } from 'node:crypto';
import BtpPlugin from 'ilp-plugin-btp';
import type { Connection, DataAndMoneyStream, Server } from 'ilp-protocol-stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BtpClient } from '@tollgate/btp';
import {
  IlpPacketType,
  deserializeIldcpResponse,
  deserializeIlpReply,
  deserializePrepare,
  serializeIldcpRequest,
  serializeIlpPacket,
  serializePrepare,
  type IlpPrepare,
  type IlpReply,
} from '@tollgate/ilp-core';
import {
  freePort,
  startRefConnector,
  type RefConnector,
} from '../../../test-support/ref-connector';
import { reference } from '../test/reference';
import { StreamConnection, type StreamConnectionOptions } from './index';
import { nodeStreamCrypto } from './node';

const USD_PER_EUR = '1.0831';
const WIDE = { minimum: '-1000000000000', maximum: '1000000000000' };
const MAX_UINT64 = '18446744073709551615';

interface AccountSpec {
  assetCode: string;
  assetScale: number;
  maxPacketAmount?: string;
  balance?: { minimum: string; maximum: string };
}

const ACCOUNTS: Record<string, AccountSpec> = {
  sender: { assetCode: 'USD', assetScale: 2, balance: WIDE },
  small: { assetCode: 'USD', assetScale: 2, balance: WIDE, maxPacketAmount: '100' },
  capped: { assetCode: 'USD', assetScale: 2, balance: { minimum: WIDE.minimum, maximum: '1000' } },
  slow: { assetCode: 'USD', assetScale: 2, balance: WIDE, maxPacketAmount: '100' },
  usd: { assetCode: 'USD', assetScale: 2, balance: WIDE },
  eur: { assetCode: 'EUR', assetScale: 6, balance: WIDE },
  gone: { assetCode: 'USD', assetScale: 2, balance: WIDE },
  gone2: { assetCode: 'USD', assetScale: 2, balance: WIDE },
  absent: { assetCode: 'USD', assetScale: 2, balance: WIDE },
};

const ports: Record<string, number> = {};
const secrets: Record<string, string> = {};
let ref: RefConnector;
/** Closed after each test: our clients (an ilp-plugin-btp listener takes one client at a time). */
const clientCleanups: (() => Promise<unknown>)[] = [];
/** Closed after all tests: the reference servers. */
const receiverCleanups: (() => Promise<unknown>)[] = [];

// ------------------------------------------------------------------ helpers

function pattern(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with whether `promise` settled within `ms` (rejections count as settled). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return result;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(5);
}

/** A decimal (as `String(number)` gives it: digits, maybe a point, no exponent) as num / den. */
function decimalRational(decimal: string): [bigint, bigint] {
  expect(decimal).toMatch(/^\d+(\.\d+)?$/);
  const [int, frac = ''] = decimal.split('.');
  return [BigInt(int + frac), 10n ** BigInt(frac.length)];
}

/** The reference STREAM server on an ilp-plugin-btp client of the reference connector. */
interface Receiver {
  server: Server;
  plugin: BtpPlugin;
  /** Money the reference recorded (its `money` events), per connection tag, in its units. */
  received(tag: string): bigint;
  /** Data bytes it received, per connection tag. */
  bytes(tag: string): number;
  /** Whether its connection for `tag` has closed (its `close` event). */
  closed(tag: string): boolean;
  /**
   * Goes away: stops taking packets (new ones get no answer), lets those it is already
   * handling answer, then disconnects from the connector.
   */
  goAway(): Promise<void>;
}

async function startReceiver(account: string): Promise<Receiver> {
  const plugin = new BtpPlugin({
    server: `btp+ws://${account}:${secrets[account]}@127.0.0.1:${ports[account]}`,
  });
  let gone = false;
  let handling = 0;
  const register = plugin.registerDataHandler.bind(plugin);
  plugin.registerDataHandler = (handler: (data: Buffer) => Promise<Buffer>) =>
    register(async (data: Buffer) => {
      if (gone) return new Promise<Buffer>(() => undefined); // silence: the process is gone
      handling++;
      try {
        return await handler(data);
      } finally {
        handling--;
      }
    });
  const money = new Map<string, bigint>();
  const bytes = new Map<string, number>();
  const closed = new Set<string>();
  const server = await reference.createServer({ plugin, serverSecret: randomBytes(32) });
  server.on('connection', (connection: Connection) => {
    const tag = connection.connectionTag ?? '';
    connection.on('error', () => undefined); // after goAway its sends fail; not under test
    connection.on('close', () => closed.add(tag));
    connection.on('stream', (stream: DataAndMoneyStream) => {
      stream.on('error', () => undefined);
      stream.setReceiveMax(MAX_UINT64);
      stream.on('money', (amount: string) =>
        money.set(tag, (money.get(tag) ?? 0n) + BigInt(amount)),
      );
      stream.on('data', (chunk: Buffer) => {
        bytes.set(tag, (bytes.get(tag) ?? 0) + chunk.length);
        stream.write(chunk); // echo
      });
    });
  });
  receiverCleanups.push(async () => {
    if (!gone) await within(server.close(), 2_000);
    await plugin.disconnect();
  });
  return {
    server,
    plugin,
    received: (tag) => money.get(tag) ?? 0n,
    bytes: (tag) => bytes.get(tag) ?? 0,
    closed: (tag) => closed.has(tag),
    async goAway() {
      gone = true;
      await waitFor(() => handling === 0, 5_000);
      await plugin.disconnect();
    },
  };
}

interface Sent {
  prepare: IlpPrepare;
  reply: IlpReply;
}

/**
 * Our client on a BtpClient of the connector's `account`: IL-DCP for its address and
 * asset, then a StreamConnection to a fresh address of receiver `to` tagged `tag` (or to
 * the address and secret given as `to`). Every Prepare and its reply are logged.
 */
async function ourClient(
  account: string,
  to: Receiver | { destinationAccount: string; sharedSecret: Buffer },
  tag: string,
  options: Partial<StreamConnectionOptions> = {},
) {
  const btp = new BtpClient({
    url: `ws://127.0.0.1:${ports[account]}`,
    username: account,
    token: secrets[account],
    reconnect: false,
  });
  await btp.connect();
  const ildcp = deserializeIldcpResponse(await btp.sendIlp(serializeIldcpRequest(), 5_000));
  const { destinationAccount, sharedSecret } =
    'server' in to ? to.server.generateAddressAndSecret(tag) : to;
  const log: Sent[] = [];
  const expiryMs = options.packetExpiryMs ?? 30_000;
  const conn = await StreamConnection.create({
    crypto: nodeStreamCrypto,
    sharedSecret: new Uint8Array(sharedSecret),
    destinationAddress: destinationAccount,
    sourceAddress: ildcp.clientAddress,
    assetCode: ildcp.assetCode,
    assetScale: ildcp.assetScale,
    idleTimeoutMs: 0,
    sendPrepare: async (prepare) => {
      const reply = deserializeIlpReply(
        await btp.sendIlp(serializePrepare(prepare), expiryMs + 1_000),
      );
      log.push({ prepare, reply });
      return reply;
    },
    ...options,
  });
  clientCleanups.push(async () => {
    await conn.destroy();
    await btp.close();
  });
  btp.setIlpHandler(async (packet) =>
    serializeIlpPacket(await conn.handlePrepare(deserializePrepare(packet))),
  );
  const fulfilledAmounts = () =>
    log
      .filter((s) => s.reply.type === IlpPacketType.Fulfill && s.prepare.amount > 0n)
      .map((s) => s.prepare.amount);
  const rejects = (code: string) =>
    log.filter((s) => s.reply.type === IlpPacketType.Reject && s.reply.code === code).length;
  return { conn, btp, ildcp, log, fulfilledAmounts, rejects };
}

/** What the receiver recorded for `tag`, once it equals `expected` (or after 2 s). */
async function recorded(receiver: Receiver, tag: string, expected: bigint): Promise<bigint> {
  await waitFor(() => receiver.received(tag) === expected, 2_000);
  return receiver.received(tag);
}

/** `end()` completes, and the reference sees its connection close. */
async function expectGracefulEnd(
  conn: StreamConnection,
  receiver: Receiver,
  tag: string,
): Promise<void> {
  expect(await within(conn.end(), 5_000)).toBe(true);
  expect(conn.isClosed).toBe(true);
  expect(conn.error).toBeUndefined();
  await waitFor(() => receiver.closed(tag), 2_000);
  expect(receiver.closed(tag)).toBe(true);
}

// ------------------------------------------------------------------ setup

const receivers: Record<'usd' | 'eur' | 'gone' | 'gone2', Receiver> = {} as never;

beforeAll(async () => {
  const accounts: Record<string, unknown> = {};
  for (const [id, spec] of Object.entries(ACCOUNTS)) {
    ports[id] = await freePort();
    secrets[id] = `${id}-${randomBytes(8).toString('hex')}`;
    accounts[id] = {
      relation: 'child',
      plugin: 'ilp-plugin-btp',
      options: { listener: { port: ports[id], secret: secrets[id] } },
      ...spec,
    };
  }
  ref = await startRefConnector({
    ilpAddress: 'test.refconn',
    backend: 'ecb',
    backendConfig: { mockData: { base: 'EUR', rates: { USD: USD_PER_EUR } } },
    accounts,
  });
  receivers.usd = await startReceiver('usd');
  receivers.eur = await startReceiver('eur');
  receivers.gone = await startReceiver('gone');
  receivers.gone2 = await startReceiver('gone2');
});

afterEach(async () => {
  for (const cleanup of clientCleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  for (const cleanup of clientCleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  for (const cleanup of receiverCleanups.splice(0).reverse())
    await cleanup().catch(() => undefined);
  await ref?.stop();
});

// ------------------------------------------------------------------ tests

describe('our STREAM client → ilp-connector → ilp-protocol-stream server', () => {
  it('pays in the same currency; delivered equals what the reference server recorded', async () => {
    const { conn, ildcp } = await ourClient('sender', receivers.usd, 'same');
    expect(ildcp).toEqual({
      clientAddress: 'test.refconn.sender',
      assetCode: 'USD',
      assetScale: 2,
    });
    const result = await conn.pay({ sourceAmount: 10_000n, timeoutMs: 15_000 });
    expect(result.reason).toBe('complete');
    expect(result.sent).toBe(10_000n);
    expect(result.delivered).toBe(10_000n);
    expect(await recorded(receivers.usd, 'same', result.delivered)).toBe(result.delivered);
    expect(conn.remoteAssetCode).toBe('USD');
    expect(conn.remoteAssetScale).toBe(2);
    // the connector's books agree: the sender owes what was sent, it owes the receiver that
    // (once the reference's own rate probes towards us, which we reject, are refunded)
    expect(ref.balance('sender')).toBe(10_000n);
    await waitFor(() => ref.balance('usd') === -10_000n, 2_000);
    expect(ref.balance('usd')).toBe(-10_000n);
    await expectGracefulEnd(conn, receivers.usd, 'same');
  });

  it('pays cross-currency (USD 2 → EUR 6); delivered is the connector’s floored conversion', async () => {
    const { conn, fulfilledAmounts } = await ourClient('sender', receivers.eur, 'fx');
    const rate = await ref.rate('sender', 'eur');
    const [num, den] = decimalRational(String(rate));
    const result = await conn.pay({ sourceAmount: 10_000n, timeoutMs: 15_000 });
    expect(result.reason).toBe('complete');
    expect(result.sent).toBe(10_000n);
    expect(conn.remoteAssetCode).toBe('EUR');
    expect(conn.remoteAssetScale).toBe(6);
    // exactly what ilp-connector delivers: each packet floor(amount × rate)
    const amounts = fulfilledAmounts();
    expect(amounts.reduce((a, b) => a + b, 0n)).toBe(10_000n);
    const expected = amounts.reduce((sum, a) => sum + (a * num) / den, 0n);
    expect(result.delivered).toBe(expected);
    expect(await recorded(receivers.eur, 'fx', result.delivered)).toBe(result.delivered);
    // within one unit per packet of the whole amount's floor conversion
    const whole = (10_000n * num) / den;
    expect(result.delivered).toBeLessThanOrEqual(whole);
    expect(result.delivered).toBeGreaterThanOrEqual(whole - BigInt(amounts.length));
    // and the rate is the configured one: 10^6 / (1.0831 × 10^2) micro-EUR per cent
    const configured = 1e4 / Number(USD_PER_EUR);
    expect(Math.abs(Number(result.delivered) / Number(result.sent) / configured - 1)).toBeLessThan(
      1e-4,
    );
    expect(Math.abs(Number(result.exchangeRate) / configured - 1)).toBeLessThan(1e-3);
    await expectGracefulEnd(conn, receivers.eur, 'fx');
  });

  it('discovers a max packet amount of 100 (F08 from the connector) and pays with it', async () => {
    const { conn, fulfilledAmounts, rejects } = await ourClient('small', receivers.usd, 'small');
    const result = await conn.pay({ sourceAmount: 5_000n, timeoutMs: 15_000 });
    expect(result.reason).toBe('complete');
    expect(result.sent).toBe(5_000n);
    expect(result.delivered).toBe(5_000n);
    expect(rejects('F08')).toBeGreaterThan(0);
    expect(conn.maxPacketAmount).toBeGreaterThan(0n);
    expect(conn.maxPacketAmount).toBeLessThanOrEqual(100n);
    const amounts = fulfilledAmounts();
    expect(amounts.every((a) => a <= 100n)).toBe(true);
    expect(amounts.length).toBeGreaterThanOrEqual(50);
    expect(await recorded(receivers.usd, 'small', result.delivered)).toBe(result.delivered);
    await expectGracefulEnd(conn, receivers.usd, 'small');
  });

  it('exchanges 50 KB both ways: the reference echoes our stream back intact', async () => {
    const { conn } = await ourClient('sender', receivers.usd, 'data');
    await conn.connect();
    const size = 50_000;
    const sent = pattern(size, 42);
    const stream = conn.createStream();
    const parts: Uint8Array[] = [];
    stream.on('data', (chunk) => parts.push(chunk));
    stream.write(sent);
    const total = () => parts.reduce((n, p) => n + p.length, 0);
    await waitFor(() => total() >= size, 15_000);
    expect(receivers.usd.bytes('data')).toBe(size);
    expect(total()).toBe(size);
    expect(Buffer.concat(parts).equals(sent)).toBe(true);
    await expectGracefulEnd(conn, receivers.usd, 'data');
  });

  describe('T04 from the connector (sender account at its maximum balance of 1 000)', () => {
    it('rides out T04 while the operator settles, then completes', async () => {
      let settled = 0n;
      let settlements = 0;
      const operator = setInterval(() => {
        const balance = ref.balance('capped');
        if (balance > 0n) {
          ref.modifyBalance('capped', -balance);
          settled += balance;
          settlements++;
        }
      }, 250);
      try {
        const { conn, rejects } = await ourClient('capped', receivers.usd, 't04-settled', {
          retryDelayMs: 20,
          maxRetryDelayMs: 200,
        });
        const result = await conn.pay({ sourceAmount: 5_000n, timeoutMs: 20_000 });
        expect(result.reason).toBe('complete');
        expect(result.sent).toBe(5_000n);
        expect(result.delivered).toBe(5_000n);
        expect(rejects('T04')).toBeGreaterThan(0);
        expect(settlements).toBeGreaterThanOrEqual(4);
        expect(settled + ref.balance('capped')).toBe(5_000n);
        expect(await recorded(receivers.usd, 't04-settled', result.delivered)).toBe(
          result.delivered,
        );
        await expectGracefulEnd(conn, receivers.usd, 't04-settled');
      } finally {
        clearInterval(operator);
      }
    });

    it('gives up with rejected:T04 when nobody settles; the receiver has what we delivered', async () => {
      ref.modifyBalance('capped', -ref.balance('capped'));
      const { conn, rejects } = await ourClient('capped', receivers.usd, 't04-stuck', {
        retryDelayMs: 10,
        maxRetryDelayMs: 50,
        maxConsecutiveFailures: 12,
      });
      const result = await conn.pay({ sourceAmount: 5_000n, timeoutMs: 20_000 });
      expect(result.reason).toBe('rejected:T04');
      expect(rejects('T04')).toBeGreaterThanOrEqual(12);
      expect(result.delivered).toBe(result.sent);
      expect(result.sent).toBeGreaterThan(0n);
      expect(result.sent).toBeLessThanOrEqual(1_000n);
      expect(ref.balance('capped')).toBe(result.sent);
      expect(await recorded(receivers.usd, 't04-stuck', result.delivered)).toBe(result.delivered);
      await expectGracefulEnd(conn, receivers.usd, 't04-stuck');
    });
  });

  it('ends with a clear reason when the receiver goes away mid-payment; its record equals our delivered', async () => {
    const { conn, rejects } = await ourClient('slow', receivers.gone, 'gone', {
      packetExpiryMs: 3_000,
      retryDelayMs: 10,
      maxRetryDelayMs: 100,
      maxConsecutiveFailures: 10,
    });
    const paying = conn.pay({ sourceAmount: 1_000_000n, timeoutMs: 30_000 });
    await waitFor(() => receivers.gone.received('gone') >= 3_000n, 15_000);
    expect(receivers.gone.received('gone')).toBeGreaterThanOrEqual(3_000n);
    await receivers.gone.goAway();
    const result = await paying;
    expect(result.reason).toBe('rejected:T01'); // ilp-connector: peer unreachable
    expect(rejects('T01')).toBeGreaterThanOrEqual(1);
    expect(result.delivered).toBe(result.sent);
    expect(result.delivered).toBeLessThan(1_000_000n);
    expect(receivers.gone.received('gone')).toBe(result.delivered);
  });

  // Regressions: once retryLater had counted maxConsecutiveFailures it returned without a
  // back-off and gave the connection up only when stream data was queued (not a pending
  // handshake or close), so those packets went out back to back, forever; and pay() armed
  // its timeout only after the handshake.
  describe('an unreachable receiver (T01) never causes a hot retry loop', () => {
    const options = { retryDelayMs: 10, maxRetryDelayMs: 50, maxConsecutiveFailures: 5 };

    it('pay() to a receiver unreachable from the first packet ends by its timeoutMs, without flooding', async () => {
      // nobody is connected on `absent`: ilp-connector answers every packet with T01
      const nowhere = {
        destinationAccount: 'test.refconn.absent.nobody',
        sharedSecret: randomBytes(32),
      };
      const { conn, log } = await ourClient('slow', nowhere, 'unused', options);
      const paying = conn.pay({ sourceAmount: 100n, timeoutMs: 1_000 });
      const settled = await within(paying, 3_000);
      expect(log.length).toBeLessThan(100);
      expect(settled).toBe(true);
    });

    it('end() after pay() gave up on a receiver that went away settles, without flooding', async () => {
      const { conn, log } = await ourClient('slow', receivers.gone2, 'gone2', {
        ...options,
        packetExpiryMs: 3_000,
      });
      const paying = conn.pay({ sourceAmount: 1_000_000n, timeoutMs: 20_000 });
      await waitFor(() => receivers.gone2.received('gone2') >= 500n, 10_000);
      await receivers.gone2.goAway();
      const result = await paying;
      expect(result.reason).toBe('rejected:T01');
      expect(receivers.gone2.received('gone2')).toBe(result.delivered);
      const before = log.length;
      const ended = await within(conn.end(), 2_000);
      expect(log.length - before).toBeLessThan(50);
      expect(ended).toBe(true);
    });
  });
});
