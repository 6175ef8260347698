import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  deserializePrepare,
  IlpError,
  IlpPacketType,
  serializePrepare,
  serializeReject,
} from '@tollgate/ilp-core';
import { DeadlineSweeper } from '../link/deadline-sweeper';
import { LocalDeliveryService } from './local-delivery.service';
import { rewritePrepare, SendService } from './send.service';
import { account, context, expectReject, NOW, REJECT, run } from '../../test/chain-harness';
import { hex, makeFulfillment, ManualScheduler, prepare, settle } from '../../test/helpers';

function setup(send: (bytes: Uint8Array, expiresAt: Date) => Promise<Uint8Array>) {
  const scheduler = new ManualScheduler(NOW);
  const deadlines = new DeadlineSweeper(scheduler);
  const ctx = context(account('a'));
  ctx.to = account('b');
  ctx.to.link = { connected: true, send };
  ctx.outAmount = 77n;
  ctx.outExpiresAtMs = NOW + 4_000;
  return { scheduler, deadlines, ctx, service: new SendService(deadlines) };
}

describe('SendService', () => {
  it('rewritePrepare patches only amount and expiry (short and long envelopes)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (data, amount) => {
          const p = prepare('test.some.where', 5n, makeFulfillment().condition, NOW + 1_000, data);
          const out = rewritePrepare(serializePrepare(p), amount, new Date(NOW + 123));
          expect(hex(out)).toBe(
            hex(serializePrepare({ ...p, amount, expiresAt: new Date(NOW + 123) })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sends the patched Prepare with its expiry and keeps the reply bytes for relaying', async () => {
    let sent: Uint8Array | undefined;
    let sentExpiry: Date | undefined;
    const rejectBytes = serializeReject(REJECT);
    const { service, ctx } = setup(async (bytes, expiresAt) => {
      sent = bytes;
      sentExpiry = expiresAt;
      return rejectBytes;
    });
    const reply = await run(service, ctx);
    expect(reply).toMatchObject({ code: 'F99', triggeredBy: 'test.downstream' });
    expect(ctx.replyBytes).toBe(rejectBytes);
    expect(ctx.replyPacket).toBe(reply);
    const forwarded = deserializePrepare(sent!);
    expect(forwarded.amount).toBe(77n);
    expect(forwarded.expiresAt.getTime()).toBe(NOW + 4_000);
    expect(sentExpiry?.getTime()).toBe(NOW + 4_000);
    expect(forwarded.destination).toBe(ctx.prepare.destination);
  });

  it('encodes typed Prepares from scratch', async () => {
    let sent: Uint8Array | undefined;
    const { service, ctx: base } = setup(async (bytes) => {
      sent = bytes;
      return serializeReject(REJECT);
    });
    const ctx = context(base.from, {}, { bytes: false });
    Object.assign(ctx, { to: base.to, outAmount: 5n, outExpiresAtMs: NOW + 2_000 });
    await run(service, ctx);
    expect(deserializePrepare(sent!).amount).toBe(5n);
  });

  it('R00 at the outgoing expiry when the link does not answer', async () => {
    const { service, ctx, scheduler } = setup(() => new Promise(() => undefined));
    const reply = run(service, ctx);
    await scheduler.advance(3_999);
    await scheduler.advance(11);
    expectReject(await reply, 'R00');
  });

  it('link IlpErrors keep code and message but are triggered by us; other errors are T00', async () => {
    const coded = setup(async () => {
      throw new IlpError('T02', 'peer busy', { triggeredBy: 'test.elsewhere' });
    });
    expect(expectReject(await run(coded.service, coded.ctx), 'T02').message).toBe('peer busy');
    const plain = setup(async () => {
      throw new TypeError('ECONNRESET 10.1.2.3');
    });
    expect(expectReject(await run(plain.service, plain.ctx), 'T00').message).not.toContain(
      '10.1.2.3',
    );
    const sync = setup(() => {
      throw new Error('sync throw');
    });
    expectReject(await run(sync.service, sync.ctx), 'T00');
    const garbage = setup(async () => new Uint8Array([14, 0]));
    expectReject(await run(garbage.service, garbage.ctx), 'T00');
  });
});

describe('LocalDeliveryService', () => {
  it('answers with the handler reply, or R00 at the incoming expiry', async () => {
    const scheduler = new ManualScheduler(NOW);
    const service = new LocalDeliveryService(new DeadlineSweeper(scheduler));
    const ctx = context(account('a'));
    ctx.handler = async (p, from) => ({ ...REJECT, message: `${from}:${p.amount}` });
    expect(await run(service, ctx)).toMatchObject({ message: 'a:100' });
    const slow = context(account('a'));
    slow.handler = () => new Promise(() => undefined);
    const reply = run(service, slow);
    await scheduler.advance(10_020);
    expectReject(await reply, 'R00');
    await settle();
    expect(IlpPacketType.Reject).toBe(14);
  });
});
