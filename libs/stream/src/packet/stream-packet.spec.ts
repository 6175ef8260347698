import { CodecError, CodecErrorCode, IlpPacketType, MAX_UINT64 } from '@tollgate/ilp-core';
import { describe, expect, it } from 'vitest';
import { hex, unhex } from '../../test/vectors';
import { ErrorCode, Frame, FrameType, isKnownFrameType } from './frames';
import {
  deserializeStreamPacket,
  frameSize,
  serializeStreamPacket,
  StreamPacket,
  streamPacketSize,
} from './stream-packet';

const empty: StreamPacket = {
  sequence: 0n,
  ilpPacketType: IlpPacketType.Prepare,
  prepareAmount: 0n,
  frames: [],
};

function codeOf(fn: () => unknown): CodecErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CodecError) return error.code;
    throw error;
  }
  return undefined;
}

describe('STREAM packet codec', () => {
  it('encodes the empty Prepare of FACTS §8.4', () => {
    expect(hex(serializeStreamPacket(empty))).toBe('010c010001000100');
  });

  it('skips unknown frame types and keeps the frames around them', () => {
    // ConnectionMaxData(5), unknown 0x42 with 3 bytes, unknown 0x7f empty, ConnectionMaxStreamId(7)
    const bytes = unhex('010c01000100' + '0104' + '03020105' + '4203aabbcc' + '7f00' + '05020107');
    const packet = deserializeStreamPacket(bytes);
    expect(packet.frames).toEqual([
      { type: FrameType.ConnectionMaxData, maxOffset: 5n },
      { type: FrameType.ConnectionMaxStreamId, maxStreamId: 7n },
    ]);
  });

  it('ignores bytes after the counted frames (padding)', () => {
    const padded = serializeStreamPacket(empty, { padTo: 100 });
    expect(padded.length).toBe(100);
    expect(padded.subarray(8).every((b) => b === 0)).toBe(true);
    expect(deserializeStreamPacket(padded)).toEqual(empty);
  });

  it('ignores extra bytes inside a known frame after its fields', () => {
    const ok = unhex('010c01000100010103' + '04' + '0105' + 'eeee');
    expect(deserializeStreamPacket(ok).frames).toEqual([
      { type: FrameType.ConnectionMaxData, maxOffset: 5n },
    ]);
  });

  it('saturates StreamMaxMoney.receiveMax and StreamMoneyBlocked.sendMax only', () => {
    const nine = '09010000000000000000';
    const maxMoney = unhex(`010c010001000101120f017b${nine}0201c8`);
    expect(codeOf(() => deserializeStreamPacket(maxMoney))).toBeUndefined();
    const packet = deserializeStreamPacket(maxMoney);
    expect(packet.frames[0]).toMatchObject({ receiveMax: MAX_UINT64, totalReceived: 456n });
    // the same 9-byte VarUInt as totalReceived is an error
    const bad = unhex(`010c010001000101120f017b0201c8${nine}`);
    expect(codeOf(() => deserializeStreamPacket(bad))).toBe(CodecErrorCode.InvalidVarUInt);
    // … and as sequence
    expect(codeOf(() => deserializeStreamPacket(unhex(`010c${nine}01000100`)))).toBe(
      CodecErrorCode.InvalidVarUInt,
    );
  });

  it('rejects another version, an unknown ILP packet type, and empty VarUInts', () => {
    expect(codeOf(() => deserializeStreamPacket(unhex('020c010001000100')))).toBe(
      CodecErrorCode.InvalidInput,
    );
    expect(codeOf(() => deserializeStreamPacket(unhex('010f010001000100')))).toBe(
      CodecErrorCode.UnknownPacketType,
    );
    expect(codeOf(() => deserializeStreamPacket(unhex('010c0001000100')))).toBe(
      CodecErrorCode.InvalidVarUInt,
    );
  });

  it('fails fast on a frame count the input cannot hold', () => {
    const bytes = unhex('010c0100010008ffffffffffffffff');
    expect(codeOf(() => deserializeStreamPacket(bytes))).toBe(CodecErrorCode.Truncated);
  });

  it('rejects a frame whose length runs past the input', () => {
    expect(codeOf(() => deserializeStreamPacket(unhex('010c0100010001010305')))).toBe(
      CodecErrorCode.Truncated,
    );
  });

  it('reads ConnectionClose with an unknown error code and a UTF-8 message', () => {
    const packet: StreamPacket = {
      ...empty,
      frames: [{ type: FrameType.ConnectionClose, errorCode: 200, errorMessage: 'né €' }],
    };
    expect(deserializeStreamPacket(serializeStreamPacket(packet))).toEqual(packet);
  });

  it('refuses to encode bad fields with CodecError', () => {
    const withFrame = (frame: unknown): StreamPacket => ({ ...empty, frames: [frame as Frame] });
    expect(() =>
      serializeStreamPacket(withFrame({ type: FrameType.StreamMoney, streamId: -1n, shares: 1n })),
    ).toThrow(CodecError);
    expect(() =>
      serializeStreamPacket(
        withFrame({ type: FrameType.StreamMoney, streamId: 1n, shares: MAX_UINT64 + 1n }),
      ),
    ).toThrow(CodecError);
    expect(() =>
      serializeStreamPacket(
        withFrame({ type: FrameType.ConnectionClose, errorCode: 256, errorMessage: '' }),
      ),
    ).toThrow(CodecError);
    expect(() =>
      serializeStreamPacket(
        withFrame({ type: FrameType.ConnectionNewAddress, sourceAddress: 'é' }),
      ),
    ).toThrow(CodecError);
    expect(() =>
      serializeStreamPacket(
        withFrame({ type: FrameType.ConnectionClose, errorCode: 1, errorMessage: '\ud800' }),
      ),
    ).toThrow(CodecError);
    expect(() => serializeStreamPacket(withFrame({ type: 0x42 }))).toThrow(CodecError);
    expect(() => serializeStreamPacket({ ...empty, ilpPacketType: 11 as IlpPacketType })).toThrow(
      CodecError,
    );
  });

  it('predicts sizes exactly, including long-form lengths', () => {
    const packet: StreamPacket = {
      sequence: 300n,
      ilpPacketType: IlpPacketType.Fulfill,
      prepareAmount: MAX_UINT64,
      frames: [
        { type: FrameType.StreamData, streamId: 1n, offset: 70000n, data: new Uint8Array(300) },
        {
          type: FrameType.StreamClose,
          streamId: 9n,
          errorCode: ErrorCode.ApplicationError,
          errorMessage: 'x'.repeat(200),
        },
      ],
    };
    const bytes = serializeStreamPacket(packet);
    expect(bytes.length).toBe(streamPacketSize(packet));
    // header: version, type, sequence (3), prepareAmount (9), frame count (2)
    expect(packet.frames.reduce((n, f) => n + frameSize(f), 0)).toBe(bytes.length - 16);
    expect(deserializeStreamPacket(bytes)).toEqual(packet);
  });

  it('knows which frame types exist', () => {
    expect([1, 7, 0x10, 0x17].every(isKnownFrameType)).toBe(true);
    expect([0, 8, 0x0f, 0x18, 0xff].some(isKnownFrameType)).toBe(false);
  });
});
