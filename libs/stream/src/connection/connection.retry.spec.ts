/**
 * A path that only ever answers T01 must end a payment and a close in bounded time and
 * packets: never a tight resend loop (regression: the handshake and closing packets were
 * resent back to back once the failure limit was reached).
 */
import { setImmediate as tick } from 'node:timers/promises';
import { IlpPacketType, type IlpReply } from '@tollgate/ilp-core';
import { describe, expect, it } from 'vitest';
import { nodeStreamCrypto } from '../node';
import { StreamConnection } from './connection';

const t01 = (): IlpReply => ({
  type: IlpPacketType.Reject,
  code: 'T01',
  triggeredBy: 'test.nowhere',
  message: 'unreachable',
  data: new Uint8Array(),
});

describe('StreamConnection against an unreachable receiver', () => {
  it('pay() ends by its timeout (or the failure limit) after a bounded number of packets', async () => {
    let calls = 0;
    const connection = await StreamConnection.create({
      crypto: nodeStreamCrypto,
      sharedSecret: new Uint8Array(32).fill(1),
      destinationAddress: 'test.nowhere.receiver',
      assetCode: 'USD',
      assetScale: 2,
      retryDelayMs: 10,
      maxRetryDelayMs: 50,
      maxConsecutiveFailures: 5,
      sendPrepare: async () => {
        calls++;
        await tick();
        return t01();
      },
    });
    const started = Date.now();
    const result = await connection.pay({ sourceAmount: 100n, timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.delivered).toBe(0n);
    expect(['timeout', 'rejected:T01', 'closed']).toContain(result.reason);
    expect(calls).toBeLessThan(100);
    await connection.end();
  });
});
