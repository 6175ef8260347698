import { describe, expect, it } from 'vitest';
import { AccountState } from '../accounts/account-state';
import { RoutingTable } from '../routing/routing-table';
import { RouteMiddleware } from './route.middleware';
import {
  account,
  context,
  expectReject,
  run,
  runtime,
  StubService,
} from '../../test/chain-harness';

function setup() {
  const accounts = new Map<string, AccountState>();
  const table = new RoutingTable({
    relationOf: (id) => accounts.get(id)?.relation,
    originAuth: () => new Uint8Array(32),
  });
  const forward = new StubService();
  const local = new StubService();
  const peer = new StubService();
  const rule = new RouteMiddleware({ forward, local, peer }, table, accounts, runtime());
  const from = account('from');
  const to = account('to');
  to.link = { connected: true, send: async () => new Uint8Array() };
  accounts.set('from', from);
  accounts.set('to', to);
  return { accounts, table, forward, local, peer, rule, from, to };
}

describe('RouteMiddleware', () => {
  it('forwards to the longest-prefix match and sets ctx.to', async () => {
    const { table, rule, forward, from, to } = setup();
    table.setStatic('test.dest', 'to');
    const ctx = context(from, { destination: 'test.dest.x.y' });
    expect((await run(rule, ctx)).type).toBe(13);
    expect(forward.calls).toBe(1);
    expect(ctx.to).toBe(to);
  });

  it('peer.* goes to the peer protocols, never to the table', async () => {
    const { table, rule, peer, forward, from } = setup();
    table.setStatic('test', 'to');
    await run(rule, context(from, { destination: 'peer.route.update' }));
    expect([peer.calls, forward.calls]).toEqual([1, 0]);
  });

  it('local handlers receive their prefix', async () => {
    const { table, rule, local, from } = setup();
    const handler = async () =>
      ({ type: 13, fulfillment: new Uint8Array(32), data: new Uint8Array() }) as const;
    table.setHandler('test.node.stream', handler);
    const ctx = context(from, { destination: 'test.node.stream.abc' });
    await run(rule, ctx);
    expect(local.calls).toBe(1);
    expect(ctx.handler).toBe(handler);
  });

  it('F02 when no route matches, when only our own address does, and back to the sender', async () => {
    const { table, rule, from } = setup();
    expectReject(await run(rule, context(from, { destination: 'test.nowhere' })), 'F02');
    table.setLocal('test.node', undefined);
    expectReject(await run(rule, context(from, { destination: 'test.node.ghost' })), 'F02');
    table.setStatic('test.loop', 'from');
    expectReject(await run(rule, context(from, { destination: 'test.loop' })), 'F02');
  });

  it('T01 when the next hop has no link or it is not connected', async () => {
    const { table, rule, from, to } = setup();
    table.setStatic('test.dest', 'to');
    to.link = { connected: false, send: async () => new Uint8Array() };
    expectReject(await run(rule, context(from, { destination: 'test.dest' })), 'T01');
    to.link = undefined;
    expectReject(await run(rule, context(from, { destination: 'test.dest' })), 'T01');
  });
});
