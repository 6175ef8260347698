import { afterEach, describe, expect, it } from 'vitest';
import {
  deserializeFulfill,
  deserializeReject,
  IlpPacketType,
  serializePrepare,
} from '@tollgate/ilp-core';
import {
  AccountConfig,
  CcpMode,
  CcpRouteUpdateRequest,
  Connector,
  InMemoryBalanceJournal,
  serializeCcpRouteUpdateRequest,
  ZERO_ROUTING_TABLE_ID,
} from '@tollgate/connector';
import {
  connect,
  FulfillerLink,
  makeFulfillment,
  ManualScheduler,
  prepare,
} from '../../test/helpers';

const started: Connector[] = [];
afterEach(() => {
  for (const c of started.splice(0)) c.stop();
});

function node(address: string, scheduler: ManualScheduler, errors?: string[]) {
  const connector = new Connector({
    address,
    assetCode: 'USD',
    assetScale: 2,
    journal: new InMemoryBalanceJournal(),
    scheduler,
    events: errors && { ccpError: (id, e) => errors.push(`${id}: ${(e as Error).message}`) },
  });
  started.push(connector);
  return connector;
}

const account = (
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

/** prefix → next hop of every CCP-learned route. */
function learned(connector: Connector): Record<string, string | undefined> {
  return Object.fromEntries(
    connector
      .routes()
      .filter((r) => r.source === 'ccp')
      .map((r) => [r.prefix, r.nextHop]),
  );
}

function update(
  connector: Connector,
  overrides: Partial<CcpRouteUpdateRequest>,
  now: number,
): Uint8Array {
  return serializeCcpRouteUpdateRequest(
    {
      routingTableId: '11111111-2222-4333-8444-555555555555',
      currentEpochIndex: 1,
      fromEpochIndex: 0,
      toEpochIndex: 1,
      holdDownTime: 45_000,
      speaker: 'test.b',
      newRoutes: [],
      withdrawnRoutes: [],
      ...overrides,
    },
    { now },
  );
}

const route = (prefix: string, path: string[]) => ({
  prefix,
  path,
  auth: new Uint8Array(32),
  props: [],
});

describe('CCP between connectors', () => {
  it('two peers exchange routes, then forward with no static route', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    const b = node('test.b', scheduler);
    a.addAccount(account('alice', 'child'));
    a.addAccount(account('b', 'peer'));
    b.addAccount(account('a', 'peer'));
    b.addAccount(account('bob', 'child'));
    connect(a, 'b', b, 'a');
    const bob = new FulfillerLink();
    b.setLink('bob', bob);
    await scheduler.advance(200);
    expect(learned(a)).toEqual({ 'test.b': 'b' });
    expect(learned(b)).toEqual({ 'test.a': 'a' });
    expect(a.resolveRoute('test.b')?.path).toEqual(['test.b']);
    // children are covered by the node's address, not advertised one by one
    expect(a.resolveRoute('test.b.bob.x')?.prefix).toBe('test.b');
    const { fulfillment } = makeFulfillment();
    const condition = bob.register(fulfillment);
    const reply = deserializeFulfill(
      await a.handlePacket(
        'alice',
        serializePrepare(prepare('test.b.bob.x', 10n, condition, scheduler.now() + 9_000)),
      ),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
    expect(b.getBalance('bob').balance).toBe(10n);
    // stop() leaves no timer behind (heartbeats, retries, expiry sweeps)
    expect(scheduler.pendingTimers).toBeGreaterThan(0);
    a.stop();
    b.stop();
    expect(scheduler.pendingTimers).toBe(0);
  });

  it('epochs: new routes and withdrawals propagate; heartbeats keep routes alive; silence expires them', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    const b = node('test.b', scheduler);
    a.addAccount(account('b', 'peer'));
    b.addAccount(account('a', 'peer'));
    b.addAccount(account('far', 'peer'));
    const { ba } = connect(a, 'b', b, 'a');
    await scheduler.advance(200);
    const epochBefore = b.ccp.forwarding.currentEpoch;
    b.addStaticRoute('test.zz', 'far');
    expect(b.ccp.forwarding.currentEpoch).toBe(epochBefore + 1);
    await scheduler.advance(200);
    expect(learned(a)).toEqual({ 'test.b': 'b', 'test.zz': 'b' });
    expect(a.resolveRoute('test.zz')?.path).toEqual(['test.b']);
    expect(a.ccp.receiver('b')?.epoch).toBe(b.ccp.forwarding.currentEpoch);
    b.removeStaticRoute('test.zz');
    await scheduler.advance(200);
    expect(learned(a)).toEqual({ 'test.b': 'b' });
    // heartbeats every 30 s keep the routes although hold-down is 45 s
    await scheduler.advance(120_000);
    expect(learned(a)).toEqual({ 'test.b': 'b' });
    // B stops talking (its link to A is down): after 45 s without an update A drops B's routes
    ba.connected = false;
    await scheduler.advance(46_000);
    expect(learned(a)).toEqual({});
    // back up: A's receiver asks again (SYNC) on its retry, and B's sender resumes
    ba.connected = true;
    await scheduler.advance(61_000);
    expect(learned(a)).toEqual({ 'test.b': 'b' });
  });

  it('a link going down withdraws its routes at once; coming up asks for them again', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    const b = node('test.b', scheduler);
    a.addAccount(account('b', 'peer'));
    b.addAccount(account('a', 'peer'));
    const { ab } = connect(a, 'b', b, 'a');
    await scheduler.advance(200);
    expect(learned(a)).toEqual({ 'test.b': 'b' });
    a.setLink('b', undefined);
    expect(learned(a)).toEqual({});
    a.setLink('b', ab);
    await scheduler.advance(200);
    expect(learned(a)).toEqual({ 'test.b': 'b' });
  });

  it('children get no routes unless sendRoutes; their control request gets F00', async () => {
    const scheduler = new ManualScheduler();
    const errors: string[] = [];
    const parent = node('test.p', scheduler);
    const kid = node('test.p.kid', scheduler, errors);
    parent.addAccount(account('kid', 'child'));
    parent.addAccount(account('peer', 'peer'));
    parent.addStaticRoute('test.elsewhere', 'peer');
    kid.addAccount(account('up', 'parent'));
    connect(parent, 'kid', kid, 'up');
    await scheduler.advance(500);
    expect(parent.ccp.sender('kid')).toBeUndefined();
    expect(learned(kid)).toEqual({});
    expect(errors[0]).toMatch(/^up: route control rejected: F00/);
    // the child still reaches everything through its default route to the parent
    expect(kid.resolveRoute('test.elsewhere.x')?.nextHop).toBe('up');
    parent.updateAccount('kid', { sendRoutes: true });
    await scheduler.advance(30_500); // the child's control retry
    expect(learned(kid)).toEqual({ 'test.elsewhere': 'up', 'test.p': 'up' });
  });

  it('a parent is not told routes through peers or other parents; a peer never gets its own routes back', async () => {
    const scheduler = new ManualScheduler();
    const p = node('test.p', scheduler);
    const a = node('test.a', scheduler);
    const b = node('test.b', scheduler);
    p.addAccount(account('a', 'child', { receiveRoutes: true, sendRoutes: true }));
    a.addAccount(account('p', 'parent'));
    a.addAccount(account('b', 'peer'));
    a.addAccount(account('kid', 'child'));
    a.addAccount(account('other', 'peer'));
    a.addStaticRoute('test.viakid', 'kid');
    b.addAccount(account('a', 'peer'));
    connect(p, 'a', a, 'p');
    connect(a, 'b', b, 'a');
    await scheduler.advance(500);
    expect(learned(a)).toEqual({ 'test.b': 'b', 'test.p': 'p' });
    // the parent hears about A and what A reaches through its child, not about B or itself
    expect(learned(p)).toEqual({ 'test.a': 'a', 'test.viakid': 'a' });
    // B hears about A, A's parent and A's child routes, but not about itself
    expect(learned(b)).toEqual({ 'test.a': 'a', 'test.p': 'a', 'test.viakid': 'a' });
    const toB = a.ccp.sender('b')!;
    toB.lastKnownEpoch = 0;
    const full = toB.buildUpdate();
    expect(full.newRoutes.map((r) => r.prefix)).not.toContain('test.b');
    expect(full.withdrawnRoutes).toContain('test.b');
    expect(full.newRoutes.find((r) => r.prefix === 'test.p')?.path).toEqual(['test.a', 'test.p']);
  });

  it('three peers in a line: paths grow, shortest wins, loops are refused', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    const b = node('test.b', scheduler);
    const c = node('test.c', scheduler);
    a.addAccount(account('b', 'peer'));
    a.addAccount(account('c', 'peer'));
    b.addAccount(account('a', 'peer'));
    b.addAccount(account('c', 'peer'));
    c.addAccount(account('b', 'peer'));
    c.addAccount(account('a', 'peer'));
    connect(a, 'b', b, 'a');
    connect(b, 'c', c, 'b');
    await scheduler.advance(1_000);
    expect(learned(a)).toEqual({ 'test.b': 'b', 'test.c': 'b' });
    expect(a.resolveRoute('test.c')?.path).toEqual(['test.b', 'test.c']);
    connect(a, 'c', c, 'a'); // close the triangle: the direct route is shorter
    await scheduler.advance(1_000);
    expect(a.resolveRoute('test.c')).toMatchObject({ nextHop: 'c', path: ['test.c'] });
    // nothing learned loops back through its own node
    for (const [n, self] of [
      [a, 'test.a'],
      [b, 'test.b'],
      [c, 'test.c'],
    ] as const) {
      for (const r of n.routes()) expect(r.path).not.toContain(self);
    }
  });

  it('applies the receiver rules: loops, foreign prefixes, our subtree, gaps, stale and new tables', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    a.addAccount(account('b', 'peer'));
    const now = scheduler.now();
    const send = async (u: Partial<CcpRouteUpdateRequest>) =>
      a.handlePacket('b', update(a, u, now));
    await send({
      newRoutes: [
        route('test.ok', ['test.b']),
        route('test.loop', ['test.b', 'test.a', 'test.x']),
        route('g.foreign', ['test.b']),
        route('test', ['test.b']),
        route('test.a.hijack', ['test.b']),
        route('test.a', ['test.b']),
      ],
    });
    expect(learned(a)).toEqual({ 'test.ok': 'b' });
    expect(a.ccp.receiver('b')?.epoch).toBe(1);
    // a gap (from 5 > our 1) is ignored
    await send({
      fromEpochIndex: 5,
      toEpochIndex: 6,
      currentEpochIndex: 6,
      newRoutes: [route('test.gap', ['test.b'])],
    });
    expect(learned(a)).toEqual({ 'test.ok': 'b' });
    // stale (to 0 < our 1) is ignored
    await send({ fromEpochIndex: 0, toEpochIndex: 0, withdrawnRoutes: ['test.ok'] });
    expect(learned(a)).toEqual({ 'test.ok': 'b' });
    // in order: withdrawals then additions
    await send({
      fromEpochIndex: 1,
      toEpochIndex: 3,
      currentEpochIndex: 3,
      withdrawnRoutes: ['test.ok'],
      newRoutes: [route('test.new', ['test.b'])],
    });
    expect(learned(a)).toEqual({ 'test.new': 'b' });
    expect(a.ccp.receiver('b')?.epoch).toBe(3);
    // a new routing table id: the peer restarted; its old routes go
    await send({
      routingTableId: '99999999-2222-4333-8444-555555555555',
      fromEpochIndex: 0,
      toEpochIndex: 1,
      newRoutes: [route('test.fresh', ['test.b'])],
    });
    expect(learned(a)).toEqual({ 'test.fresh': 'b' });
  });

  it('refuses updates from accounts we take no routes from, and control from ones we send none to (F00)', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    a.addAccount(account('kid', 'child'));
    const r = deserializeReject(
      await a.handlePacket(
        'kid',
        update(a, { newRoutes: [route('test.x', ['test.b'])] }, scheduler.now()),
      ),
    );
    expect([r.code, r.triggeredBy]).toEqual(['F00', 'test.a']);
    expect(learned(a)).toEqual({});
    const { serializeCcpRouteControlRequest } = await import('@tollgate/connector');
    const control = serializeCcpRouteControlRequest(
      {
        mode: CcpMode.Sync,
        lastKnownRoutingTableId: ZERO_ROUTING_TABLE_ID,
        lastKnownEpoch: 0,
        features: [],
      },
      { now: scheduler.now() },
    );
    const c = deserializeReject(await a.handlePacket('kid', control));
    expect(c.code).toBe('F00');
  });

  it('IDLE stops updates; a stale table id restarts the peer from epoch 0', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    a.addAccount(account('b', 'peer'));
    const seen: number[] = [];
    a.setLink('b', {
      connected: true,
      send: async (bytes) => {
        const { deserializeCcpRouteUpdateRequest } = await import('@tollgate/connector');
        const { deserializePrepare } = await import('@tollgate/ilp-core');
        const p = deserializePrepare(bytes);
        if (p.destination === 'peer.route.update')
          seen.push(
            deserializeCcpRouteUpdateRequest(bytes, { now: scheduler.now() }).fromEpochIndex,
          );
        const { serializeCcpResponse } = await import('@tollgate/connector');
        return serializeCcpResponse();
      },
    });
    const { serializeCcpRouteControlRequest } = await import('@tollgate/connector');
    const control = (mode: CcpMode, id: string, epoch: number) =>
      a.handlePacket(
        'b',
        serializeCcpRouteControlRequest(
          { mode, lastKnownRoutingTableId: id, lastKnownEpoch: epoch, features: [] },
          { now: scheduler.now() },
        ),
      );
    await control(CcpMode.Sync, a.ccp.forwarding.routingTableId, 1);
    await scheduler.advance(200);
    expect(seen).toEqual([1]);
    await control(CcpMode.Sync, ZERO_ROUTING_TABLE_ID, 1);
    await scheduler.advance(200);
    expect(seen).toEqual([1, 0]);
    await control(CcpMode.Idle, a.ccp.forwarding.routingTableId, 1);
    await scheduler.advance(100_000);
    expect(seen).toEqual([1, 0]);
  });

  it('sends at most 50 epochs per update and catches up over several updates', async () => {
    const scheduler = new ManualScheduler();
    const a = node('test.a', scheduler);
    const b = node('test.b', scheduler);
    a.addAccount(account('b', 'peer'));
    b.addAccount(account('a', 'peer'));
    b.addAccount(account('far', 'peer'));
    for (let i = 0; i < 120; i++) b.addStaticRoute(`test.r${i}`, 'far');
    const updates: [number, number][] = [];
    const { ba } = connect(a, 'b', b, 'a');
    const send = ba.send.bind(ba);
    ba.send = async (bytes: Uint8Array) => {
      const { deserializePrepare } = await import('@tollgate/ilp-core');
      const { deserializeCcpRouteUpdateRequest } = await import('@tollgate/connector');
      if (deserializePrepare(bytes).destination === 'peer.route.update') {
        const u = deserializeCcpRouteUpdateRequest(bytes, { now: scheduler.now() });
        updates.push([u.fromEpochIndex, u.toEpochIndex]);
      }
      return send(bytes);
    };
    await scheduler.advance(1_000);
    expect(Object.keys(learned(a))).toHaveLength(121);
    expect(updates.slice(0, 3)).toEqual([
      [0, 50],
      [50, 100],
      [100, b.ccp.forwarding.currentEpoch],
    ]);
  });
});
