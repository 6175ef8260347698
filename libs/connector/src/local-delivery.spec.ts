/**
 * In-process receivers (`AccountLink.deliver`): typed Prepares in, the credit journaled with
 * the receiver's reference in the same batch as the sender's debit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IlpPacketType, IlpPrepare, serializeFulfill } from '@tollgate/ilp-core';
import {
  AccountLink,
  Connector,
  InMemoryBalanceJournal,
  LocalDelivery,
  StaticRateSource,
} from '@tollgate/connector';
import { asReject, hex, makeFulfillment, ManualScheduler, prepare } from '../test/helpers';

const started: Connector[] = [];
afterEach(() => {
  for (const c of started.splice(0)) c.stop();
});

class ShopLink implements AccountLink {
  readonly connected = true;
  readonly received: IlpPrepare[] = [];
  readonly fulfillments = new Map<string, Uint8Array>();
  sendCalls = 0;
  /** Called back by the connector; records what the journal held at that moment. */
  durableSeen: number[] = [];
  journalForCheck: InMemoryBalanceJournal | undefined;
  async send(): Promise<Uint8Array> {
    this.sendCalls++;
    return serializeFulfill({ fulfillment: new Uint8Array(32) });
  }
  async deliver(p: IlpPrepare): Promise<LocalDelivery> {
    this.received.push(p);
    const fulfillment = this.fulfillments.get(hex(p.executionCondition));
    if (!fulfillment) {
      return {
        reply: {
          type: IlpPacketType.Reject,
          code: 'F99',
          triggeredBy: 'test.node.shop',
          message: 'no',
          data: new Uint8Array(),
        },
      };
    }
    return {
      reply: { type: IlpPacketType.Fulfill, fulfillment, data: new Uint8Array([1]) },
      creditRef: 'invoice-42',
      onDurable: () => this.durableSeen.push(this.journalForCheck?.entries().length ?? -1),
    };
  }
}

function setup() {
  const scheduler = new ManualScheduler();
  const journal = new InMemoryBalanceJournal();
  const rates = new StaticRateSource({ USD: '1', EUR: '2' });
  const connector = new Connector({
    address: 'test.node',
    assetCode: 'USD',
    assetScale: 2,
    journal,
    scheduler,
    rates,
  });
  started.push(connector);
  connector.addAccount({
    id: 'alice',
    assetCode: 'USD',
    assetScale: 2,
    relation: 'child',
    minBalance: -10_000n,
  });
  connector.addAccount({ id: 'shop', assetCode: 'EUR', assetScale: 2, relation: 'child' });
  const shop = new ShopLink();
  connector.setLink('shop', shop);
  return { connector, journal, scheduler, shop };
}

describe('local delivery through AccountLink.deliver', () => {
  it('hands the receiver a typed Prepare for this hop and journals the credit with its reference', async () => {
    const { connector, journal, scheduler, shop } = setup();
    const { fulfillment, condition } = makeFulfillment();
    shop.fulfillments.set(hex(condition), fulfillment);
    const reply = await connector.handlePrepare(
      'alice',
      prepare('test.node.shop.abc', 300n, condition, scheduler.now() + 10_000),
    );
    expect(reply.type).toBe(IlpPacketType.Fulfill);
    expect(shop.sendCalls).toBe(0);
    // 300 USD cents at USD 1 / EUR 2 = 150 EUR cents; expiry shortened by the message window.
    expect(shop.received[0].amount).toBe(150n);
    expect(shop.received[0].expiresAt.getTime()).toBe(scheduler.now() + 9_000);
    expect(connector.getBalance('shop').balance).toBe(150n);
    const entries = journal.entries();
    expect(entries).toContainEqual({
      accountId: 'shop',
      delta: 150n,
      kind: 'packet',
      ref: 'invoice-42',
    });
    expect(entries).toContainEqual({ accountId: 'alice', delta: -300n, kind: 'packet' });
  });

  it('calls onDurable once the credit is in the journal, before the Fulfill returns, and not for Rejects', async () => {
    const { connector, journal, scheduler, shop } = setup();
    shop.journalForCheck = journal;
    const { fulfillment, condition } = makeFulfillment();
    shop.fulfillments.set(hex(condition), fulfillment);
    const reply = connector.handlePrepare(
      'alice',
      prepare('test.node.shop.abc', 300n, condition, scheduler.now() + 10_000),
    );
    const refused = connector.handlePrepare(
      'alice',
      prepare('test.node.shop.abc', 100n, makeFulfillment().condition, scheduler.now() + 10_000),
    );
    expect((await reply).type).toBe(IlpPacketType.Fulfill);
    expect(asReject(await refused).code).toBe('F99');
    // Called exactly once, when both of the packet's entries were already journaled.
    expect(shop.durableSeen).toEqual([2]);
  });

  it('sums credits per (account, reference) within a batch', async () => {
    const { connector, journal, scheduler, shop } = setup();
    const replies = await Promise.all(
      [100n, 200n, 300n].map((amount) => {
        const { fulfillment, condition } = makeFulfillment();
        shop.fulfillments.set(hex(condition), fulfillment);
        return connector.handlePrepare(
          'alice',
          prepare('test.node.shop.x', amount, condition, scheduler.now() + 10_000),
        );
      }),
    );
    expect(replies.every((r) => r.type === IlpPacketType.Fulfill)).toBe(true);
    const shopEntries = journal.entries().filter((e) => e.accountId === 'shop');
    expect(shopEntries.reduce((s, e) => s + e.delta, 0n)).toBe(300n);
    expect(shopEntries.every((e) => e.ref === 'invoice-42')).toBe(true);
  });

  it('credits nothing for a wrong fulfillment (F05) or a Reject', async () => {
    const { connector, journal, scheduler, shop } = setup();
    const { condition } = makeFulfillment();
    shop.fulfillments.set(hex(condition), new Uint8Array(32).fill(7));
    const wrong = await connector.handlePrepare(
      'alice',
      prepare('test.node.shop.x', 100n, condition, scheduler.now() + 10_000),
    );
    expect(asReject(wrong).code).toBe('F05');
    const refused = await connector.handlePrepare(
      'alice',
      prepare('test.node.shop.x', 100n, makeFulfillment().condition, scheduler.now() + 10_000),
    );
    expect(asReject(refused).code).toBe('F99');
    expect(connector.getBalance('shop')).toEqual({
      balance: 0n,
      reservedIncoming: 0n,
      reservedOutgoing: 0n,
    });
    expect(connector.getBalance('alice').balance).toBe(0n);
    expect(journal.entries()).toEqual([]);
  });
});
