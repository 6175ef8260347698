import { CodecError, CodecErrorCode } from '@tollgate/ilp-core';
import { describe, expect, it } from 'vitest';
import {
  BtpVector,
  hex,
  loadVectors,
  NegativeVector,
  packetFromVector,
  unhex,
} from '../../test/vectors';
import { authMessage, readAuthMessage } from './btp-auth';
import { BtpErrorCode, BtpProtocolError } from './btp-error-codes';
import { btpPacketSize, deserializeBtpPacket, serializeBtpPacket } from './btp-packet';
import { BtpPacket, BtpPacketType } from './btp-packet-types';
import { ilpProtocolData, readIlpProtocolData } from './protocol-data';

const btp = loadVectors<{ vectors: BtpVector[]; negative: NegativeVector[] }>('btp.json');
const derived = loadVectors<{ vectors: BtpVector[] }>('derived.reference-impl.json');
const derivedBtp = derived.vectors.filter((v) => v.kind === 'btp');

function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error('expected a CodecError');
}

describe.each([
  ['btp.json', btp.vectors],
  ['derived.reference-impl.json', derivedBtp],
])('BTP vectors from %s', (_file, vectors) => {
  it('has vectors', () => expect(vectors.length).toBeGreaterThan(0));
  describe.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    it('decodes', () => {
      expect(deserializeBtpPacket(unhex(vector.hex))).toEqual(packetFromVector(vector.json));
    });
    it('encodes byte for byte', () => {
      const packet = packetFromVector(vector.json);
      expect(hex(serializeBtpPacket(packet))).toBe(vector.hex);
      expect(btpPacketSize(packet)).toBe(vector.hex.length / 2);
    });
  });
});

describe('negative BTP vectors', () => {
  it.each(btp.negative.map((v) => [v.name, v.hex]))('%s', (_name, bytes) => {
    codecError(() => deserializeBtpPacket(unhex(bytes)));
  });
});

describe('deserializeBtpPacket', () => {
  const message = unhex(
    '060000000125010403696c70000003666f6f000362617204626565700104626f6f70046a736f6e02027b7d',
  );

  it('refuses the unused types 3, 4 and 5 and unknown types', () => {
    for (const type of [0, 3, 4, 5, 8, 255]) {
      const bytes = message.slice();
      bytes[0] = type;
      expect(codecError(() => deserializeBtpPacket(bytes)).code).toBe(
        CodecErrorCode.UnknownPacketType,
      );
    }
  });

  it('refuses duplicate sub-protocol names', () => {
    // Message id 1, two entries both called "a"
    const bytes = unhex('06000000010b0102016100000161000100');
    codecError(() => deserializeBtpPacket(bytes));
    expect(() =>
      serializeBtpPacket({
        type: BtpPacketType.Message,
        requestId: 1,
        protocolData: [
          { protocolName: 'a', contentType: 0, data: new Uint8Array() },
          { protocolName: 'a', contentType: 0, data: new Uint8Array(1) },
        ],
      }),
    ).toThrow(/duplicate/);
  });

  it('refuses a count with a leading zero byte and a count the bytes cannot hold', () => {
    // Response id 1, contents 02 00 00: a two-byte count with a leading zero
    expect(codecError(() => deserializeBtpPacket(unhex('010000000103020000'))).code).toBe(
      CodecErrorCode.InvalidVarUInt,
    );
    // count 255 in a 2-byte body
    expect(codecError(() => deserializeBtpPacket(unhex('01000000010201ff'))).code).toBe(
      CodecErrorCode.Truncated,
    );
  });

  it('refuses a non-ASCII protocol name or error code', () => {
    // Message id 1, one entry named 0x81
    expect(codecError(() => deserializeBtpPacket(unhex('060000000106010101810000'))).code).toBe(
      CodecErrorCode.InvalidAscii,
    );
    const error = serializeBtpPacket({
      type: BtpPacketType.Error,
      requestId: 1,
      code: 'F00',
      name: 'x',
      triggeredAt: new Date(0),
      data: new Uint8Array(),
      protocolData: [],
    });
    error[6] = 0xc6; // first code byte (after type, id and a 1-byte length)
    expect(codecError(() => deserializeBtpPacket(error)).code).toBe(CodecErrorCode.InvalidAscii);
  });

  it('limits Error data to 8192 bytes both ways', () => {
    const error: BtpPacket = {
      type: BtpPacketType.Error,
      requestId: 1,
      code: 'F00',
      name: 'NotAcceptedError',
      triggeredAt: new Date(0),
      data: new Uint8Array(8192),
      protocolData: [],
    };
    const ok = serializeBtpPacket(error);
    expect(deserializeBtpPacket(ok)).toEqual(error);
    expect(
      codecError(() => serializeBtpPacket({ ...error, data: new Uint8Array(8193) })).code,
    ).toBe(CodecErrorCode.DataTooLong);
    // hand-made 8193-byte data: outer length 82 xxxx at 5, data length 82 2000 at 8+3+17+20
    const big = new Uint8Array(ok.length + 1);
    big.set(ok);
    const view = new DataView(big.buffer);
    expect(big[5]).toBe(0x82);
    view.setUint16(6, view.getUint16(6) + 1);
    expect(Array.from(big.subarray(48, 51))).toEqual([0x82, 0x20, 0x00]);
    big[50] = 0x01;
    expect(codecError(() => deserializeBtpPacket(big)).code).toBe(CodecErrorCode.DataTooLong);
  });

  it('accepts trailing bytes only when asked', () => {
    const withTrailer = new Uint8Array([...message, 0]);
    expect(codecError(() => deserializeBtpPacket(withTrailer)).code).toBe(
      CodecErrorCode.TrailingBytes,
    );
    expect(deserializeBtpPacket(withTrailer, { allowTrailingBytes: true })).toEqual(
      deserializeBtpPacket(message),
    );
  });

  it('reads canonical GeneralizedTime forms as well as .fff, and writes .fff', () => {
    // Error T00, name "x", triggeredAt 20180831025324Z (no fraction), no data, no entries
    const time = Buffer.from('20180831025324Z', 'ascii').toString('hex');
    const body = `5430300178` + `0f${time}` + `00` + `0100`;
    const bytes = unhex(`0200000001${(body.length / 2).toString(16).padStart(2, '0')}${body}`);
    const packet = deserializeBtpPacket(bytes);
    expect(packet).toMatchObject({
      code: 'T00',
      name: 'x',
      triggeredAt: new Date('2018-08-31T02:53:24Z'),
    });
    expect(Buffer.from(serializeBtpPacket(packet)).toString('latin1')).toContain(
      '20180831025324.000Z',
    );
  });

  it('rejects a non-Uint8Array input with CodecError', () => {
    codecError(() => deserializeBtpPacket('06' as unknown as Uint8Array));
    codecError(() => deserializeBtpPacket(new Uint8Array(0)));
  });
});

describe('serializeBtpPacket validation', () => {
  const base = { type: BtpPacketType.Message, requestId: 1, protocolData: [] } as BtpPacket;
  it.each([
    ['requestId -1', { ...base, requestId: -1 }, CodecErrorCode.ValueOutOfRange],
    ['requestId 2^32', { ...base, requestId: 2 ** 32 }, CodecErrorCode.ValueOutOfRange],
    ['requestId 1.5', { ...base, requestId: 1.5 }, CodecErrorCode.ValueOutOfRange],
    ['type 4', { ...base, type: 4 }, CodecErrorCode.UnknownPacketType],
    [
      'contentType 256',
      { ...base, protocolData: [{ protocolName: 'a', contentType: 256, data: new Uint8Array() }] },
      CodecErrorCode.ValueOutOfRange,
    ],
    [
      'non-ASCII protocol name',
      { ...base, protocolData: [{ protocolName: 'é', contentType: 0, data: new Uint8Array() }] },
      CodecErrorCode.InvalidAscii,
    ],
    [
      'data not bytes',
      { ...base, protocolData: [{ protocolName: 'a', contentType: 0, data: 'x' }] },
      CodecErrorCode.InvalidInput,
    ],
    ['protocolData not an array', { ...base, protocolData: {} }, CodecErrorCode.InvalidInput],
    [
      'amount 2^64',
      { type: BtpPacketType.Transfer, requestId: 1, amount: 2n ** 64n, protocolData: [] },
      CodecErrorCode.AmountOverflow,
    ],
    [
      'amount -1',
      { type: BtpPacketType.Transfer, requestId: 1, amount: -1n, protocolData: [] },
      CodecErrorCode.InvalidAmount,
    ],
    [
      'amount as number',
      { type: BtpPacketType.Transfer, requestId: 1, amount: 1, protocolData: [] },
      CodecErrorCode.InvalidAmount,
    ],
    [
      'code of 4 characters',
      {
        type: BtpPacketType.Error,
        requestId: 1,
        code: 'F000',
        name: 'x',
        triggeredAt: new Date(0),
        data: new Uint8Array(),
        protocolData: [],
      },
      CodecErrorCode.InvalidErrorCode,
    ],
    [
      'invalid date',
      {
        type: BtpPacketType.Error,
        requestId: 1,
        code: 'F00',
        name: 'x',
        triggeredAt: new Date(NaN),
        data: new Uint8Array(),
        protocolData: [],
      },
      CodecErrorCode.InvalidTimestamp,
    ],
  ])('refuses %s', (_name, packet, code) => {
    expect(codecError(() => serializeBtpPacket(packet as BtpPacket)).code).toBe(code);
  });

  it('writes long-form lengths and multi-byte counts', () => {
    const protocolData = Array.from({ length: 300 }, (_, i) => ({
      protocolName: `p${i}`,
      contentType: i % 3,
      data: new Uint8Array(i % 5),
    }));
    const packet: BtpPacket = {
      type: BtpPacketType.Response,
      requestId: 0xffff_ffff,
      protocolData,
    };
    const bytes = serializeBtpPacket(packet);
    expect(bytes.length).toBe(btpPacketSize(packet));
    expect(deserializeBtpPacket(bytes)).toEqual(packet);
  });
});

describe('sub-protocol helpers', () => {
  it('builds the auth message of the derived vector', () => {
    const vector = derivedBtp.find((v) => v.name.startsWith('BTP auth Message'))!;
    const packet = authMessage(123, { username: 'bob', token: 'secret' });
    expect(hex(serializeBtpPacket(packet))).toBe(vector.hex);
    expect(readAuthMessage(deserializeBtpPacket(unhex(vector.hex)))).toEqual({
      username: 'bob',
      token: 'secret',
    });
  });

  it('omits auth_username when undefined and reads it as undefined', () => {
    const packet = authMessage(1, { token: '' });
    expect(packet.protocolData.map((p) => p.protocolName)).toEqual(['auth', 'auth_token']);
    expect(readAuthMessage(packet)).toEqual({ username: undefined, token: '' });
  });

  it.each([
    ['a Response', { type: BtpPacketType.Response, requestId: 1, protocolData: [] }],
    [
      'a Message whose primary is not auth',
      { ...authMessage(1, { token: 't' }), protocolData: ilpProtocolData(new Uint8Array(1)) },
    ],
    [
      'no auth_token',
      {
        ...authMessage(1, { token: 't' }),
        protocolData: authMessage(1, { token: 't' }).protocolData.slice(0, 1),
      },
    ],
  ])('refuses %s as auth with F00', (_name, packet) => {
    const error = (() => {
      try {
        readAuthMessage(packet as BtpPacket);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BtpProtocolError);
    expect((error as BtpProtocolError).code).toBe(BtpErrorCode.F00_NOT_ACCEPTED);
  });

  it('finds the ilp entry anywhere in a Response', () => {
    const ilp = new Uint8Array([13, 1]);
    expect(readIlpProtocolData(ilpProtocolData(ilp))).toBe(ilp);
    expect(
      readIlpProtocolData([
        { protocolName: 'x', contentType: 0, data: new Uint8Array() },
        ...ilpProtocolData(ilp),
      ]),
    ).toBe(ilp);
    expect(readIlpProtocolData([])).toBeUndefined();
  });
});
