import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_test_0123456789abcdef';
const body = '{"id":"e1","type":"invoice.paid","createdAt":"2026-11-21T08:00:00.000Z","data":{}}';
const now = 1_795_000_000;

describe('webhook signatures', () => {
  it('verifies what it signs, over the exact body bytes', () => {
    const header = signWebhook(secret, body, now);
    expect(header).toMatch(/^t=1795000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: now })).toEqual({
      ok: true,
      timestamp: now,
    });
    expect(verifyWebhookSignature(secret, Buffer.from(body), header, { nowSeconds: now })).toEqual({
      ok: true,
      timestamp: now,
    });
  });

  it('is the documented HMAC-SHA256 of "<t>.<body>"', async () => {
    const { createHmac } = await import('node:crypto');
    const mac = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhook(secret, body, now)).toBe(`t=${now},v1=${mac}`);
  });

  it('refuses another secret, a changed body and a changed timestamp', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature('whsec_other', body, header, { nowSeconds: now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(secret, `${body} `, header, { nowSeconds: now }).ok).toBe(false);
    const moved = header.replace(`t=${now}`, `t=${now + 1}`);
    expect(verifyWebhookSignature(secret, body, moved, { nowSeconds: now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a valid signature whose timestamp is outside the tolerance', () => {
    const old = signWebhook(secret, body, now - 301);
    expect(verifyWebhookSignature(secret, body, old, { nowSeconds: now })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(
      verifyWebhookSignature(secret, body, old, { nowSeconds: now, toleranceSeconds: 600 }),
    ).toMatchObject({ ok: true });
    const future = signWebhook(secret, body, now + 301);
    expect(verifyWebhookSignature(secret, body, future, { nowSeconds: now }).ok).toBe(false);
  });

  it.each([undefined, '', 'garbage', `t=${now}`, 'v1=00', `t=abc,v1=${'0'.repeat(64)}`])(
    'calls %j malformed',
    (header) => {
      expect(verifyWebhookSignature(secret, body, header, { nowSeconds: now })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    },
  );

  it('accepts any one of several v1 values (secret rotation)', () => {
    const good = signWebhook(secret, body, now).split('v1=')[1];
    const header = `t=${now},v1=${'a'.repeat(64)},v1=${good}`;
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: now }).ok).toBe(true);
  });
});
