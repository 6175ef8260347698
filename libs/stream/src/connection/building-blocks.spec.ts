import { MAX_UINT64, serializeAmountTooLargeData } from '@tollgate/ilp-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketSizer } from '../sender/packet-sizer';
import {
  divideCeil,
  divideFloor,
  multiplyFloor,
  rationalToString,
  toRational,
} from '../util/rational';
import { IncomingData } from './incoming-data';
import { splitAmount } from './money-split';
import { OutgoingData } from './outgoing-data';
import { ReplayWindow } from './replay-window';

describe('splitAmount', () => {
  it('splits pro rata (RFC example 100 → 10/30/60)', () => {
    const out = splitAmount(100n, [
      { streamId: 1, shares: 5n },
      { streamId: 3, shares: 15n },
      { streamId: 5, shares: 30n },
    ]);
    expect(out.map((o) => o.amount)).toEqual([10n, 30n, 60n]);
  });

  it('gives the remainder to the lowest stream with room', () => {
    const out = splitAmount(10n, [
      { streamId: 1, shares: 1n, room: 3n },
      { streamId: 3, shares: 1n },
      { streamId: 5, shares: 1n },
    ]);
    // 3/3/3 + remainder 1: stream 1 has no room for it, stream 3 does
    expect(out).toEqual([
      { streamId: 1, amount: 3n },
      { streamId: 3, amount: 4n },
      { streamId: 5, amount: 3n },
    ]);
  });

  it('never loses or invents a unit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_UINT64 }),
        fc.array(
          fc.record({ streamId: fc.nat(50), shares: fc.bigInt({ min: 0n, max: MAX_UINT64 }) }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (amount, inputs) => {
          const out = splitAmount(amount, inputs);
          const total = out.reduce((n, o) => n + o.amount, 0n);
          const shares = inputs.reduce((n, i) => n + i.shares, 0n);
          expect(total).toBe(shares === 0n ? 0n : amount);
        },
      ),
    );
  });
});

describe('ReplayWindow', () => {
  it('accepts each sequence once, in any order, within the window', () => {
    const w = new ReplayWindow(8);
    expect([5, 3, 4, 9, 6].map((s) => w.accept(s))).toEqual([true, true, true, true, true]);
    expect(w.accept(5)).toBe(false);
    expect(w.accept(1)).toBe(false); // older than 9 − 8
    expect(w.accept(2)).toBe(true);
    for (let s = 10; s < 100; s++) expect(w.accept(s)).toBe(true);
    expect(w.accept(50)).toBe(false);
  });
});

describe('IncomingData', () => {
  it('reassembles out-of-order and repeated fragments exactly once', () => {
    const data = new IncomingData();
    const bytes = (from: number, to: number) =>
      Uint8Array.from({ length: to - from }, (_, i) => from + i);
    expect(data.push(5, bytes(5, 10))).toEqual([]);
    expect(data.push(10, bytes(10, 12))).toEqual([]);
    expect(data.bufferedOutOfOrder).toBe(7);
    const out = data.push(0, bytes(0, 5));
    expect(Buffer.concat(out)).toEqual(Buffer.from(bytes(0, 12)));
    expect(data.push(5, bytes(5, 10))).toEqual([]); // retransmission
    expect(data.push(8, bytes(8, 14))[0]).toEqual(bytes(12, 14)); // overlapping tail
    expect(data.deliveredOffset).toBe(14);
    expect(data.highestOffset).toBe(14);
  });
});

describe('OutgoingData', () => {
  it('cuts fragments to size and window, resends rejected ones first and exactly', () => {
    const out = new OutgoingData();
    out.write(new Uint8Array(10).fill(1));
    out.write(new Uint8Array(10).fill(2));
    const a = out.take(8, 100) as { offset: number; data: Uint8Array };
    expect(a.offset).toBe(0);
    const b = out.take(100, 15) as { offset: number; data: Uint8Array };
    expect([b.offset, b.data.length]).toEqual([8, 7]);
    expect(out.take(100, 15)).toBeUndefined(); // window full
    out.retry(a);
    const again = out.take(5, 100) as { offset: number; data: Uint8Array };
    expect([again.offset, again.data.length]).toEqual([0, 5]);
    expect(out.take(5, 100)).toMatchObject({ offset: 5 });
    expect(out.drained).toBe(false);
    out.acknowledge(b);
    out.acknowledge({ offset: 0, data: a.data });
    out.acknowledge(out.take(100, 100) as { offset: number; data: Uint8Array });
    expect(out.drained).toBe(true);
    expect(out.writtenOffset).toBe(20);
  });
});

describe('PacketSizer', () => {
  it('scales an F08 with data, walks down without it, cuts on T04 and grows back', () => {
    const s = new PacketSizer();
    s.onAmountTooLarge(
      1_000n,
      serializeAmountTooLargeData({ receivedAmount: 3_000n, maximumAmount: 600n }),
    );
    expect(s.maxPacketAmount).toBe(200n);
    expect(s.current).toBe(200n);
    s.onInsufficientLiquidity(200n);
    expect(s.current).toBe(134n);
    s.onFulfill(134n);
    expect(s.current).toBe(167n);
    s.onFulfill(167n);
    s.onFulfill(184n);
    expect(s.current).toBeGreaterThan(190n);
    for (let i = 0; i < 20; i++) s.onInsufficientLiquidity(s.current);
    expect(s.current).toBe(2n);

    const blind = new PacketSizer();
    blind.onAmountTooLarge(1_000n, new Uint8Array(0));
    expect(blind.maxPacketAmount).toBe(999n);
    expect(blind.current).toBe(500n);
    // nonsense data (received ≤ maximum) counts as no data
    blind.onAmountTooLarge(
      500n,
      serializeAmountTooLargeData({ receivedAmount: 5n, maximumAmount: 9n }),
    );
    expect(blind.maxPacketAmount).toBe(499n);
  });
});

describe('rational', () => {
  it('parses decimals exactly and rounds as asked', () => {
    expect(toRational('0.01')).toEqual({ num: 1n, den: 100n });
    expect(toRational(0.1)).toEqual({ num: 1n, den: 10n });
    expect(toRational('1.5e-3')).toEqual({ num: 3n, den: 2000n });
    expect(() => toRational('-1')).toThrow(RangeError);
    const r = toRational('9212.3');
    expect(multiplyFloor(3n, r)).toBe(27_636n);
    expect(divideFloor(1_000_000n, r)).toBe(108n);
    expect(divideCeil(1_000_000n, r)).toBe(109n);
    expect(rationalToString({ num: 1n, den: 3n }, 4)).toBe('0.3333');
  });
});
