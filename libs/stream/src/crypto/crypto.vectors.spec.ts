/**
 * STREAM crypto vectors (ilp-protocol-stream and interledger-rs) and the encrypted
 * Prepare / Fulfill / Reject exchange of derived.reference-impl.json, with both adapters.
 */
import {
  IlpPacketType,
  serializeFulfill,
  serializePrepare,
  serializeReject,
  toHex,
} from '@tollgate/ilp-core';
import { describe, expect, it } from 'vitest';
import { CRYPTOS } from '../../test/cryptos';
import { PacketJson, packetFromJson, plain } from '../../test/packet-json';
import { hex, loadVectors, unbase64, unhex } from '../../test/vectors';
import { StreamConnection } from '../connection/connection';
import { FrameType } from '../packet/frames';
import { deserializeStreamPacket, serializeStreamPacket } from '../packet/stream-packet';
import { createReceipt } from '../receipt/receipt';
import { deriveEncryptionKey, deriveFulfillmentKey, StreamKeys } from './stream-keys';

interface CryptoVector {
  name: string;
  kind: string;
  [field: string]: unknown;
}

const cryptoFile = loadVectors<{ vectors: CryptoVector[] }>('stream-crypto.json');
const derived = loadVectors<{ vectors: (CryptoVector & Record<string, never>)[] }>(
  'derived.reference-impl.json',
);

interface E2eVector {
  name: string;
  sharedSecret: string;
  encryptionKey: string;
  fulfillmentKey: string;
  request: {
    streamPacket: PacketJson;
    plaintextHex: string;
    iv: string;
    encryptedDataHex: string;
    fulfillment: string;
    executionCondition: string;
    ilpPrepare: { amount: string; expiresAt: string; destination: string };
    ilpPrepareHex: string;
  };
  response: {
    streamPacket: PacketJson;
    receipt: {
      nonce: string;
      streamId: number;
      totalReceived: string;
      secret: string;
      hex: string;
    };
    plaintextHex: string;
    iv: string;
    encryptedDataHex: string;
    ilpFulfillHex: string;
  };
  rejectExample: {
    streamPacket: PacketJson;
    iv: string;
    encryptedDataHex: string;
    ilpRejectHex: string;
  };
}

const e2e = derived.vectors.find((v) => v.kind === 'stream-e2e') as unknown as E2eVector;
const s = (v: unknown): string => v as string;

describe.each(CRYPTOS)('STREAM crypto vectors (%s)', (_name, crypto) => {
  for (const v of cryptoFile.vectors) {
    it(v.name, async () => {
      switch (v.kind) {
        case 'derive-encryption-key':
          expect(hex(await deriveEncryptionKey(crypto, unhex(s(v.sharedSecret))))).toBe(v.expected);
          break;
        case 'derive-fulfillment-key':
          expect(hex(await deriveFulfillmentKey(crypto, unhex(s(v.sharedSecret))))).toBe(
            v.expected,
          );
          break;
        case 'fulfillment-from-key':
          expect(hex(await crypto.hmacSha256(unhex(s(v.fulfillmentKey)), unhex(s(v.data))))).toBe(
            v.expected,
          );
          break;
        case 'condition':
          expect(hex(await crypto.sha256(unhex(s(v.fulfillment))))).toBe(v.expected);
          break;
        case 'decrypt-with-key': {
          const keys = await StreamKeys.fromDerivedKeys(
            crypto,
            unhex(s(v.encryptionKey)),
            new Uint8Array(32),
          );
          const plaintext = await keys.decrypt(unhex(s(v.data)));
          expect(plaintext && hex(plaintext)).toBe(v.expectedPlaintext);
          break;
        }
        case 'encrypt-with-shared-secret': {
          const secret = unhex(s(v.sharedSecret));
          expect(hex(await deriveEncryptionKey(crypto, secret))).toBe(v.derivedEncryptionKey);
          const keys = await StreamKeys.fromSharedSecret(crypto, secret);
          const data = await keys.encrypt(unhex(s(v.plaintext)), unhex(s(v.iv)));
          expect(hex(data)).toBe(v.expected);
          expect(hex(data.subarray(12, 28))).toBe(v.expectedTag);
          expect(hex((await keys.decrypt(data)) as Uint8Array)).toBe(v.plaintext);
          break;
        }
        case 'fulfillment-from-shared-secret': {
          const secret = unhex(s(v.sharedSecret));
          expect(hex(await deriveFulfillmentKey(crypto, secret))).toBe(v.derivedFulfillmentKey);
          const keys = await StreamKeys.fromSharedSecret(crypto, secret);
          const { fulfillment, condition } = await keys.fulfillmentAndCondition(unhex(s(v.data)));
          expect(hex(fulfillment)).toBe(v.expected);
          expect(hex(condition)).toBe(v.expectedCondition);
          break;
        }
        default:
          throw new Error(`unknown vector kind ${v.kind}`);
      }
    });
  }

  describe(`derived: ${e2e.name}`, () => {
    const secret = unhex(e2e.sharedSecret);

    it('derives both keys', async () => {
      expect(hex(await deriveEncryptionKey(crypto, secret))).toBe(e2e.encryptionKey);
      expect(hex(await deriveFulfillmentKey(crypto, secret))).toBe(e2e.fulfillmentKey);
    });

    it('request: plaintext, ciphertext, fulfillment, condition and ILP Prepare', async () => {
      const keys = await StreamKeys.fromSharedSecret(crypto, secret);
      const packet = packetFromJson(e2e.request.streamPacket);
      const plaintext = serializeStreamPacket(packet);
      expect(hex(plaintext)).toBe(e2e.request.plaintextHex);
      const data = await keys.encrypt(plaintext, unhex(e2e.request.iv));
      expect(hex(data)).toBe(e2e.request.encryptedDataHex);
      const { fulfillment, condition } = await keys.fulfillmentAndCondition(data);
      expect(hex(fulfillment)).toBe(e2e.request.fulfillment);
      expect(hex(condition)).toBe(e2e.request.executionCondition);
      const prepare = serializePrepare({
        amount: BigInt(e2e.request.ilpPrepare.amount),
        expiresAt: new Date(e2e.request.ilpPrepare.expiresAt),
        executionCondition: condition,
        destination: e2e.request.ilpPrepare.destination,
        data,
      });
      expect(toHex(prepare)).toBe(e2e.request.ilpPrepareHex);
      const back = deserializeStreamPacket((await keys.decrypt(data)) as Uint8Array);
      expect(plain(back)).toEqual(plain(packet));
    });

    it('response: receipt, plaintext, ciphertext and ILP Fulfill', async () => {
      const keys = await StreamKeys.fromSharedSecret(crypto, secret);
      const r = e2e.response.receipt;
      const receipt = await createReceipt(crypto, {
        nonce: unhex(r.nonce),
        streamId: r.streamId,
        totalReceived: BigInt(r.totalReceived),
        secret: unhex(r.secret),
      });
      expect(hex(receipt)).toBe(r.hex);
      const packet = packetFromJson(e2e.response.streamPacket);
      const receiptFrame = packet.frames.find((f) => f.type === FrameType.StreamReceipt);
      expect(receiptFrame && hex((receiptFrame as { receipt: Uint8Array }).receipt)).toBe(r.hex);
      const plaintext = serializeStreamPacket(packet);
      expect(hex(plaintext)).toBe(e2e.response.plaintextHex);
      const data = await keys.encrypt(plaintext, unhex(e2e.response.iv));
      expect(hex(data)).toBe(e2e.response.encryptedDataHex);
      const fulfill = serializeFulfill({ fulfillment: unhex(e2e.request.fulfillment), data });
      expect(toHex(fulfill)).toBe(e2e.response.ilpFulfillHex);
    });

    it('reject example: F99 carrying an encrypted STREAM reply', async () => {
      const keys = await StreamKeys.fromSharedSecret(crypto, secret);
      const packet = packetFromJson(e2e.rejectExample.streamPacket);
      const data = await keys.encrypt(serializeStreamPacket(packet), unhex(e2e.rejectExample.iv));
      expect(hex(data)).toBe(e2e.rejectExample.encryptedDataHex);
      const reject = serializeReject({
        code: 'F99',
        triggeredBy: 'test.receiver',
        message: '',
        data,
      });
      expect(toHex(reject)).toBe(e2e.rejectExample.ilpRejectHex);
    });

    it('our receiver answers the vector Prepare with the vector fulfillment and receipt', async () => {
      const r = e2e.response.receipt;
      const receiver = await StreamConnection.create({
        crypto,
        sharedSecret: secret,
        isServer: true,
        sourceAddress: 'test.receiver.xyz',
        receipts: { nonce: unhex(r.nonce), secret: unhex(r.secret) },
        idleTimeoutMs: 0,
      });
      const reply = await receiver.handlePrepare({
        type: IlpPacketType.Prepare,
        amount: BigInt(e2e.request.ilpPrepare.amount),
        expiresAt: new Date(e2e.request.ilpPrepare.expiresAt),
        executionCondition: unhex(e2e.request.executionCondition),
        destination: e2e.request.ilpPrepare.destination,
        data: unhex(e2e.request.encryptedDataHex),
      });
      expect(reply.type).toBe(IlpPacketType.Fulfill);
      if (reply.type !== IlpPacketType.Fulfill) return;
      expect(hex(reply.fulfillment)).toBe(e2e.request.fulfillment);
      const keys = await StreamKeys.fromSharedSecret(crypto, secret);
      const answer = deserializeStreamPacket((await keys.decrypt(reply.data)) as Uint8Array);
      expect(answer).toMatchObject({ sequence: 1n, ilpPacketType: 13, prepareAmount: 1000n });
      const receiptFrame = answer.frames.find((f) => f.type === FrameType.StreamReceipt);
      expect(receiptFrame && hex((receiptFrame as { receipt: Uint8Array }).receipt)).toBe(r.hex);
      expect(answer.frames).toContainEqual({
        type: FrameType.StreamMaxMoney,
        streamId: 1n,
        receiveMax: 2n ** 64n - 1n,
        totalReceived: 1000n,
      });
      expect(receiver.remoteAssetCode).toBe('USD');
      expect(receiver.destinationAddress).toBe('test.sender.conn1');
      expect(receiver.getStream(1)?.totalReceived).toBe(1000n);
      await receiver.destroy();
    });
  });
});

it('the receipt frame bytes of the derived vector are base64 of the receipt', () => {
  const frame = e2e.response.streamPacket.frames.find((f) => f.type === FrameType.StreamReceipt);
  expect(hex(unbase64(frame?.receipt as string))).toBe(e2e.response.receipt.hex);
});
