/**
 * Money over an in-memory network: fixed source and destination amounts, cross-currency,
 * max packet discovery (F08 with and without data), T04 bursts, a rate that moves, a
 * receiver that disappears or stops accepting. In every case the sender's `delivered`
 * must equal what the receiver recorded.
 */
import { IlpErrorCode, IlpPacketType } from '@tollgate/ilp-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createPair, Pair, PairOptions } from '../../test/network';
import { ConnectionStream } from './connection-stream';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

async function setup(options: PairOptions = {}): Promise<Pair & { recorded: () => bigint }> {
  let recorded = 0n;
  const onMoney = options.server?.onMoney;
  pair = await createPair({
    ...options,
    server: {
      ...options.server,
      onMoney: (event) => {
        recorded += event.amount;
        onMoney?.(event);
      },
    },
  });
  return { ...pair, recorded: () => recorded };
}

/** USD scale 2 → EUR scale 6 at 0.92123 EUR per USD: one cent buys 9212.3 EUR units. */
const USD_TO_EUR: [bigint, bigint] = [92_123n, 10n];

describe('paying', () => {
  it('sends a fixed source amount, recorded exactly by the receiver', async () => {
    const p = await setup();
    const progress: bigint[] = [];
    const result = await p.client.pay({
      sourceAmount: 10_000n,
      onProgress: ({ sent }) => progress.push(sent),
    });
    expect(result).toMatchObject({ reason: 'complete', sent: 10_000n, delivered: 10_000n });
    expect(result.packets.rejected).toBe(0);
    expect(p.recorded()).toBe(10_000n);
    const sc = await p.serverConnection();
    expect(sc.totalReceived).toBe(10_000n);
    expect(sc.getStream(result.streamId)?.totalReceived).toBe(10_000n);
    expect(progress.at(-1)).toBe(10_000n);
    expect(p.client.totalSent).toBe(10_000n);
    // asset details went both ways
    expect(p.client.remoteAssetCode).toBe('EUR');
    expect(p.client.remoteAssetScale).toBe(6);
    expect(sc.remoteAssetCode).toBe('USD');
    expect(sc.remoteAssetScale).toBe(2);
  });

  it('sends cross-currency at the path rate, within slippage', async () => {
    const p = await setup({ clientPath: { rate: USD_TO_EUR } });
    const result = await p.client.pay({ sourceAmount: 5_000n });
    expect(result.reason).toBe('complete');
    expect(result.sent).toBe(5_000n);
    const ideal = (5_000n * USD_TO_EUR[0]) / USD_TO_EUR[1];
    expect(result.delivered).toBeLessThanOrEqual(ideal);
    expect(result.delivered).toBeGreaterThanOrEqual((ideal * 99n) / 100n);
    expect(result.delivered).toBe(p.recorded());
    expect(result.delivered).toBe(p.toServer.stats.deliveredInFulfills);
    expect(Number(result.exchangeRate)).toBeCloseTo(9212.3, 1);
  });

  it('delivers a fixed destination amount cross-currency', async () => {
    const p = await setup({ clientPath: { rate: USD_TO_EUR } });
    const result = await p.client.pay({ destinationAmount: 1_000_000n });
    expect(result.reason).toBe('complete');
    expect(result.delivered).toBeGreaterThanOrEqual(1_000_000n);
    expect(result.delivered - 1_000_000n).toBeLessThan(9_213n); // under one cent's worth
    expect(result.delivered).toBe(p.recorded());
    expect(result.sent).toBe(109n); // ceil(1e6 / 9212.3)
  });

  it('honours minExchangeRate: refuses a path below it', async () => {
    const p = await setup({ clientPath: { rate: USD_TO_EUR } });
    const result = await p.client.pay({ sourceAmount: 100n, minExchangeRate: '9300' });
    expect(result).toMatchObject({ reason: 'exchange-rate', sent: 0n, delivered: 0n });
    expect(p.recorded()).toBe(0n);
    const ok = await p.client.pay({ sourceAmount: 100n, minExchangeRate: '9200' });
    expect(ok).toMatchObject({ reason: 'complete', sent: 100n });
  });

  it('pays on several streams at once, remainders to the lowest stream', async () => {
    const p = await setup({ clientPath: { rate: [1n, 3n] } });
    const results = await Promise.all([
      p.client.pay({ sourceAmount: 3_001n }),
      p.client.pay({ sourceAmount: 2_000n }),
      p.client.pay({ sourceAmount: 999n }),
    ]);
    for (const r of results) expect(r.reason).toBe('complete');
    const sc = await p.serverConnection();
    const total = results.reduce((n, r) => n + r.delivered, 0n);
    expect(total).toBe(p.recorded());
    expect(sc.totalReceived).toBe(total);
    // per stream, the receiver's totals are what the sender believes it delivered
    for (const r of results) {
      expect(sc.getStream(r.streamId)?.totalReceived ?? 0n).toBe(r.delivered);
    }
  });
});

describe('path limits', () => {
  it('discovers a small max packet amount from F08 data and keeps to it', async () => {
    const p = await setup({ clientPath: { maxPacketAmount: 100n } });
    const result = await p.client.pay({ sourceAmount: 5_000n });
    expect(result).toMatchObject({ reason: 'complete', sent: 5_000n, delivered: 5_000n });
    expect(p.client.maxPacketAmount).toBe(100n);
    expect(result.packets.fulfilled).toBe(50);
    expect(p.toServer.stats.rejects.F08 ?? 0).toBeLessThanOrEqual(4); // the probe volley only
  });

  it('scales the F08 data through a rate (connector units differ from ours)', async () => {
    // the limit applies after the rate: 300 destination units = 100 source units
    let f08s = 0;
    const viaRate = await setup({
      clientPath: {
        fail: (_i, prepare) => {
          const after = prepare.amount * 3n;
          if (after <= 300n) return undefined;
          f08s++;
          const data = new Uint8Array(16);
          new DataView(data.buffer).setBigUint64(0, after);
          new DataView(data.buffer).setBigUint64(8, 300n);
          return {
            type: IlpPacketType.Reject,
            code: 'F08',
            triggeredBy: 'test.c',
            message: '',
            data,
          };
        },
        rate: [3n, 1n],
      },
    });
    const result = await viaRate.client.pay({ sourceAmount: 1_000n });
    expect(result).toMatchObject({ reason: 'complete', sent: 1_000n, delivered: 3_000n });
    expect(viaRate.client.maxPacketAmount).toBe(100n);
    expect(f08s).toBeLessThanOrEqual(4);
  });

  it('discovers the max packet amount without F08 data (binary search)', async () => {
    const p = await setup({ clientPath: { maxPacketAmount: 777n, f08Data: false } });
    const result = await p.client.pay({ sourceAmount: 20_000n });
    expect(result).toMatchObject({ reason: 'complete', sent: 20_000n, delivered: 20_000n });
    expect(p.client.maxPacketAmount).toBeGreaterThanOrEqual(777n);
    expect(p.client.maxPacketAmount).toBeLessThan(1_000n);
    expect(p.toServer.stats.rejects.F08).toBeLessThan(60);
    expect(p.recorded()).toBe(20_000n);
  });

  it('fails clearly when the path carries nothing (max packet 0)', async () => {
    const p = await setup({ clientPath: { maxPacketAmount: 0n } });
    const result = await p.client.pay({ sourceAmount: 10n });
    expect(result).toMatchObject({ reason: 'max-packet-zero', sent: 0n });
  });

  it('backs off through a T04 burst and completes', async () => {
    const p = await setup({
      clientPath: { maxPacketAmount: 100n, t04: (i) => i >= 8 && i < 28 },
    });
    const result = await p.client.pay({ sourceAmount: 3_000n });
    expect(result).toMatchObject({ reason: 'complete', sent: 3_000n, delivered: 3_000n });
    expect(p.toServer.stats.rejects.T04).toBeGreaterThanOrEqual(15);
    expect(result.packets.rejected).toBeGreaterThan(0);
    expect(p.recorded()).toBe(3_000n);
  });

  it('gives up on endless T04 with a clear reason', async () => {
    const p = await setup({
      clientPath: { t04: (i) => i >= 6 },
      client: { maxConsecutiveFailures: 8 },
    });
    const result = await p.client.pay({ sourceAmount: 3_000n });
    expect(result.reason).toBe('rejected:T04');
    expect(result.delivered).toBe(p.recorded());
  });

  it('retries packets that time out in the network (R00) and completes', async () => {
    const p = await setup({
      clientPath: {
        fail: (i) =>
          i >= 7 && i < 10
            ? {
                type: IlpPacketType.Reject,
                code: 'R00',
                triggeredBy: '',
                message: '',
                data: new Uint8Array(0),
              }
            : undefined,
      },
    });
    const result = await p.client.pay({ sourceAmount: 1_000n });
    expect(result).toMatchObject({ reason: 'complete', delivered: 1_000n });
  });
});

describe('stopping without overpaying', () => {
  it('stops when the rate moves beyond slippage; receiver total = delivered', async () => {
    let forwarded = 0;
    const p = await setup({
      clientPath: {
        maxPacketAmount: 50n,
        rate: () => (forwarded++ < 12 ? [1_000n, 1n] : [950n, 1n]),
      },
      client: { slippage: 0.01 },
    });
    const result = await p.client.pay({ sourceAmount: 5_000n });
    expect(result.reason).toBe('exchange-rate');
    expect(result.sent).toBeLessThan(5_000n);
    expect(result.sent).toBeGreaterThan(0n);
    expect(result.delivered).toBe(p.recorded());
    expect(result.delivered).toBe(result.sent * 1_000n);
  });

  it('ends with a clear reason when the receiver goes away mid-payment', async () => {
    let gone = false;
    const p = await setup({
      clientPath: {
        maxPacketAmount: 100n,
        fail: () =>
          gone
            ? {
                type: IlpPacketType.Reject,
                code: IlpErrorCode.F02_UNREACHABLE,
                triggeredBy: 'test.connector',
                message: 'no route',
                data: new Uint8Array(0),
              }
            : undefined,
      },
    });
    const payment = p.client.pay({
      sourceAmount: 10_000n,
      onProgress: ({ sent }) => {
        if (sent >= 1_000n) gone = true;
      },
    });
    const result = await payment;
    expect(result.reason).toBe('rejected:F02');
    expect(result.delivered).toBe(p.recorded());
    expect(result.sent).toBeGreaterThanOrEqual(1_000n);
    expect(p.client.isClosed).toBe(true);
  });

  it('ends with receiver-closed when the receiver closes the connection', async () => {
    const p = await setup({ clientPath: { maxPacketAmount: 100n } });
    const payment = p.client.pay({ sourceAmount: 10_000n });
    const sc = await p.serverConnection();
    sc.on('money', () => {
      if (sc.totalReceived >= 2_000n) void sc.end();
    });
    const result = await payment;
    expect(result.reason).toBe('receiver-closed');
    expect(result.delivered).toBe(p.recorded());
    expect(result.delivered).toBe(sc.totalReceived);
  });

  it('an invoice cap (receive max): exactly the cap is delivered, nothing more', async () => {
    const cap = 12_345n;
    const p = await setup({
      clientPath: { maxPacketAmount: 1_000n },
      server: {
        onConnection: (connection) => {
          connection.on('stream', (stream: ConnectionStream) => stream.setReceiveMax(cap));
        },
      },
    });
    const result = await p.client.pay({ sourceAmount: 100_000n });
    expect(result.reason).toBe('receive-max');
    expect(result.delivered).toBe(cap);
    expect(p.recorded()).toBe(cap);
    expect(result.sent).toBe(cap);
  });

  it('an invoice cap cross-currency: stops at the cap, never above it', async () => {
    const cap = 999_000n;
    const p = await setup({
      clientPath: { rate: [9_000n, 1n] },
      server: {
        onConnection: (connection) => {
          connection.on('stream', (stream: ConnectionStream) => stream.setReceiveMax(cap));
        },
      },
    });
    const result = await p.client.pay({ sourceAmount: 1_000n });
    expect(result.reason).toBe('receive-max');
    expect(result.delivered).toBe(cap);
    expect(p.recorded()).toBe(cap);
  });

  it('an application that refuses once paid in full (shouldAccept): no overpayment', async () => {
    const cap = 5_000n;
    let reserved = 0n;
    const p = await setup({
      clientPath: { maxPacketAmount: 700n },
      server: {
        shouldAccept: (amount) => {
          if (reserved + amount > cap) return false;
          reserved += amount;
          return true;
        },
      },
    });
    const result = await p.client.pay({ sourceAmount: 50_000n });
    expect(result.reason).toBe('receive-max');
    expect(p.recorded()).toBe(result.delivered);
    expect(result.delivered).toBeLessThanOrEqual(cap);
    expect(result.delivered).toBeGreaterThan(cap - 700n);
  });

  it('times out with the money in flight settled', async () => {
    const p = await setup({ clientPath: { maxPacketAmount: 10n, delayMs: () => 5 } });
    const result = await p.client.pay({ sourceAmount: 1_000_000n, timeoutMs: 60 });
    expect(result.reason).toBe('timeout');
    expect(result.sent).toBeGreaterThan(0n);
    expect(result.delivered).toBe(p.recorded());
    const again = await p.client.pay({ sourceAmount: 30n });
    expect(again.reason).toBe('complete');
  });
});
