import { describe, expect, it } from 'vitest';
import { CRYPTOS } from '../../test/cryptos';
import { hex, unhex } from '../../test/vectors';
import { ReceiptError } from '../errors';
import { createReceipt } from './receipt';
import { deriveReceiptSecret, ReceiptVerifier } from './receipt-verifier';

describe.each(CRYPTOS)('ReceiptVerifier (%s)', (_name, crypto) => {
  async function setup(ttlMs = 1000) {
    let now = 1_000_000;
    const verifier = await ReceiptVerifier.create({
      crypto,
      seed: unhex('11'.repeat(32)),
      ttlMs,
      now: () => now,
    });
    const { nonce, secret } = await verifier.generateNonceAndSecret();
    const receipt = (streamId: number, total: bigint, key = secret) =>
      createReceipt(crypto, { nonce, streamId, totalReceived: total, secret: key });
    return { verifier, nonce, secret, receipt, advance: (ms: number) => (now += ms) };
  }

  it('derives the secret from the seed statelessly', async () => {
    const { verifier, nonce, secret } = await setup();
    expect(hex(secret)).toBe(hex(await deriveReceiptSecret(crypto, unhex('11'.repeat(32)), nonce)));
    expect(hex(await verifier.secretFor(nonce))).toBe(hex(secret));
  });

  it('credits only increases, per stream', async () => {
    const { verifier, receipt } = await setup();
    expect((await verifier.verify(await receipt(1, 100n))).increase).toBe(100n);
    expect((await verifier.verify(await receipt(1, 250n))).increase).toBe(150n);
    expect((await verifier.verify(await receipt(3, 10n))).increase).toBe(10n);
    for (const stale of [250n, 200n]) {
      const failure = await verifier.verify(await receipt(1, stale)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ReceiptError);
      expect((failure as ReceiptError).reason).toBe('not-increasing');
    }
  });

  it('rejects receipts after the TTL, forged HMACs and unknown nonces', async () => {
    const { verifier, receipt, advance } = await setup(1000);
    const forged = await receipt(1, 5n, new Uint8Array(32));
    await expect(verifier.verify(forged)).rejects.toMatchObject({ reason: 'invalid-hmac' });
    const other = await ReceiptVerifier.create({ crypto });
    const elsewhere = await other.generateNonceAndSecret();
    const unknown = await createReceipt(crypto, {
      nonce: elsewhere.nonce,
      streamId: 1,
      totalReceived: 1n,
      secret: await verifier.secretFor(elsewhere.nonce),
    });
    await expect(verifier.verify(unknown)).rejects.toMatchObject({ reason: 'unknown-nonce' });
    advance(1001);
    await expect(verifier.verify(await receipt(1, 7n))).rejects.toMatchObject({
      reason: 'expired',
    });
    expect(verifier.prune()).toBe(1);
    await expect(verifier.verify(await receipt(1, 8n))).rejects.toMatchObject({
      reason: 'unknown-nonce',
    });
  });
});
