import { describe, expect, it } from 'vitest';
import { AddressSchemeMiddleware } from './address-scheme.middleware';
import {
  account,
  context,
  expectReject,
  run,
  runtime,
  StubService,
} from '../../test/chain-harness';

describe('AddressSchemeMiddleware (RFC 34)', () => {
  it('a testnet node refuses g. destinations with F02', async () => {
    const rule = new AddressSchemeMiddleware(new StubService(), runtime('test.node'));
    expectReject(await run(rule, context(account('a'), { destination: 'g.bank.alice' })), 'F02');
    for (const destination of ['test.x', 'test2.x', 'private.x', 'example.x', 'peer.config']) {
      expect((await run(rule, context(account('a'), { destination }))).type).toBe(13);
    }
  });

  it('a live node refuses test, test1..3 destinations with F02', async () => {
    const rt = runtime('g.node');
    const rule = new AddressSchemeMiddleware(new StubService(), rt);
    for (const destination of ['test.x', 'test1.x', 'test2.y.z', 'test3.q']) {
      const reply = await run(rule, context(account('a'), { destination }));
      expect(reply).toMatchObject({ code: 'F02', triggeredBy: 'test.node' });
    }
    expect((await run(rule, context(account('a'), { destination: 'g.x' }))).type).toBe(13);
  });

  it('other schemes (private., local.) apply no rule', async () => {
    const rule = new AddressSchemeMiddleware(new StubService(), runtime('private.node'));
    for (const destination of ['g.x', 'test.x', 'private.y']) {
      expect((await run(rule, context(account('a'), { destination }))).type).toBe(13);
    }
  });
});
