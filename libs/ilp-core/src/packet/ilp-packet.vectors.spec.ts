/**
 * Golden vectors, both directions, byte for byte: ilp-packet (JS), interledger-rs, the
 * derived reference-implementation file, and the ILP Rejects of ildcp.json.
 */
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  CodecErrorCode,
  deserializeFulfill,
  deserializeIlpPacket,
  deserializePrepare,
  deserializeReject,
  IlpPacket,
  IlpPacketType,
  serializeIlpPacket,
} from '../index';
import { BinaryEncoding, expectSamePacket, packetFromJson } from '../../test/packet-json';
import { hex, loadVectors, PacketJson, unhex } from '../../test/vectors';

interface PacketVector {
  name: string;
  packetType?: number;
  kind?: string;
  json: PacketJson;
  hex: string;
}
interface NegativeVector {
  name: string;
  hex?: string;
  from?: string;
  mutate?: { offset?: number; offsetRange?: [number, number]; value: string };
}
interface VectorFile {
  vectors: PacketVector[];
  negative?: NegativeVector[];
}

const KIND_TYPES: Record<string, number> = {
  'ilp-prepare': IlpPacketType.Prepare,
  'ilp-fulfill': IlpPacketType.Fulfill,
  'ilp-reject': IlpPacketType.Reject,
};

interface NamedPacket {
  name: string;
  packet: IlpPacket;
  hex: string;
}

function packetVectors(
  file: string,
  encoding: BinaryEncoding,
  kinds: Record<string, number> = KIND_TYPES,
): NamedPacket[] {
  const { vectors } = loadVectors<VectorFile>(file);
  return vectors
    .filter((v) => v.packetType !== undefined || (v.kind !== undefined && v.kind in kinds))
    .map((v) => ({
      name: `${file}: ${v.name}`,
      packet: packetFromJson(v.packetType ?? kinds[v.kind as string], v.json, encoding),
      hex: v.hex,
    }));
}

/** ILP packets carried inside the derived STREAM end-to-end example (not the STREAM data). */
function streamExamplePackets(): NamedPacket[] {
  interface StreamE2e {
    kind: string;
    request: {
      ilpPrepare: PacketJson;
      encryptedDataHex: string;
      ilpPrepareHex: string;
      fulfillment: string;
    };
    response: { encryptedDataHex: string; ilpFulfillHex: string };
    rejectExample: { encryptedDataHex: string; ilpRejectHex: string };
  }
  const { vectors } = loadVectors<{ vectors: StreamE2e[] }>('derived.reference-impl.json');
  const e2e = vectors.find((v) => v.kind === 'stream-e2e');
  if (!e2e) return [];
  const name = 'derived.reference-impl.json: STREAM example';
  return [
    {
      name: `${name} Prepare`,
      packet: packetFromJson(
        IlpPacketType.Prepare,
        { ...e2e.request.ilpPrepare, data: e2e.request.encryptedDataHex },
        'hex',
      ),
      hex: e2e.request.ilpPrepareHex,
    },
    {
      name: `${name} Fulfill`,
      packet: packetFromJson(
        IlpPacketType.Fulfill,
        { fulfillment: e2e.request.fulfillment, data: e2e.response.encryptedDataHex },
        'hex',
      ),
      hex: e2e.response.ilpFulfillHex,
    },
    {
      name: `${name} F99 Reject`,
      packet: packetFromJson(
        IlpPacketType.Reject,
        {
          code: 'F99',
          triggeredBy: 'test.receiver',
          message: '',
          data: e2e.rejectExample.encryptedDataHex,
        },
        'hex',
      ),
      hex: e2e.rejectExample.ilpRejectHex,
    },
  ];
}

const ALL: NamedPacket[] = [
  ...packetVectors('ilp-packet.interledgerjs.json', 'base64'),
  ...packetVectors('ilp-packet.interledger-rs.json', 'hex'),
  ...packetVectors('derived.reference-impl.json', 'hex'),
  ...streamExamplePackets(),
  // the ILDCP request and response are plain Prepare / Fulfill packets too
  ...packetVectors('ildcp.json', 'hex', {
    ...KIND_TYPES,
    'ildcp-request': IlpPacketType.Prepare,
    'ildcp-response': IlpPacketType.Fulfill,
  }),
];

describe('ILP packet vectors', () => {
  it('found every packet vector', () => {
    // 3 interledgerjs + 3 interledger-rs + 6 derived (4 prepare, 2 reject) + 3 STREAM example
    // + ILDCP request/response/2 rejects
    expect(ALL.length).toBe(3 + 3 + 6 + 3 + 4);
  });

  describe('decode', () => {
    it.each(ALL.map((v) => [v.name, v] as const))('%s', (_, v) => {
      expectSamePacket(deserializeIlpPacket(unhex(v.hex)), v.packet);
    });
  });

  describe('encode', () => {
    it.each(ALL.map((v) => [v.name, v] as const))('%s', (_, v) => {
      expect(hex(serializeIlpPacket(v.packet))).toBe(v.hex);
    });
  });

  describe('type-specific decoders agree with the union decoder', () => {
    it.each(ALL.map((v) => [v.name, v] as const))('%s', (_, v) => {
      const bytes = unhex(v.hex);
      const decoded =
        v.packet.type === IlpPacketType.Prepare
          ? deserializePrepare(bytes)
          : v.packet.type === IlpPacketType.Fulfill
            ? deserializeFulfill(bytes)
            : deserializeReject(bytes);
      expectSamePacket(decoded, v.packet);
    });
  });
});

describe('ilp-packet.interledger-rs.json negatives', () => {
  const file = loadVectors<VectorFile>('ilp-packet.interledger-rs.json');
  const prepareBytes = unhex(
    file.vectors.find((v) => v.packetType === IlpPacketType.Prepare)?.hex as string,
  );

  const cases: { name: string; bytes: Uint8Array; code: CodecErrorCode }[] = [];
  for (const negative of file.negative ?? []) {
    if (negative.hex !== undefined) {
      const code =
        negative.hex === ''
          ? CodecErrorCode.Truncated
          : negative.hex === '99'
            ? CodecErrorCode.UnknownPacketType
            : CodecErrorCode.TrailingBytes;
      cases.push({ name: negative.name, bytes: unhex(negative.hex), code });
      continue;
    }
    expect(negative.from).toBe('PREPARE_BYTES');
    const mutate = negative.mutate as NonNullable<NegativeVector['mutate']>;
    const [first, last] = mutate.offsetRange ?? [mutate.offset, mutate.offset];
    for (let offset = first as number; offset <= (last as number); offset++) {
      const bytes = prepareBytes.slice();
      bytes[offset] = parseInt(mutate.value, 16);
      const code =
        mutate.offsetRange !== undefined
          ? CodecErrorCode.InvalidTimestamp
          : CodecErrorCode.InvalidAddress;
      cases.push({ name: `${negative.name} [offset ${offset}]`, bytes, code });
    }
  }

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(() => deserializeIlpPacket(c.bytes)).toThrow(CodecError);
    try {
      deserializeIlpPacket(c.bytes);
    } catch (error) {
      expect((error as CodecError).code).toBe(c.code);
    }
  });

  it('the inner-trailing-bytes Fulfill is accepted in lenient mode (as ilp-packet does)', () => {
    const negative = (file.negative ?? []).find((n) => n.name.startsWith('fulfill whose envelope'));
    const packet = deserializeIlpPacket(unhex(negative?.hex as string), {
      allowTrailingBytes: true,
    });
    expect(packet.type).toBe(IlpPacketType.Fulfill);
    expect(packet.data.length).toBe(0);
  });
});
