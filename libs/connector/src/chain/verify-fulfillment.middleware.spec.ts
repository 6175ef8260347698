import { describe, expect, it } from 'vitest';
import { IlpPacketType } from '@tollgate/ilp-core';
import { VerifyFulfillmentMiddleware } from './verify-fulfillment.middleware';
import {
  account,
  context,
  expectReject,
  NOW,
  REJECT,
  run,
  StubService,
} from '../../test/chain-harness';
import { makeFulfillment, ManualScheduler } from '../../test/helpers';

function setup(answer: 'right' | 'wrong' | 'reject', clockMs = NOW) {
  const { fulfillment, condition } = makeFulfillment();
  const scheduler = new ManualScheduler(clockMs);
  const next = new StubService(async () =>
    answer === 'reject'
      ? REJECT
      : {
          type: IlpPacketType.Fulfill,
          fulfillment: answer === 'right' ? fulfillment : new Uint8Array(32).fill(1),
          data: new Uint8Array(),
        },
  );
  const ctx = context(account('a'), { executionCondition: condition });
  ctx.to = account('b');
  ctx.outExpiresAtMs = NOW + 5_000;
  return { rule: new VerifyFulfillmentMiddleware(next, scheduler), ctx };
}

describe('VerifyFulfillmentMiddleware', () => {
  it('passes a Fulfill whose SHA-256 matches the condition', async () => {
    const { rule, ctx } = setup('right');
    expect((await run(rule, ctx)).type).toBe(IlpPacketType.Fulfill);
  });

  it('F05 when the fulfillment does not match', async () => {
    const { rule, ctx } = setup('wrong');
    expectReject(await run(rule, ctx), 'F05');
  });

  it('R00 when a valid Fulfill arrives after the outgoing expiry', async () => {
    const { rule, ctx } = setup('right', NOW + 5_001);
    expectReject(await run(rule, ctx), 'R00');
  });

  it('local delivery is held to the incoming expiry', async () => {
    const { rule, ctx } = setup('right', NOW + 9_999);
    ctx.to = undefined;
    expect((await run(rule, ctx)).type).toBe(IlpPacketType.Fulfill);
    const late = setup('right', NOW + 10_001);
    late.ctx.to = undefined;
    expectReject(await run(late.rule, late.ctx), 'R00');
  });

  it('Rejects pass untouched', async () => {
    const { rule, ctx } = setup('reject');
    expect(await run(rule, ctx)).toBe(REJECT);
  });
});
