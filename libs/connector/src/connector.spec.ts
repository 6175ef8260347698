import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  deserializeAmountTooLargeData,
  deserializeIlpReply,
  deserializeReject,
  IlpPacketType,
  IlpPrepare,
  IlpReject,
  serializePrepare,
  serializeReject,
} from '@tollgate/ilp-core';
import {
  AccountConfig,
  Connector,
  ConnectorOptions,
  InMemoryBalanceJournal,
  StaticRateSource,
} from '@tollgate/connector';
import {
  asReject,
  ConnectorLink,
  connect,
  ControlledJournal,
  failingLink,
  FulfillerLink,
  hex,
  ilpError,
  makeFulfillment,
  ManualScheduler,
  prepare,
  settle,
} from '../test/helpers';

const started: Connector[] = [];
afterEach(() => {
  for (const connector of started.splice(0)) connector.stop();
});

function node(address: string, options: Partial<ConnectorOptions> = {}) {
  const scheduler = (options.scheduler as ManualScheduler | undefined) ?? new ManualScheduler();
  const journal =
    (options.journal as InMemoryBalanceJournal | undefined) ?? new InMemoryBalanceJournal();
  const connector = new Connector({
    address,
    assetCode: 'USD',
    assetScale: 2,
    ...options,
    journal,
    scheduler,
  });
  started.push(connector);
  return { connector, scheduler, journal };
}

const usd = (
  id: string,
  relation: AccountConfig['relation'],
  extra: Partial<AccountConfig> = {},
): AccountConfig => ({
  id,
  assetCode: 'USD',
  assetScale: 2,
  relation,
  ...extra,
});

async function send(connector: Connector, from: string, p: IlpPrepare) {
  const bytes = await connector.handlePacket(from, serializePrepare(p));
  return { bytes, reply: deserializeIlpReply(bytes) };
}

/**
 * alice → A (test.a) → B (test.b) → bob (a fulfilling receiver behind a child account).
 * A reaches test.b through a static route; both nodes share one clock.
 */
function twoHops(
  optionsA: Partial<ConnectorOptions> = {},
  bAccountOnA: Partial<AccountConfig> = {},
) {
  const scheduler = new ManualScheduler();
  const a = node('test.a', { scheduler, ...optionsA });
  const b = node('test.b', { scheduler });
  a.connector.addAccount(usd('alice', 'child', { minBalance: -1_000_000n }));
  a.connector.addAccount(
    usd('b', 'peer', { receiveRoutes: false, sendRoutes: false, ...bAccountOnA }),
  );
  b.connector.addAccount(usd('a', 'peer', { receiveRoutes: false, sendRoutes: false }));
  b.connector.addAccount(usd('bob', 'child'));
  connect(a.connector, 'b', b.connector, 'a');
  const bob = new FulfillerLink();
  b.connector.setLink('bob', bob);
  a.connector.addStaticRoute('test.b', 'b');
  return { a, b, bob, scheduler };
}

describe('Connector: forwarding across two hops', () => {
  it('forwards, fulfills and moves exactly the right balances on both nodes', async () => {
    const { a, b, bob, scheduler } = twoHops();
    const { fulfillment } = makeFulfillment();
    const condition = bob.register(fulfillment);
    const expiresAt = scheduler.now() + 10_000;
    const data = new Uint8Array([9, 8, 7]);
    const { reply } = await send(
      a.connector,
      'alice',
      prepare('test.b.bob.x1', 1234n, condition, expiresAt, data),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
    if (reply.type !== IlpPacketType.Fulfill) return;
    expect(hex(reply.fulfillment)).toBe(hex(fulfillment));
    expect([...reply.data]).toEqual([1, 2, 3]);

    // what bob received: same condition, destination and data; amount 1:1; expiry shortened twice
    expect(bob.received).toHaveLength(1);
    const got = bob.received[0];
    expect(got.amount).toBe(1234n);
    expect(got.destination).toBe('test.b.bob.x1');
    expect([...got.data]).toEqual([9, 8, 7]);
    expect(got.expiresAt.getTime()).toBe(expiresAt - 2_000);

    expect(a.connector.getBalance('alice')).toEqual({
      balance: -1234n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    expect(a.connector.getBalance('b')).toEqual({
      balance: 1234n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    expect(b.connector.getBalance('a').balance).toBe(-1234n);
    expect(b.connector.getBalance('bob').balance).toBe(1234n);
    // durable before the Fulfill came back
    expect(a.journal.balance('alice')).toBe(-1234n);
    expect(a.journal.balance('b')).toBe(1234n);
    expect(b.journal.balance('a')).toBe(-1234n);
    expect(b.journal.balance('bob')).toBe(1234n);
    expect(a.journal.entries().every((e) => e.kind === 'packet')).toBe(true);
  });

  it('caps the outgoing expiry at now + maxHoldTime', async () => {
    const { a, bob, scheduler } = twoHops();
    const condition = bob.register(makeFulfillment().fulfillment);
    await send(
      a.connector,
      'alice',
      prepare('test.b.bob', 1n, condition, scheduler.now() + 120_000),
    );
    // A holds at most 30 s; B then takes its 1 s window off A's expiry
    expect(bob.received[0].expiresAt.getTime()).toBe(scheduler.now() + 29_000);
  });

  it('relays a downstream Reject unchanged, byte for byte, and releases every reservation', async () => {
    const { a, b, bob, scheduler } = twoHops();
    const reject: IlpReject = {
      type: IlpPacketType.Reject,
      code: 'F99',
      triggeredBy: 'test.b.bob',
      message: 'no thanks',
      data: new Uint8Array([1, 2, 3, 4]),
    };
    const rejectBytes = serializeReject(reject);
    bob.answer = () => rejectBytes;
    const { bytes } = await send(
      a.connector,
      'alice',
      prepare('test.b.bob', 500n, makeFulfillment().condition, scheduler.now() + 10_000),
    );
    expect(hex(bytes)).toBe(hex(rejectBytes));
    for (const [c, id] of [
      [a.connector, 'alice'],
      [a.connector, 'b'],
      [b.connector, 'a'],
      [b.connector, 'bob'],
    ] as const) {
      expect(c.getBalance(id)).toEqual({ balance: 0n, reservedIncoming: 0n, reservedOutgoing: 0n });
    }
    expect(a.journal.appendCount).toBe(0);
  });

  it('answers F05 for a wrong fulfillment: nothing credited, reservations released', async () => {
    const { a, b, bob, scheduler } = twoHops();
    const { condition } = makeFulfillment();
    bob.answer = () => new Uint8Array([0x0d, 0x21, ...new Uint8Array(32).fill(7), 0x00]); // a Fulfill with a wrong preimage
    const { reply } = await send(
      a.connector,
      'alice',
      prepare('test.b.bob', 700n, condition, scheduler.now() + 10_000),
    );
    const rejected = asReject(reply);
    expect(rejected.code).toBe('F05');
    // B detected it first: its Reject is relayed by A unchanged
    expect(rejected.triggeredBy).toBe('test.b');
    for (const [c, id] of [
      [a.connector, 'alice'],
      [a.connector, 'b'],
      [b.connector, 'a'],
      [b.connector, 'bob'],
    ] as const) {
      expect(c.getBalance(id)).toEqual({ balance: 0n, reservedIncoming: 0n, reservedOutgoing: 0n });
    }
    expect(a.journal.appendCount + b.journal.appendCount).toBe(0);
  });

  it('times out with R00 when the next hop never answers, releasing the reservation', async () => {
    const { connector, scheduler, journal } = node('test.a');
    connector.addAccount(usd('alice', 'child', { minBalance: -1000n }));
    connector.addAccount(usd('peer', 'peer'));
    let answer: ((bytes: Uint8Array) => void) | undefined;
    connector.setLink('peer', {
      connected: true,
      send: () => new Promise<Uint8Array>((resolve) => (answer = resolve)),
    });
    connector.addStaticRoute('test.c', 'peer');
    const { fulfillment, condition } = makeFulfillment();
    const pending = send(
      connector,
      'alice',
      prepare('test.c.x', 600n, condition, scheduler.now() + 5_000),
    );
    await settle();
    expect(connector.getBalance('alice').reservedIncoming).toBe(600n);
    expect(connector.getBalance('peer').reservedOutgoing).toBe(600n);
    await scheduler.advance(3_999); // outgoing expiry is incoming − 1 s
    expect(connector.getBalance('alice').reservedIncoming).toBe(600n);
    await scheduler.advance(20);
    const rejected = asReject((await pending).reply);
    expect(rejected.code).toBe('R00');
    expect(rejected.triggeredBy).toBe('test.a');
    expect(connector.getBalance('alice')).toEqual({
      balance: 0n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    expect(connector.getBalance('peer')).toEqual({
      balance: 0n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    // a Fulfill after the deadline changes nothing
    answer?.(new Uint8Array([0x0d, 0x21, ...fulfillment, 0x00]));
    await settle();
    expect(connector.getBalance('peer').balance).toBe(0n);
    expect(journal.appendCount).toBe(0);
  });
});

describe('Connector: credit limit under concurrency', () => {
  it('1,000 concurrent Prepares never take the sender past minBalance', async () => {
    const scheduler = new ManualScheduler();
    const { connector, journal } = node('test.a', { scheduler });
    const limit = 10_000n;
    const amount = 37n;
    connector.addAccount(usd('alice', 'child', { minBalance: -limit }));
    connector.addAccount(usd('peer', 'peer'));
    const receiver = new FulfillerLink();
    receiver.keepReceived = false;
    receiver.delay = () => Math.floor(Math.random() * 4);
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    let maxReserved = 0n;
    const replies = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const condition = receiver.register(makeFulfillment().fulfillment);
        const result = send(
          connector,
          'alice',
          prepare(`test.z.${i}`, amount, condition, scheduler.now() + 20_000),
        );
        const reserved = connector.getBalance('alice').reservedIncoming;
        if (reserved > maxReserved) maxReserved = reserved;
        return (await result).reply;
      }),
    );
    const fulfilled = replies.filter((r) => r.type === IlpPacketType.Fulfill).length;
    const rejected = replies.filter((r) => r.type === IlpPacketType.Reject);
    expect(BigInt(fulfilled) * amount).toBeLessThanOrEqual(limit);
    expect(fulfilled).toBe(Number(limit / amount)); // every packet that fit was carried
    expect(
      rejected.every(
        (r) => r.type === IlpPacketType.Reject && r.code === 'T04' && r.triggeredBy === 'test.a',
      ),
    ).toBe(true);
    expect(maxReserved).toBeLessThanOrEqual(limit);
    const sum = BigInt(fulfilled) * amount;
    expect(connector.getBalance('alice')).toEqual({
      balance: -sum,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    expect(connector.getBalance('peer')).toEqual({
      balance: sum,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    expect(journal.balance('alice')).toBe(-sum);
    expect(journal.balance('peer')).toBe(sum);
    // packets overlapped, so their deltas were written in far fewer batches than packets
    expect(journal.appendCount).toBeLessThan(fulfilled / 4);
  });

  it('enforces maxBalance on the outgoing side (T04), counting packets in flight', async () => {
    const { connector, scheduler } = node('test.a');
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('peer', 'peer', { maxBalance: 100n }));
    const receiver = new FulfillerLink();
    receiver.delay = 2;
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    const results = await Promise.all(
      [60n, 60n, 30n].map((amount) =>
        send(
          connector,
          'alice',
          prepare(
            'test.z',
            amount,
            receiver.register(makeFulfillment().fulfillment),
            scheduler.now() + 9_000,
          ),
        ),
      ),
    );
    expect(
      results.map((r) => (r.reply.type === IlpPacketType.Fulfill ? 'ok' : r.reply.code)),
    ).toEqual(['ok', 'T04', 'ok']);
    expect(connector.getBalance('peer')).toEqual({
      balance: 90n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    expect(connector.getBalance('alice').balance).toBe(-90n);
  });
});

describe('Connector: cross-currency', () => {
  /** alice pays in USD scale 2; the next hop is EUR scale 6; 1 EUR = 1.08 (base USD). */
  function usdToEur(spread?: string) {
    const rates = new StaticRateSource({ USD: '1', EUR: '1.08' });
    const { connector, scheduler } = node('test.a', { rates, spread });
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount({ id: 'eu', assetCode: 'EUR', assetScale: 6, relation: 'peer' });
    const receiver = new FulfillerLink();
    connector.setLink('eu', receiver);
    connector.addStaticRoute('test.eu', 'eu');
    return { connector, scheduler, receiver, rates };
  }

  /** The exact value: amount × 10^4 / 1.08 = amount × 10^6 / 108. */
  const exactNumerator = (amount: bigint) => amount * 1_000_000n;
  const exactDenominator = 108n;

  it('forwards exactly floor(amount × rate × 10^(6−2)) and never rounds up', async () => {
    const { connector, scheduler, receiver } = usdToEur();
    const cases: [bigint, bigint][] = [
      [100n, 925_925n], // $1.00 = €0.925925…
      [108n, 1_000_000n], // exact
      [1n, 9_259n], // 9259.259… → 9259
      [27n, 250_000n], // exact
      [99_999n, 925_916_666n], // 925916666.66…
      [18_446_744_073n, 170_803_185_861_111n],
    ];
    for (const [amount, expected] of cases) {
      const condition = receiver.register(makeFulfillment().fulfillment);
      const { reply } = await send(
        connector,
        'alice',
        prepare('test.eu.x', amount, condition, scheduler.now() + 9_000),
      );
      expect(reply.type).toBe(IlpPacketType.Fulfill);
      const forwarded = receiver.received.at(-1)?.amount;
      expect(forwarded).toBe(expected);
      expect(forwarded! * exactDenominator).toBeLessThanOrEqual(exactNumerator(amount));
    }
    expect(connector.getBalance('eu').balance).toBe(cases.reduce((s, [, out]) => s + out, 0n));
    expect(connector.getBalance('alice').balance).toBe(
      -cases.reduce((s, [amount]) => s + amount, 0n),
    );
  });

  it('property: out ≤ exact value < out + 1, with and without a spread', async () => {
    const plain = usdToEur();
    const spread = usdToEur('0.0025');
    const unreachable = new FulfillerLink(); // answers F06: nothing to fulfill, we only look at amounts
    plain.connector.setLink('eu', unreachable);
    spread.connector.setLink('eu', unreachable);
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: 2n ** 50n }), async (amount) => {
        const before = unreachable.received.length;
        await send(
          plain.connector,
          'alice',
          prepare('test.eu', amount, makeFulfillment().condition, plain.scheduler.now() + 9_000),
        );
        const out = unreachable.received[before].amount;
        // out ≤ a·10^6/108 < out + 1
        expect(out * 108n <= amount * 1_000_000n).toBe(true);
        expect(amount * 1_000_000n < (out + 1n) * 108n).toBe(true);
        await send(
          spread.connector,
          'alice',
          prepare('test.eu', amount, makeFulfillment().condition, spread.scheduler.now() + 9_000),
        );
        const withSpread = unreachable.received[before + 1].amount;
        // × (1 − 0.0025) = × 3990/4000
        const num = amount * 1_000_000n * 3990n;
        const den = 108n * 4000n;
        expect(withSpread * den <= num).toBe(true);
        expect(num < (withSpread + 1n) * den).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('R01 when a non-zero amount converts to 0; T00 when no rate is known; rates apply when set', async () => {
    const { connector, scheduler, receiver, rates } = usdToEur();
    connector.addAccount({ id: 'jp', assetCode: 'JPY', assetScale: 0, relation: 'peer' });
    connector.setLink('jp', receiver);
    connector.addStaticRoute('test.jp', 'jp');
    const expiresAt = scheduler.now() + 9_000;
    const noRate = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.jp', 100n, makeFulfillment().condition, expiresAt),
        )
      ).reply,
    );
    expect([noRate.code, noRate.triggeredBy]).toEqual(['T00', 'test.a']);
    rates.setRates({ USD: '1', EUR: '1.08', JPY: '0.0067' });
    // 1 cent = 1.49 yen → floor 1; 0 would need a smaller amount than 1 cent: use 0.5 yen rate
    await send(
      connector,
      'alice',
      prepare('test.jp', 100n, makeFulfillment().condition, expiresAt),
    );
    expect(receiver.received.at(-1)?.amount).toBe(149n); // $1 = 149.25 yen → 149
    rates.setRates({ USD: '1', JPY: '200' }); // 1 yen = $200: one cent is worth 0.00005 yen
    const tooSmall = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.jp', 1n, makeFulfillment().condition, expiresAt),
        )
      ).reply,
    );
    expect([tooSmall.code, tooSmall.triggeredBy]).toEqual(['R01', 'test.a']);
    expect(connector.getBalance('alice').reservedIncoming).toBe(0n);
  });
});

describe('Connector: rejects of its own (triggeredBy = our address)', () => {
  function single(extra: Partial<AccountConfig> = {}) {
    const n = node('test.a');
    n.connector.addAccount(usd('alice', 'child', extra));
    n.connector.addAccount(usd('peer', 'peer'));
    const receiver = new FulfillerLink();
    n.connector.setLink('peer', receiver);
    n.connector.addStaticRoute('test.z', 'peer');
    return { ...n, receiver };
  }

  it('F08 with AmountTooLarge data', async () => {
    const { connector, scheduler } = single({ maxPacketAmount: 1000n });
    const reject = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1001n, makeFulfillment().condition, scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect([reject.code, reject.triggeredBy]).toEqual(['F08', 'test.a']);
    expect(deserializeAmountTooLargeData(reject.data)).toEqual({
      receivedAmount: 1001n,
      maximumAmount: 1000n,
    });
  });

  it('T05 when the packet rate limit is exhausted, refilled as time passes', async () => {
    const { connector, scheduler, receiver } = single({ rateLimit: { packetsPerSecond: 3 } });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const condition = receiver.register(makeFulfillment().fulfillment);
      const { reply } = await send(
        connector,
        'alice',
        prepare('test.z', 1n, condition, scheduler.now() + 9_000),
      );
      codes.push(
        reply.type === IlpPacketType.Fulfill ? 'ok' : `${reply.code}@${reply.triggeredBy}`,
      );
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'T05@test.a', 'T05@test.a']);
    await scheduler.advance(334);
    const { reply } = await send(
      connector,
      'alice',
      prepare(
        'test.z',
        1n,
        receiver.register(makeFulfillment().fulfillment),
        scheduler.now() + 9_000,
      ),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
  });

  it('T05 when the amount rate limit is exhausted', async () => {
    const { connector, scheduler } = single({ rateLimit: { amountPerSecond: 100n } });
    const expiresAt = scheduler.now() + 9_000;
    expect(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 80n, makeFulfillment().condition, expiresAt),
        )
      ).reply,
    ).toMatchObject({ code: 'F06' });
    expect(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 30n, makeFulfillment().condition, expiresAt),
        )
      ).reply,
    ).toMatchObject({ code: 'T05', triggeredBy: 'test.a' });
    expect(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 20n, makeFulfillment().condition, expiresAt),
        )
      ).reply,
    ).toMatchObject({ code: 'F06' });
  });

  it('R02 when too little time is left, and for a Prepare that expired before it arrived', async () => {
    const { connector, scheduler, receiver } = single();
    const short = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 1_999),
        )
      ).reply,
    );
    expect([short.code, short.triggeredBy]).toEqual(['R02', 'test.a']);
    const expired = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() - 1),
        )
      ).reply,
    );
    expect(expired.code).toBe('R02');
    expect(receiver.received).toHaveLength(0);
    const ok = await send(
      connector,
      'alice',
      prepare(
        'test.z',
        1n,
        receiver.register(makeFulfillment().fulfillment),
        scheduler.now() + 2_000,
      ),
    );
    expect(ok.reply.type).toBe(IlpPacketType.Fulfill);
  });

  it('F02 without a route, for our own address, and back to the sender', async () => {
    const { connector, scheduler } = single();
    const expiresAt = scheduler.now() + 9_000;
    for (const destination of ['test.nowhere', 'test.a', 'test.a.unknown-child']) {
      const r = asReject(
        (
          await send(
            connector,
            'alice',
            prepare(destination, 1n, makeFulfillment().condition, expiresAt),
          )
        ).reply,
      );
      expect([r.code, r.triggeredBy]).toEqual(['F02', 'test.a']);
    }
    const back = asReject(
      (
        await send(
          connector,
          'peer',
          prepare('test.z.x', 1n, makeFulfillment().condition, expiresAt),
        )
      ).reply,
    );
    expect([back.code, back.triggeredBy]).toEqual(['F02', 'test.a']);
  });

  it('T01 when the next hop has no link or it is down', async () => {
    const { connector, scheduler, receiver } = single();
    receiver.connected = false;
    const down = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect([down.code, down.triggeredBy]).toEqual(['T01', 'test.a']);
    connector.setLink('peer', undefined);
    const none = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect(none.code).toBe('T01');
    expect(connector.getBalance('alice').reservedIncoming).toBe(0n);
  });

  it('keeps test and live networks apart (F02 both ways)', async () => {
    const testnet = single();
    testnet.connector.addStaticRoute('g', 'peer');
    const r = asReject(
      (
        await send(
          testnet.connector,
          'alice',
          prepare('g.bank.x', 1n, makeFulfillment().condition, testnet.scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect([r.code, r.triggeredBy]).toEqual(['F02', 'test.a']);
    const live = node('g.live');
    live.connector.addAccount(usd('alice', 'child'));
    live.connector.addAccount(usd('up', 'parent'));
    live.connector.setLink('up', new FulfillerLink());
    for (const destination of ['test.x.y', 'test1.x', 'test3.x']) {
      const rejected = asReject(
        (
          await send(
            live.connector,
            'alice',
            prepare(destination, 1n, makeFulfillment().condition, live.scheduler.now() + 9_000),
          )
        ).reply,
      );
      expect([rejected.code, rejected.triggeredBy]).toEqual(['F02', 'g.live']);
    }
    // a live node does route g. to its parent (default route)
    const ok = await send(
      live.connector,
      'alice',
      prepare('g.other.x', 1n, makeFulfillment().condition, live.scheduler.now() + 9_000),
    );
    expect(ok.reply).toMatchObject({ code: 'F06' });
  });

  it('F01 for malformed bytes or a non-Prepare; F00 for an unknown account; T00 hides link internals', async () => {
    const { connector, scheduler } = single();
    const garbage = deserializeReject(
      await connector.handlePacket('alice', new Uint8Array([12, 3, 1, 2])),
    );
    expect([garbage.code, garbage.triggeredBy]).toEqual(['F01', 'test.a']);
    const notPrepare = deserializeReject(
      await connector.handlePacket(
        'alice',
        serializeReject({
          type: IlpPacketType.Reject,
          code: 'F00',
          triggeredBy: '',
          message: '',
          data: new Uint8Array(),
        }),
      ),
    );
    expect(notPrepare.code).toBe('F01');
    const unknown = deserializeReject(
      await connector.handlePacket(
        'mallory',
        serializePrepare(
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
        ),
      ),
    );
    expect(unknown.code).toBe('F00');
    connector.setLink('peer', failingLink(new Error('socket secret 10.0.0.7 exploded')));
    const internal = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect([internal.code, internal.triggeredBy]).toEqual(['T00', 'test.a']);
    expect(internal.message).not.toContain('10.0.0.7');
    connector.setLink('peer', failingLink(ilpError('T01', 'peer went away')));
    const linkError = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect([linkError.code, linkError.triggeredBy, linkError.message]).toEqual([
      'T01',
      'test.a',
      'peer went away',
    ]);
    connector.setLink('peer', { connected: true, send: async () => new Uint8Array([13, 1, 0]) });
    const badReply = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect(badReply.code).toBe('T00');
    expect(connector.getBalance('alice')).toEqual({
      balance: 0n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
  });

  it('never forwards peer.* (even with a default route to a parent)', async () => {
    const { connector, scheduler } = node('test.a');
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('up', 'parent'));
    const parent = new FulfillerLink();
    connector.setLink('up', parent);
    const { PEER_PROTOCOL_CONDITION } = await import('@tollgate/ilp-core');
    for (const destination of ['peer.foo', 'peer.route.other', 'peer.config.x']) {
      const r = asReject(
        (
          await send(
            connector,
            'alice',
            prepare(destination, 0n, PEER_PROTOCOL_CONDITION, scheduler.now() + 9_000),
          )
        ).reply,
      );
      expect([r.code, r.triggeredBy]).toEqual(['F01', 'test.a']);
    }
    const wrongCondition = asReject(
      (
        await send(
          connector,
          'alice',
          prepare('peer.config', 0n, makeFulfillment().condition, scheduler.now() + 9_000),
        )
      ).reply,
    );
    expect(wrongCondition.code).toBe('F01');
    expect(parent.received).toHaveLength(0);
    // but everything else under test. goes up the default route
    await send(
      connector,
      'alice',
      prepare('test.elsewhere', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
    );
    expect(parent.received).toHaveLength(1);
  });
});

describe('Connector: local delivery, settlement hook, adjustments', () => {
  it('delivers to a local handler: commits the incoming side only', async () => {
    const { connector, scheduler, journal } = node('test.a');
    connector.addAccount(usd('alice', 'child'));
    const { fulfillment, condition } = makeFulfillment();
    const seen: string[] = [];
    connector.registerLocalHandler('test.a.stream', async (p, from) => {
      seen.push(`${from}:${p.destination}:${p.amount}`);
      return { type: IlpPacketType.Fulfill, fulfillment, data: new Uint8Array() };
    });
    const { reply } = await send(
      connector,
      'alice',
      prepare('test.a.stream.conn1', 250n, condition, scheduler.now() + 9_000),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
    expect(seen).toEqual(['alice:test.a.stream.conn1:250']);
    expect(connector.getBalance('alice').balance).toBe(-250n);
    expect(journal.entries()).toEqual([{ accountId: 'alice', delta: -250n, kind: 'packet' }]);
  });

  it('turns handler errors into Rejects: IlpError keeps its code, others T00; wrong fulfillment F05', async () => {
    const { connector, scheduler } = node('test.a');
    connector.addAccount(usd('alice', 'child'));
    connector.registerLocalHandler('test.a.ilp', async () => {
      throw ilpError('F99', 'stream says no');
    });
    connector.registerLocalHandler('test.a.boom', async () => {
      throw new Error('db password is hunter2');
    });
    connector.registerLocalHandler('test.a.liar', async () => ({
      type: IlpPacketType.Fulfill,
      fulfillment: new Uint8Array(32),
      data: new Uint8Array(),
    }));
    const expiresAt = scheduler.now() + 9_000;
    const c = makeFulfillment().condition;
    expect(
      (await send(connector, 'alice', prepare('test.a.ilp.x', 5n, c, expiresAt))).reply,
    ).toMatchObject({ code: 'F99', triggeredBy: 'test.a', message: 'stream says no' });
    const boom = asReject(
      (await send(connector, 'alice', prepare('test.a.boom', 5n, c, expiresAt))).reply,
    );
    expect(boom.code).toBe('T00');
    expect(boom.message).not.toContain('hunter2');
    expect(
      (await send(connector, 'alice', prepare('test.a.liar', 5n, c, expiresAt))).reply,
    ).toMatchObject({ code: 'F05' });
    expect(connector.getBalance('alice')).toEqual({
      balance: 0n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
  });

  it('calls onSettlementNeeded once when the balance passes settleThreshold; adjustBalance re-arms it', async () => {
    const calls: [string, bigint][] = [];
    const { connector, scheduler, journal } = node('test.a', {
      onSettlementNeeded: (id, balance) => calls.push([id, balance]),
    });
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('peer', 'peer', { settleThreshold: 100n, settleTo: 0n }));
    const receiver = new FulfillerLink();
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    for (const amount of [60n, 50n, 30n]) {
      await send(
        connector,
        'alice',
        prepare(
          'test.z',
          amount,
          receiver.register(makeFulfillment().fulfillment),
          scheduler.now() + 9_000,
        ),
      );
    }
    expect(calls).toEqual([['peer', 110n]]);
    await connector.adjustBalance('peer', -140n, 'settled 1.40 USD', 'settlement');
    expect(connector.getBalance('peer').balance).toBe(0n);
    expect(journal.entries().at(-1)).toEqual({
      accountId: 'peer',
      delta: -140n,
      kind: 'settlement',
      reason: 'settled 1.40 USD',
    });
    await send(
      connector,
      'alice',
      prepare(
        'test.z',
        101n,
        receiver.register(makeFulfillment().fulfillment),
        scheduler.now() + 9_000,
      ),
    );
    expect(calls).toEqual([
      ['peer', 110n],
      ['peer', 101n],
    ]);
  });

  it('loads initial balances, reports accounts and validates configs', () => {
    const { connector } = node('test.a');
    connector.addAccount(usd('alice', 'child', { minBalance: -50n }), { balance: 75n });
    expect(connector.getBalance('alice').balance).toBe(75n);
    expect(connector.getAccount('alice')).toMatchObject({
      address: 'test.a.alice',
      connected: false,
      balance: 75n,
    });
    expect(() => connector.addAccount(usd('alice', 'peer'))).toThrow(/exists/);
    expect(() => connector.addAccount(usd('bad.id', 'peer'))).toThrow(/segment/);
    expect(() => connector.addAccount({ ...usd('x', 'peer'), assetScale: 256 })).toThrow(
      /assetScale/,
    );
    expect(() => connector.addAccount(usd('y', 'peer', { maxPacketAmount: -1n }))).toThrow(
      /maxPacketAmount/,
    );
    expect(() => connector.addStaticRoute('peer.x', 'alice')).toThrow(/peer/);
    expect(() => connector.addStaticRoute('test.q', 'nobody')).toThrow(/no account/);
    connector.updateAccount('alice', { minBalance: -10n });
    expect(connector.getAccount('alice').config.minBalance).toBe(-10n);
    expect(connector.accounts().map((a) => a.config.id)).toEqual(['alice']);
    connector.removeAccount('alice');
    expect(() => connector.getBalance('alice')).toThrow(/no account/);
  });
});

describe('Connector: journal durability', () => {
  it('holds the Fulfill until its batch is durable', async () => {
    const journal = new ControlledJournal();
    const { connector, scheduler } = node('test.a', {
      journal: journal as unknown as InMemoryBalanceJournal,
    });
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('peer', 'peer'));
    const receiver = new FulfillerLink();
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    let released = false;
    const pending = send(
      connector,
      'alice',
      prepare(
        'test.z',
        10n,
        receiver.register(makeFulfillment().fulfillment),
        scheduler.now() + 9_000,
      ),
    ).then((r) => {
      released = true;
      return r;
    });
    await settle(5);
    expect(journal.calls).toHaveLength(1);
    expect(journal.calls[0].entries).toEqual([
      { accountId: 'alice', delta: -10n, kind: 'packet' },
      { accountId: 'peer', delta: 10n, kind: 'packet' },
    ]);
    expect(released).toBe(false);
    journal.calls[0].resolve();
    expect((await pending).reply.type).toBe(IlpPacketType.Fulfill);
    expect(released).toBe(true);
  });

  it('coalesces many concurrent fulfills into few appends, summed per account', async () => {
    const journal = new ControlledJournal();
    const { connector, scheduler } = node('test.a', {
      journal: journal as unknown as InMemoryBalanceJournal,
    });
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('bob', 'child'));
    connector.addAccount(usd('peer', 'peer'));
    const receiver = new FulfillerLink();
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    const all = Array.from({ length: 200 }, (_, i) =>
      send(
        connector,
        i % 2 ? 'alice' : 'bob',
        prepare(
          'test.z',
          1n,
          receiver.register(makeFulfillment().fulfillment),
          scheduler.now() + 9_000,
        ),
      ),
    );
    await settle(5);
    expect(journal.calls).toHaveLength(1);
    expect(journal.calls[0].entries).toEqual(
      expect.arrayContaining([
        { accountId: 'alice', delta: -100n, kind: 'packet' },
        { accountId: 'bob', delta: -100n, kind: 'packet' },
        { accountId: 'peer', delta: 200n, kind: 'packet' },
      ]),
    );
    expect(journal.calls[0].entries).toHaveLength(3);
    journal.calls[0].resolve();
    const replies = await Promise.all(all);
    expect(replies.every((r) => r.reply.type === IlpPacketType.Fulfill)).toBe(true);
    expect(journal.calls).toHaveLength(1);
  });

  it('retries a failed append with back-off, loses nothing and then releases the Fulfill', async () => {
    const journal = new ControlledJournal();
    const errors: number[] = [];
    const scheduler = new ManualScheduler();
    const { connector } = node('test.a', {
      scheduler,
      journal: journal as unknown as InMemoryBalanceJournal,
      events: { journalError: (_e, info) => errors.push(info.attempt) },
    });
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('peer', 'peer'));
    const receiver = new FulfillerLink();
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    const pending = send(
      connector,
      'alice',
      prepare(
        'test.z',
        10n,
        receiver.register(makeFulfillment().fulfillment),
        scheduler.now() + 9_000,
      ),
    );
    await settle(5);
    journal.calls[0].reject(new Error('connection reset'));
    await settle();
    expect(errors).toEqual([1]);
    // a second packet meanwhile waits behind the failing batch
    const second = send(
      connector,
      'alice',
      prepare(
        'test.z',
        5n,
        receiver.register(makeFulfillment().fulfillment),
        scheduler.now() + 9_000,
      ),
    );
    await scheduler.advance(50);
    expect(journal.calls).toHaveLength(2);
    expect(journal.calls[1].info.batchId).toBe(journal.calls[0].info.batchId);
    expect(journal.calls[1].entries).toEqual(journal.calls[0].entries);
    journal.calls[1].reject(new Error('still down'));
    await settle();
    await scheduler.advance(100);
    expect(errors).toEqual([1, 2]);
    journal.calls[2].resolve();
    expect((await pending).reply.type).toBe(IlpPacketType.Fulfill);
    await settle();
    journal.calls[3].resolve();
    expect((await second).reply.type).toBe(IlpPacketType.Fulfill);
    expect(journal.sum('alice')).toBe(-15n);
    expect(journal.sum('peer')).toBe(15n);
  });
});

describe('Connector: events', () => {
  it('reports fulfilled and rejected packets and route changes', async () => {
    const log: string[] = [];
    const { connector, scheduler } = node('test.a', {
      events: {
        packetFulfilled: (from, to, amountIn, amountOut) =>
          log.push(`ok ${from}->${to} ${amountIn}/${amountOut}`),
        packetRejected: (from, to, code, by, relayed) =>
          log.push(`rej ${from}->${to} ${code} ${by} ${relayed}`),
        routeChanged: (prefix, hop, source) => log.push(`route ${prefix} ${hop} ${source}`),
      },
    });
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('peer', 'peer'));
    const receiver = new FulfillerLink();
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    await send(
      connector,
      'alice',
      prepare(
        'test.z',
        3n,
        receiver.register(makeFulfillment().fulfillment),
        scheduler.now() + 9_000,
      ),
    );
    await send(
      connector,
      'alice',
      prepare('test.z', 3n, makeFulfillment().condition, scheduler.now() + 9_000),
    );
    await send(
      connector,
      'alice',
      prepare('test.q', 3n, makeFulfillment().condition, scheduler.now() + 9_000),
    );
    expect(log).toEqual([
      'route test.a undefined local',
      'route test.a.alice alice local',
      'route test.z peer static',
      'ok alice->peer 3/3',
      'rej alice->peer F06 test.receiver true',
      'rej alice->undefined F02 test.a false',
    ]);
  });
});

describe('Connector: lifecycle', () => {
  it('stop() answers what is pending with T00 and clears every timer', async () => {
    const scheduler = new ManualScheduler();
    const { connector } = node('test.a', { scheduler });
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('peer', 'peer'));
    connector.setLink('peer', {
      connected: true,
      send: () => new Promise<Uint8Array>(() => undefined),
    });
    connector.addStaticRoute('test.z', 'peer');
    const pending = send(
      connector,
      'alice',
      prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
    );
    await settle();
    connector.stop();
    expect((await pending).reply).toMatchObject({ code: 'T00' });
    expect(connector.getBalance('alice').reservedIncoming).toBe(0n);
    expect(scheduler.pendingTimers).toBe(0);
    const after = deserializeReject(
      await connector.handlePacket(
        'alice',
        serializePrepare(
          prepare('test.z', 1n, makeFulfillment().condition, scheduler.now() + 9_000),
        ),
      ),
    );
    expect(after.code).toBe('T00');
  });

  it('handlePrepare (typed) validates fields and forwards like handlePacket', async () => {
    const { connector, scheduler } = node('test.a');
    connector.addAccount(usd('alice', 'child'));
    connector.addAccount(usd('peer', 'peer'));
    const receiver = new FulfillerLink();
    connector.setLink('peer', receiver);
    connector.addStaticRoute('test.z', 'peer');
    const condition = receiver.register(makeFulfillment().fulfillment);
    const ok = await connector.handlePrepare(
      'alice',
      prepare('test.z.q', 42n, condition, scheduler.now() + 9_000),
    );
    expect(ok.type).toBe(IlpPacketType.Fulfill);
    expect(receiver.received[0]).toMatchObject({ amount: 42n, destination: 'test.z.q' });
    const bad = await connector.handlePrepare('alice', {
      ...prepare('test.z', 1n, condition, scheduler.now() + 9_000),
      destination: 'not an address',
    });
    expect(bad).toMatchObject({ code: 'F01', triggeredBy: 'test.a' });
    const negative = await connector.handlePrepare(
      'alice',
      prepare('test.z', -1n, condition, scheduler.now() + 9_000),
    );
    expect(negative).toMatchObject({ code: 'F01' });
  });

  it('an in-memory link pair can be rewired (ConnectorLink counts sends)', async () => {
    const { a, scheduler, bob } = twoHops();
    const link = new ConnectorLink(a.connector, 'alice');
    expect(link.sent).toBe(0);
    const condition = bob.register(makeFulfillment().fulfillment);
    const reply = deserializeIlpReply(
      await link.send(
        serializePrepare(prepare('test.b.bob', 1n, condition, scheduler.now() + 9_000)),
      ),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
    expect(link.sent).toBe(1);
  });
});
