import { describe, expect, it } from 'vitest';
import {
  CodecError,
  CodecErrorCode,
  deserializeFulfill,
  deserializeIlpPacket,
  deserializeIlpReply,
  deserializePrepare,
  deserializeReject,
  IlpFulfill,
  ilpPacketSize,
  IlpPacketType,
  IlpPrepare,
  IlpReject,
  isFulfill,
  isPrepare,
  isReject,
  MAX_UINT64,
  serializeFulfill,
  serializeIlpPacket,
  serializeIlpPacketInto,
  serializePrepare,
  serializeReject,
} from '../index';
import { comparable, expectSamePacket } from '../../test/packet-json';
import { hex, unhex } from '../../test/vectors';

function codeOf(fn: () => unknown): CodecErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof CodecError ? error.code : 'other error';
  }
}

const prepare = (overrides: Partial<IlpPrepare> = {}): IlpPrepare => ({
  type: IlpPacketType.Prepare,
  amount: 107n,
  expiresAt: new Date('2017-12-23T01:21:40.549Z'),
  executionCondition: new Uint8Array(32).fill(0x74),
  destination: 'example.alice',
  data: new Uint8Array([1, 2, 3]),
  ...overrides,
});
const fulfill = (overrides: Partial<IlpFulfill> = {}): IlpFulfill => ({
  type: IlpPacketType.Fulfill,
  fulfillment: new Uint8Array(32).fill(0xc3),
  data: new Uint8Array(0),
  ...overrides,
});
const reject = (overrides: Partial<IlpReject> = {}): IlpReject => ({
  type: IlpPacketType.Reject,
  code: 'F02',
  triggeredBy: 'example.connector',
  message: 'no route',
  data: new Uint8Array(0),
  ...overrides,
});

function roundTrip<T extends IlpPrepare | IlpFulfill | IlpReject>(packet: T): T {
  const bytes = serializeIlpPacket(packet);
  expect(ilpPacketSize(packet)).toBe(bytes.length);
  const decoded = deserializeIlpPacket(bytes) as T;
  expectSamePacket(decoded, packet);
  return decoded;
}

describe('amounts', () => {
  it.each([
    ['0', 0n],
    ['1', 1n],
    ['2^32', 2n ** 32n],
    ['2^53 - 1', 2n ** 53n - 1n],
    ['2^53', 2n ** 53n],
    ['2^53 + 1', 2n ** 53n + 1n],
    ['2^63', 2n ** 63n],
    ['2^64 - 1', MAX_UINT64],
  ])('%s round-trips exactly', (_, amount) => {
    const decoded = roundTrip(prepare({ amount }));
    expect(decoded.amount).toBe(amount);
    expect(typeof decoded.amount).toBe('bigint');
  });

  it('2^64 is rejected on encode', () => {
    expect(codeOf(() => serializePrepare(prepare({ amount: 2n ** 64n })))).toBe(
      CodecErrorCode.AmountOverflow,
    );
  });

  it('negative and non-bigint amounts are rejected on encode', () => {
    expect(codeOf(() => serializePrepare(prepare({ amount: -1n })))).toBe(
      CodecErrorCode.InvalidAmount,
    );
    expect(codeOf(() => serializePrepare(prepare({ amount: 5 as unknown as bigint })))).toBe(
      CodecErrorCode.InvalidAmount,
    );
    expect(codeOf(() => serializePrepare(prepare({ amount: '5' as unknown as bigint })))).toBe(
      CodecErrorCode.InvalidAmount,
    );
  });
});

describe('data limits', () => {
  it('32767 bytes of data are accepted in every packet type', () => {
    const data = new Uint8Array(32_767).fill(0xab);
    for (const packet of [prepare({ data }), fulfill({ data }), reject({ data })]) {
      const decoded = roundTrip(packet);
      expect(decoded.data.length).toBe(32_767);
    }
  });

  it('32768 bytes of data are rejected on encode', () => {
    const data = new Uint8Array(32_768);
    expect(codeOf(() => serializePrepare(prepare({ data })))).toBe(CodecErrorCode.DataTooLong);
    expect(codeOf(() => serializeFulfill(fulfill({ data })))).toBe(CodecErrorCode.DataTooLong);
    expect(codeOf(() => serializeReject(reject({ data })))).toBe(CodecErrorCode.DataTooLong);
  });

  it('32768 bytes of data are rejected on decode', () => {
    // hand-built Fulfill: 32-byte fulfillment, data length 82 80 00
    const body = new Uint8Array(32 + 3 + 32_768);
    body.set([0x82, 0x80, 0x00], 32);
    const packet = new Uint8Array([0x0d, 0x82, body.length >> 8, body.length & 0xff, ...body]);
    expect(codeOf(() => deserializeFulfill(packet))).toBe(CodecErrorCode.DataTooLong);
  });
});

describe('addresses in packets', () => {
  const address = (length: number) => 'test.' + '_'.repeat(length - 5);

  it('a 1023-byte destination is accepted, 1024 rejected on encode', () => {
    roundTrip(prepare({ destination: address(1023) }));
    expect(codeOf(() => serializePrepare(prepare({ destination: address(1024) })))).toBe(
      CodecErrorCode.InvalidAddress,
    );
  });

  it('a 1024-byte destination is rejected on decode', () => {
    const valid = serializePrepare(
      prepare({ destination: address(1023), data: new Uint8Array(0) }),
    );
    // rebuild with one more underscore: body grows by 1, destination length 03ff -> 0400
    const body = valid.subarray(4); // 0c 82 xx xx | body
    const destinationStart = 8 + 17 + 32;
    const grown = new Uint8Array(body.length + 1);
    grown.set(body.subarray(0, destinationStart));
    grown.set([0x82, 0x04, 0x00], destinationStart);
    grown.set(
      body.subarray(destinationStart + 3, destinationStart + 3 + 1023),
      destinationStart + 3,
    );
    grown[destinationStart + 3 + 1023] = 0x5f;
    grown[grown.length - 1] = 0x00; // empty data
    const packet = new Uint8Array([0x0c, 0x82, grown.length >> 8, grown.length & 0xff, ...grown]);
    expect(codeOf(() => deserializePrepare(packet))).toBe(CodecErrorCode.InvalidAddress);
  });

  it.each(['', 'example', 'what.alice', 'example.alice.', 'example..alice', 'example.ålice'])(
    'destination %j is rejected on encode',
    (destination) => {
      expect(codeOf(() => serializePrepare(prepare({ destination })))).toBe(
        CodecErrorCode.InvalidAddress,
      );
    },
  );

  it('triggeredBy may be empty but must otherwise be a valid address', () => {
    roundTrip(reject({ triggeredBy: '' }));
    expect(codeOf(() => serializeReject(reject({ triggeredBy: 'nope' })))).toBe(
      CodecErrorCode.InvalidAddress,
    );
    const bytes = serializeReject(reject({ triggeredBy: 'example.conn' }));
    bytes[bytes.indexOf(0x2e)] = 0x2a; // '.' -> '*'
    expect(codeOf(() => deserializeReject(bytes))).toBe(CodecErrorCode.InvalidAddress);
  });
});

describe('length determinants in packets', () => {
  // Prepare body = 59 + len(destination) + len(data) (+1 per field of 128+ bytes)
  it.each([
    ['body 127: short form', 5, 127 - 59 - 5 - 0, '7f'],
    ['body 128: 81 80', 5, 128 - 59 - 5, '8180'],
    ['body 255: 81 ff', 5, 255 - 59 - 5 - 1, '81ff'],
    ['body 256: 82 01 00', 5, 256 - 59 - 5 - 1, '820100'],
    ['multi-KB body', 5, 5000, '8213ca'],
  ])('%s', (_, destinationLength, dataLength, prefix) => {
    const destination = 'g.' + 'a'.repeat(destinationLength - 2);
    const packet = prepare({ destination, data: new Uint8Array(dataLength).fill(7) });
    const bytes = serializePrepare(packet);
    expect(hex(bytes.subarray(1, 1 + prefix.length / 2))).toBe(prefix);
    roundTrip(packet);
  });

  it('fields after a long-form field are found at shifted offsets', () => {
    const packet = reject({
      triggeredBy: 'g.' + 'b'.repeat(300),
      message: 'm'.repeat(200),
      data: new Uint8Array(70_00).fill(1),
    });
    roundTrip(packet);
  });
});

describe('field checks', () => {
  it('condition and fulfillment must be exactly 32 bytes', () => {
    for (const length of [0, 31, 33]) {
      expect(
        codeOf(() => serializePrepare(prepare({ executionCondition: new Uint8Array(length) }))),
      ).toBe(CodecErrorCode.InvalidFixedLength);
      expect(codeOf(() => serializeFulfill(fulfill({ fulfillment: new Uint8Array(length) })))).toBe(
        CodecErrorCode.InvalidFixedLength,
      );
    }
  });

  it('expiresAt must be a valid Date in years 0000..9999', () => {
    for (const expiresAt of [new Date(Number.NaN), new Date('+010000-01-01T00:00:00Z')]) {
      expect(codeOf(() => serializePrepare(prepare({ expiresAt })))).toBe(
        CodecErrorCode.InvalidTimestamp,
      );
    }
  });

  it.each(['F0', 'F000', 'X00', 'f00', 'F0a', 'F 0', '', 'T0\u00e9'])(
    'Reject code %j is rejected on encode',
    (code) => {
      expect(codeOf(() => serializeReject(reject({ code })))).toBe(CodecErrorCode.InvalidErrorCode);
    },
  );

  it('unknown but well-shaped codes round-trip (F42, T0A, R99)', () => {
    for (const code of ['F42', 'T0A', 'R99']) roundTrip(reject({ code }));
  });

  it('a malformed code is rejected on decode', () => {
    const bytes = serializeReject(reject({ code: 'F02' }));
    bytes[2] = 0x58; // 'X'
    expect(codeOf(() => deserializeReject(bytes))).toBe(CodecErrorCode.InvalidErrorCode);
  });

  it('Reject messages: 8191 bytes of UTF-8 accepted, 8192 rejected (bytes, not characters)', () => {
    roundTrip(reject({ message: 'a'.repeat(8191) }));
    roundTrip(reject({ message: 'é'.repeat(4095) + 'a' })); // 8191 bytes
    expect(codeOf(() => serializeReject(reject({ message: 'a'.repeat(8192) })))).toBe(
      CodecErrorCode.MessageTooLong,
    );
    expect(codeOf(() => serializeReject(reject({ message: 'é'.repeat(4096) })))).toBe(
      CodecErrorCode.MessageTooLong,
    );
  });

  it('a Reject message of 8192 bytes is rejected on decode', () => {
    const ok = serializeReject(reject({ triggeredBy: '', message: 'a'.repeat(8191) }));
    // 0e 82 xx xx | F02 | 00 | 82 1f ff | message | 00
    const body = new Uint8Array(3 + 1 + 3 + 8192 + 1);
    body.set(ok.subarray(4, 8));
    body.set([0x82, 0x20, 0x00], 4);
    body.fill(0x61, 7, 7 + 8192);
    const packet = new Uint8Array([0x0e, 0x82, body.length >> 8, body.length & 0xff, ...body]);
    expect(codeOf(() => deserializeReject(packet))).toBe(CodecErrorCode.MessageTooLong);
  });

  it('invalid UTF-8 in a Reject message is rejected on decode', () => {
    const bytes = serializeReject(reject({ message: 'abc' }));
    bytes[bytes.length - 3] = 0xff;
    expect(codeOf(() => deserializeReject(bytes))).toBe(CodecErrorCode.InvalidUtf8);
  });

  it('lone surrogates in a Reject message are rejected on encode', () => {
    expect(codeOf(() => serializeReject(reject({ message: 'bad \ud800' })))).toBe(
      CodecErrorCode.InvalidUtf8,
    );
  });

  it('non-ASCII and astral characters in messages round-trip', () => {
    roundTrip(reject({ message: 'ünïcödé 😀 €' }));
  });

  it('fields of the wrong JavaScript type are CodecErrors', () => {
    const bad = { ...prepare(), data: [1, 2, 3] as unknown as Uint8Array };
    expect(codeOf(() => serializePrepare(bad))).toBe(CodecErrorCode.InvalidInput);
    const badDest = { ...prepare(), destination: 42 as unknown as string };
    expect(codeOf(() => serializePrepare(badDest))).toBe(CodecErrorCode.InvalidAddress);
    expect(codeOf(() => serializeReject({ ...reject(), message: 1 as unknown as string }))).toBe(
      CodecErrorCode.InvalidInput,
    );
  });
});

describe('envelope', () => {
  it('trailing bytes after the envelope are rejected by default, ignored when allowed', () => {
    const bytes = serializeFulfill(fulfill());
    const longer = new Uint8Array([...bytes, 0x00, 0x01]);
    expect(codeOf(() => deserializeIlpPacket(longer))).toBe(CodecErrorCode.TrailingBytes);
    expectSamePacket(deserializeIlpPacket(longer, { allowTrailingBytes: true }), fulfill());
  });

  it('bytes inside the envelope after the last field are rejected by default, ignored when allowed', () => {
    const bytes = serializePrepare(prepare());
    const body = bytes.subarray(2);
    const padded = new Uint8Array([0x0c, body.length + 2, ...body, 0xaa, 0xbb]);
    expect(codeOf(() => deserializePrepare(padded))).toBe(CodecErrorCode.TrailingBytes);
    expectSamePacket(deserializePrepare(padded, { allowTrailingBytes: true }), prepare());
  });

  it('an envelope longer than the input is Truncated', () => {
    const bytes = serializePrepare(prepare());
    expect(codeOf(() => deserializePrepare(bytes.subarray(0, bytes.length - 1)))).toBe(
      CodecErrorCode.Truncated,
    );
  });

  it('a body shorter than its fields is Truncated', () => {
    const bytes = serializeFulfill(fulfill());
    const short = new Uint8Array([0x0d, 0x10, ...bytes.subarray(2, 18)]);
    expect(codeOf(() => deserializeFulfill(short))).toBe(CodecErrorCode.Truncated);
  });

  it('type-specific decoders reject other packet types', () => {
    const f = serializeFulfill(fulfill());
    expect(codeOf(() => deserializePrepare(f))).toBe(CodecErrorCode.UnknownPacketType);
    expect(codeOf(() => deserializeReject(f))).toBe(CodecErrorCode.UnknownPacketType);
    expect(codeOf(() => deserializeFulfill(serializePrepare(prepare())))).toBe(
      CodecErrorCode.UnknownPacketType,
    );
  });

  it('deserializeIlpReply accepts Fulfill and Reject only', () => {
    expect(deserializeIlpReply(serializeFulfill(fulfill())).type).toBe(IlpPacketType.Fulfill);
    expect(deserializeIlpReply(serializeReject(reject())).type).toBe(IlpPacketType.Reject);
    expect(codeOf(() => deserializeIlpReply(serializePrepare(prepare())))).toBe(
      CodecErrorCode.UnknownPacketType,
    );
  });

  it('rejects input that is not a Uint8Array', () => {
    expect(codeOf(() => deserializeIlpPacket('0d' as unknown as Uint8Array))).toBe(
      CodecErrorCode.InvalidInput,
    );
    expect(codeOf(() => deserializeIlpPacket(undefined as unknown as Uint8Array))).toBe(
      CodecErrorCode.InvalidInput,
    );
  });

  it('serializeIlpPacket rejects an unknown type tag', () => {
    const bad = { ...fulfill(), type: 99 } as unknown as IlpFulfill;
    expect(codeOf(() => serializeIlpPacket(bad))).toBe(CodecErrorCode.UnknownPacketType);
  });
});

describe('decoded packets', () => {
  it('data and condition are zero-copy views of the input', () => {
    const bytes = serializePrepare(prepare());
    const decoded = deserializePrepare(bytes);
    bytes[bytes.length - 1] = 0x99;
    expect(decoded.data[2]).toBe(0x99);
  });

  it('decodes from a Buffer and from a view at a non-zero offset', () => {
    const bytes = serializePrepare(prepare());
    expectSamePacket(deserializePrepare(Buffer.from(bytes)), prepare());
    const container = new Uint8Array(bytes.length + 10);
    container.set(bytes, 7);
    expectSamePacket(deserializePrepare(container.subarray(7, 7 + bytes.length)), prepare());
  });

  it('guards narrow the union', () => {
    const packets = [prepare(), fulfill(), reject()].map((p) =>
      deserializeIlpPacket(serializeIlpPacket(p)),
    );
    expect(packets.map(isPrepare)).toEqual([true, false, false]);
    expect(packets.map(isFulfill)).toEqual([false, true, false]);
    expect(packets.map(isReject)).toEqual([false, false, true]);
    const first = packets[0];
    if (isPrepare(first)) expect(first.destination).toBe('example.alice');
  });

  it('Fulfill and Reject data default to empty when omitted', () => {
    const f = serializeFulfill({ fulfillment: new Uint8Array(32) });
    expect(deserializeFulfill(f).data.length).toBe(0);
    const r = serializeReject({ code: 'T00', triggeredBy: '', message: '' });
    expect(comparable(deserializeReject(r))).toMatchObject({ code: 'T00', data: '' });
  });
});

describe('serializeIlpPacketInto', () => {
  it('writes at an offset and returns the size', () => {
    const packet = prepare();
    const expected = serializeIlpPacket(packet);
    const target = new Uint8Array(expected.length + 8);
    expect(serializeIlpPacketInto(packet, target, 5)).toBe(expected.length);
    expect(hex(target.subarray(5, 5 + expected.length))).toBe(hex(expected));
    expect(hex(target.subarray(0, 5))).toBe('0000000000');
  });

  it('refuses a target without room', () => {
    const packet = fulfill();
    expect(codeOf(() => serializeIlpPacketInto(packet, new Uint8Array(10)))).toBe(
      CodecErrorCode.InvalidInput,
    );
  });
});

describe('a decoded packet re-encodes to the same bytes', () => {
  it('for the example Prepare', () => {
    const input = unhex(
      '0c68000000000000006b323031373132323330313231343035343974e1136dc71c9e5f283bec83461cbf1261c4014f72d48f8dd65453a0b84e7de10d6578616d706c652e616c696365205db343fdc41898f6df4202329139dc242dd0f558a811b46b28918fdab37c6cb0',
    );
    expect(hex(serializeIlpPacket(deserializeIlpPacket(input)))).toBe(hex(input));
  });
});
