import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StaticRateSource } from '../rates/static-rate-source';
import { FxMiddleware } from './fx.middleware';
import {
  account,
  context,
  expectReject,
  run,
  runtime,
  StubService,
} from '../../test/chain-harness';

function setup(rates: Record<string, string>, spread?: string) {
  const rt = runtime();
  if (spread !== undefined) rt.setSpread(spread);
  const source = new StaticRateSource(rates);
  const next = new StubService();
  return { rule: new FxMiddleware(next, source, rt), next, source, rt };
}

function pair(fromAsset: [string, number], toAsset: [string, number], amount: bigint) {
  const ctx = context(account('a', { assetCode: fromAsset[0], assetScale: fromAsset[1] }), {
    amount,
  });
  ctx.to = account('b', { assetCode: toAsset[0], assetScale: toAsset[1] });
  return ctx;
}

describe('FxMiddleware', () => {
  it('same asset and scale without spread: unchanged (no rate needed)', async () => {
    const { rule } = setup({});
    const ctx = pair(['XRP', 9], ['XRP', 9], 123_456_789n);
    expect((await run(rule, ctx)).type).toBe(13);
    expect(ctx.outAmount).toBe(123_456_789n);
  });

  it('converts exactly with bigints: floor(amount × rate × 10^(scaleOut − scaleIn))', async () => {
    const { rule } = setup({ USD: '1', EUR: '1.08' });
    const ctx = pair(['USD', 2], ['EUR', 6], 100n);
    await run(rule, ctx);
    expect(ctx.outAmount).toBe(925_925n);
    const down = pair(['EUR', 6], ['USD', 2], 925_925n);
    await run(rule, down);
    expect(down.outAmount).toBe(99n); // 99.99999 → 99: never rounds up
  });

  it('scale change of one asset is exact', async () => {
    const { rule } = setup({});
    const ctx = pair(['USD', 2], ['USD', 9], 1n);
    await run(rule, ctx);
    expect(ctx.outAmount).toBe(10_000_000n);
    const back = pair(['USD', 9], ['USD', 2], 19_999_999n);
    await run(rule, back);
    expect(back.outAmount).toBe(1n);
  });

  it('R01 when a non-zero amount becomes 0; T00 with no rate; F03 above 2^64 − 1', async () => {
    const { rule } = setup({ USD: '1', BTC: '60000' });
    expectReject(await run(rule, pair(['USD', 0], ['BTC', 0], 59_999n)), 'R01');
    expectReject(await run(rule, pair(['USD', 2], ['GBP', 2], 1n)), 'T00');
    expectReject(await run(rule, pair(['USD', 0], ['USD', 18], 2n ** 63n)), 'F03');
    const zero = pair(['USD', 0], ['BTC', 0], 0n);
    expect((await run(rule, zero)).type).toBe(13); // zero stays zero: peer protocols, probes
  });

  it('applies the spread and picks up new rates and spreads (cache invalidation)', async () => {
    const { rule, source, rt } = setup({ USD: '1', EUR: '1.25' }, '0.01');
    const a = account('a', { assetCode: 'USD', assetScale: 2 });
    const b = account('b', { assetCode: 'EUR', assetScale: 2 });
    const at = async (amount: bigint) => {
      const ctx = context(a, { amount });
      ctx.to = b;
      await run(rule, ctx);
      return ctx.outAmount;
    };
    expect(await at(10_000n)).toBe(7_920n); // 10000 / 1.25 × 0.99
    source.setRates({ USD: '1', EUR: '2' });
    expect(await at(10_000n)).toBe(4_950n);
    rt.setSpread('0');
    expect(await at(10_000n)).toBe(5_000n);
  });

  it('property: floor semantics for arbitrary decimal rates and scales', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 2n ** 40n }),
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        async (amount, p1, p2, s1, s2) => {
          const priceA = `${Math.floor(p1 / 100)}.${String(p1 % 100).padStart(2, '0')}`;
          const priceB = `${Math.floor(p2 / 1000)}.${String(p2 % 1000).padStart(3, '0')}`;
          const { rule } = setup({ AAA: priceA, BBB: priceB });
          const ctx = pair(['AAA', s1], ['BBB', s2], amount);
          const reply = await run(rule, ctx);
          // exact: amount × (p1/100) / (p2/1000) × 10^(s2 − s1)
          let num = amount * BigInt(p1) * 1000n;
          let den = 100n * BigInt(p2);
          if (s2 >= s1) num *= 10n ** BigInt(s2 - s1);
          else den *= 10n ** BigInt(s1 - s2);
          if (reply.type === 14) {
            if (reply.code === 'F03') expect(num / den > 2n ** 64n - 1n).toBe(true);
            else {
              expect(reply.code).toBe('R01');
              expect(num < den).toBe(true);
            }
            return;
          }
          expect(ctx.outAmount * den <= num).toBe(true);
          expect(num < (ctx.outAmount + 1n) * den).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
