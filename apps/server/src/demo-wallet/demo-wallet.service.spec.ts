import { describe, expect, it } from 'vitest';
import { CreationLimiter } from './creation-limiter';
import { history } from './demo-wallet.service';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));

describe('wallet history', () => {
  it('merges the packet rows of one payment and keeps top-ups apart, newest first', () => {
    expect(
      history([
        { kind: 'packet', delta: -5n, reason: null, createdAt: at(40) },
        { kind: 'packet', delta: -100n, reason: null, createdAt: at(21) },
        { kind: 'packet', delta: -200n, reason: null, createdAt: at(20) },
        { kind: 'adjustment', delta: 2000n, reason: 'demo top-up', createdAt: at(10) },
        { kind: 'packet', delta: 7n, reason: null, createdAt: at(5) },
        { kind: 'adjustment', delta: -1n, reason: 'correction', createdAt: at(1) },
      ]),
    ).toEqual([
      { kind: 'payment', amount: '-5', at: at(40).toISOString() },
      { kind: 'payment', amount: '-300', at: at(21).toISOString() },
      { kind: 'top-up', amount: '2000', at: at(10).toISOString() },
      { kind: 'received', amount: '7', at: at(5).toISOString() },
      { kind: 'adjustment', amount: '-1', at: at(1).toISOString() },
    ]);
  });
});

describe('CreationLimiter', () => {
  it('allows so many per window per client, and forgets the oldest clients past its size', () => {
    let now = 0;
    const limiter = new CreationLimiter(2, 1_000, 3, () => now);
    expect([limiter.tryTake('a'), limiter.tryTake('a'), limiter.tryTake('a')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.tryTake('b')).toBe(true);
    now = 1_000;
    expect(limiter.tryTake('a')).toBe(true);
    for (const c of ['c', 'd', 'e']) limiter.tryTake(c);
    // 'a' was pushed out by newer clients: it starts again
    expect([limiter.tryTake('a'), limiter.tryTake('a')]).toEqual([true, true]);
  });
});
