import { describe, expect, it } from 'vitest';
import { AccountRelation } from '../accounts/account-config';
import { Route, RoutingTable } from './routing-table';

function table(relations: Record<string, AccountRelation>) {
  const changes: string[] = [];
  const t = new RoutingTable({
    relationOf: (id) => relations[id],
    originAuth: (prefix) => new TextEncoder().encode(prefix.padEnd(32, '_').slice(0, 32)),
  });
  t.onChange((prefix, route) =>
    changes.push(`${prefix}=${route ? (route.nextHop ?? 'local') : '-'}`),
  );
  return { t, changes };
}

const received = (path: string[]) => ({ path, auth: new Uint8Array(32) });

describe('RoutingTable', () => {
  it('longest-prefix match on whole segments', () => {
    const { t } = table({ a: 'peer', b: 'peer', c: 'peer' });
    t.setStatic('test.x', 'a');
    t.setStatic('test.x.y', 'b');
    t.setStatic('test', 'c');
    expect(t.resolve('test.x.y.z')?.nextHop).toBe('b');
    expect(t.resolve('test.x.yz')?.nextHop).toBe('a');
    expect(t.resolve('test.x')?.nextHop).toBe('a');
    expect(t.resolve('test.q')?.nextHop).toBe('c');
    expect(t.resolve('g.q')).toBeUndefined();
  });

  it('static beats local beats received; among received: relation, then path length, then account id', () => {
    const { t, changes } = table({ kid: 'child', p1: 'peer', p2: 'peer', up: 'parent', s: 'peer' });
    t.setReceived('up', 'test.x', received([]));
    expect(t.get('test.x')?.nextHop).toBe('up');
    t.setReceived('p2', 'test.x', received(['test.m', 'test.n']));
    expect(t.get('test.x')?.nextHop).toBe('p2'); // peer 1 > parent 0
    t.setReceived('p1', 'test.x', received(['test.m', 'test.n']));
    expect(t.get('test.x')?.nextHop).toBe('p1'); // same length: lower id
    t.setReceived('p2', 'test.x', received(['test.m']));
    expect(t.get('test.x')?.nextHop).toBe('p2'); // shorter path
    t.setReceived('kid', 'test.x', received(['test.a', 'test.b', 'test.c']));
    expect(t.get('test.x')?.nextHop).toBe('kid'); // child 2
    t.setLocal('test.x', undefined);
    expect(t.get('test.x')).toMatchObject({ source: 'local', nextHop: undefined });
    t.setStatic('test.x', 's');
    expect(t.get('test.x')).toMatchObject({ source: 'static', nextHop: 's' });
    t.deleteStatic('test.x');
    t.deleteLocal('test.x');
    t.clearReceived('kid');
    expect(t.get('test.x')?.nextHop).toBe('p2');
    expect(changes).toEqual([
      'test.x=up',
      'test.x=p2',
      'test.x=p1',
      'test.x=p2',
      'test.x=kid',
      'test.x=local',
      'test.x=s',
      'test.x=local',
      'test.x=kid',
      'test.x=p2',
    ]);
  });

  it('ignores static routes to accounts that do not exist; handlers beat other local routes', () => {
    const relations: Record<string, AccountRelation> = {};
    const { t } = table(relations);
    t.setStatic('test.x', 'ghost');
    expect(t.get('test.x')).toBeUndefined();
    relations.ghost = 'peer';
    t.refreshAll();
    expect(t.get('test.x')?.nextHop).toBe('ghost');
    const handler = async () =>
      ({ type: 13, fulfillment: new Uint8Array(32), data: new Uint8Array() }) as const;
    t.setLocal('test.me', undefined);
    t.setHandler('test.me', handler);
    expect(t.get('test.me')?.handler).toBe(handler);
    t.deleteHandler('test.me');
    expect(t.get('test.me')?.handler).toBeUndefined();
  });

  it('originated routes carry the host auth; an unchanged route announces nothing', () => {
    const { t, changes } = table({ a: 'peer' });
    t.setStatic('test.x', 'a');
    t.setStatic('test.x', 'a');
    const route = t.get('test.x') as Route;
    expect(new TextDecoder().decode(route.auth)).toBe('test.x'.padEnd(32, '_'));
    expect(changes).toEqual(['test.x=a']);
    expect(t.routes().map((r) => r.prefix)).toEqual(['test.x']);
  });
});

describe('RoutingTable.resolve (depth-limited walk)', () => {
  it('agrees with a brute-force longest-prefix match', async () => {
    const fc = (await import('fast-check')).default;
    const segment = fc.constantFrom('a', 'b', 'c');
    const prefixArb = fc
      .array(segment, { minLength: 0, maxLength: 4 })
      .map((s) => ['test', ...s].join('.'));
    fc.assert(
      fc.property(
        fc.uniqueArray(prefixArb, { maxLength: 12 }),
        fc.array(segment, { maxLength: 7 }),
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 4 }),
        (prefixes, tail, removals) => {
          const { t } = table({ x: 'peer' });
          prefixes.forEach((p) => t.setStatic(p, 'x'));
          removals.forEach((i) => prefixes[i] !== undefined && t.deleteStatic(prefixes[i]));
          const live = prefixes.filter((p, i) => !removals.includes(i));
          const destination = ['test', ...tail].join('.');
          const expected = live
            .filter((p) => destination === p || destination.startsWith(`${p}.`))
            .sort((a, b) => b.length - a.length)[0];
          expect(t.resolve(destination)?.prefix).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
