/**
 * Golden STREAM packet vectors (RFC 29 fixtures = ilp-protocol-stream's, and interledger-rs'),
 * each its own test, both directions: decode → expected packet, encode → the exact bytes.
 * `decode_only` vectors (2^64 VarUInts that saturate) are not re-encoded; negatives must fail.
 */
import { CodecError } from '@tollgate/ilp-core';
import { describe, expect, it } from 'vitest';
import { PacketJson, packetFromJson, plain } from '../../test/packet-json';
import { hex, loadVectors, unbase64, unhex } from '../../test/vectors';
import { deserializeStreamPacket, serializeStreamPacket, streamPacketSize } from './stream-packet';

interface Vector {
  name: string;
  packet: PacketJson;
  buffer?: string;
  hex: string;
  decode_only?: boolean;
}

interface VectorFile {
  vectors: Vector[];
  negative?: { name: string; hex: string }[];
}

const rfc29 = loadVectors<VectorFile>('stream-packets.rfc29.json');
const rs = loadVectors<VectorFile>('stream-packets.interledger-rs.json');

function hasUnknownFrames(v: Vector): boolean {
  return v.packet.frames.some((f) => f.name === 'Unknown');
}

describe.each([
  ['rfc29', rfc29],
  ['interledger-rs', rs],
])('STREAM packet vectors (%s)', (_source, file) => {
  for (const vector of file.vectors) {
    it(`decodes ${vector.name}`, () => {
      const bytes = unhex(vector.hex);
      if (vector.buffer !== undefined) expect(hex(unbase64(vector.buffer))).toBe(vector.hex);
      expect(plain(deserializeStreamPacket(bytes))).toEqual(plain(packetFromJson(vector.packet)));
    });
    if (vector.decode_only) continue;
    if (hasUnknownFrames(vector) || vector.name.startsWith('fuzzed_0')) {
      // skipped frames and junk are not part of the decoded packet: re-encoding the decoded
      // packet gives the packet without them
      it(`re-encodes ${vector.name} without the skipped bytes`, () => {
        const decoded = deserializeStreamPacket(unhex(vector.hex));
        const again = deserializeStreamPacket(serializeStreamPacket(decoded));
        expect(plain(again)).toEqual(plain(decoded));
      });
      continue;
    }
    it(`encodes ${vector.name}`, () => {
      const packet = packetFromJson(vector.packet);
      expect(streamPacketSize(packet)).toBe(vector.hex.length / 2);
      expect(hex(serializeStreamPacket(packet))).toBe(vector.hex);
    });
  }
  for (const negative of file.negative ?? []) {
    it(`rejects ${negative.name}`, () => {
      expect(() => deserializeStreamPacket(unhex(negative.hex))).toThrow(CodecError);
    });
  }
});
