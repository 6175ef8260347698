/** RFC 39 receipt vectors (stream-receipts.json), each its own test, with both adapters. */
import { describe, expect, it } from 'vitest';
import { CRYPTOS } from '../../test/cryptos';
import { hex, loadVectors, unbase64, unhex } from '../../test/vectors';
import { ReceiptError } from '../errors';
import { FrameType } from '../packet/frames';
import { deserializeStreamPacket, serializeStreamPacket } from '../packet/stream-packet';
import { createReceipt, decodeReceipt, verifyReceipt } from './receipt';

interface ReceiptFile {
  vectors: {
    name: string;
    kind?: string;
    json?: {
      version: number;
      nonce: string;
      streamId: number;
      totalReceived: string;
      secret: string;
    };
    hmacMessage?: string;
    hmac?: string;
    hex: string;
    base64: string;
  }[];
  negative: { name: string; hex: string; secret?: string }[];
}

const file = loadVectors<ReceiptFile>('stream-receipts.json');
const EXPECTED_REASON = ['malformed', 'invalid-version', 'invalid-hmac'];

describe.each(CRYPTOS)('receipt vectors (%s)', (_name, crypto) => {
  for (const v of file.vectors) {
    if (v.kind === 'stream-packet') {
      it(v.name, () => {
        const packet = deserializeStreamPacket(unhex(v.hex));
        expect(packet.frames).toHaveLength(1);
        const frame = packet.frames[0];
        expect(frame.type).toBe(FrameType.StreamReceipt);
        expect(hex(serializeStreamPacket(packet))).toBe(v.hex);
        expect(hex(unbase64(v.base64))).toBe(v.hex);
      });
      continue;
    }
    const json = v.json as NonNullable<typeof v.json>;
    it(`encodes ${v.name}`, async () => {
      const receipt = await createReceipt(crypto, {
        nonce: unhex(json.nonce),
        streamId: json.streamId,
        totalReceived: BigInt(json.totalReceived),
        secret: unhex(json.secret),
      });
      expect(hex(receipt)).toBe(v.hex);
      expect(hex(receipt.subarray(0, 26))).toBe(v.hmacMessage);
      expect(hex(receipt.subarray(26))).toBe(v.hmac);
    });
    it(`decodes and verifies ${v.name}`, async () => {
      const bytes = unbase64(v.base64);
      const decoded = await verifyReceipt(crypto, bytes, unhex(json.secret));
      expect(decoded.version).toBe(json.version);
      expect(hex(decoded.nonce)).toBe(json.nonce);
      expect(decoded.streamId).toBe(json.streamId);
      expect(decoded.totalReceived).toBe(BigInt(json.totalReceived));
    });
  }

  file.negative.forEach((v, i) => {
    it(`rejects ${v.name}`, async () => {
      const secret = v.secret ? unhex(v.secret) : new Uint8Array(32);
      const failure = await verifyReceipt(crypto, unhex(v.hex), secret).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ReceiptError);
      expect((failure as ReceiptError).reason).toBe(EXPECTED_REASON[i]);
      expect((failure as ReceiptError).message).toMatch(
        ['receipt malformed', 'invalid version', 'invalid hmac'][i],
      );
    });
  });
});

describe('receipt input checks', () => {
  const [, crypto] = CRYPTOS[0];
  it('refuses bad nonce, secret, stream id and amount', async () => {
    const base = {
      nonce: new Uint8Array(16),
      streamId: 1,
      totalReceived: 1n,
      secret: new Uint8Array(32),
    };
    for (const bad of [
      { ...base, nonce: new Uint8Array(15) },
      { ...base, secret: new Uint8Array(31) },
      { ...base, streamId: 256 },
      { ...base, totalReceived: -1n },
      { ...base, totalReceived: 2n ** 64n },
    ]) {
      await expect(createReceipt(crypto, bad)).rejects.toMatchObject({ reason: 'invalid-input' });
    }
    expect(() => decodeReceipt(new Uint8Array(59))).toThrow('receipt malformed');
  });
});
