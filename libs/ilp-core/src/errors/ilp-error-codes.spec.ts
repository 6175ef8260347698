import { describe, expect, it } from 'vitest';
import {
  amountTooLargeError,
  CodecError,
  CodecErrorCode,
  deserializeAmountTooLargeData,
  deserializeIlpPacket,
  deserializeReject,
  ILP_ERROR_NAMES,
  IlpError,
  ilpErrorClass,
  IlpErrorCode,
  IlpPacketType,
  isCodecError,
  isIlpError,
  isIlpErrorCode,
  MAX_UINT64,
  rejectFrom,
  serializeAmountTooLargeData,
  serializeReject,
  toRejectMessage,
} from '../index';
import { hex, loadVectors, unhex } from '../../test/vectors';

describe('error code table (RFC 27)', () => {
  const expected: [string, string][] = [
    ['F00', 'Bad Request'],
    ['F01', 'Invalid Packet'],
    ['F02', 'Unreachable'],
    ['F03', 'Invalid Amount'],
    ['F04', 'Insufficient Destination Amount'],
    ['F05', 'Wrong Condition'],
    ['F06', 'Unexpected Payment'],
    ['F07', 'Cannot Receive'],
    ['F08', 'Amount Too Large'],
    ['F99', 'Application Error'],
    ['T00', 'Internal Error'],
    ['T01', 'Peer Unreachable'],
    ['T02', 'Peer Busy'],
    ['T03', 'Connector Busy'],
    ['T04', 'Insufficient Liquidity'],
    ['T05', 'Rate Limited'],
    ['T99', 'Application Error'],
    ['R00', 'Transfer Timed Out'],
    ['R01', 'Insufficient Source Amount'],
    ['R02', 'Insufficient Timeout'],
    ['R99', 'Application Error'],
  ];

  it('has exactly the 21 RFC codes, each enum member matching its name', () => {
    expect(Object.entries(ILP_ERROR_NAMES)).toEqual(expected);
    expect(Object.values(IlpErrorCode).sort()).toEqual(expected.map(([code]) => code).sort());
    for (const [key, code] of Object.entries(IlpErrorCode)) {
      const words = ILP_ERROR_NAMES[code].toUpperCase().replace(/ /g, '_');
      expect(key).toBe(`${code}_${words}`);
    }
  });

  it('classifies codes by first letter', () => {
    expect(ilpErrorClass('F02')).toBe('final');
    expect(ilpErrorClass('T04')).toBe('temporary');
    expect(ilpErrorClass('R00')).toBe('relative');
    expect(ilpErrorClass('X00')).toBeUndefined();
    expect(isIlpErrorCode('F08')).toBe(true);
    expect(isIlpErrorCode('F42')).toBe(false);
    expect(isIlpErrorCode('toString')).toBe(false);
  });
});

describe('IlpError and rejectFrom', () => {
  it('an IlpError becomes a Reject with its code, message and data', () => {
    const error = new IlpError(IlpErrorCode.F02_UNREACHABLE, 'no route to g.x', {
      data: new Uint8Array([1, 2]),
    });
    expect(isIlpError(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    const reject = rejectFrom(error, 'test.connector');
    expect(reject).toMatchObject({
      type: IlpPacketType.Reject,
      code: 'F02',
      triggeredBy: 'test.connector',
      message: 'no route to g.x',
    });
    expect(hex(reject.data)).toBe('0102');
    expect(deserializeReject(serializeReject(reject)).code).toBe('F02');
  });

  it("an IlpError's own triggeredBy wins (relaying a downstream error)", () => {
    const error = new IlpError('T04', 'busy', { triggeredBy: 'test.downstream' });
    expect(rejectFrom(error, 'test.me').triggeredBy).toBe('test.downstream');
  });

  it('a CodecError becomes F01 Invalid Packet', () => {
    const reject = rejectFrom(new CodecError(CodecErrorCode.Truncated, 'cut short'), 'test.me');
    expect(reject.code).toBe('F01');
    expect(reject.message).toBe('cut short');
  });

  it('anything else becomes T00 without leaking its message, unless asked', () => {
    expect(rejectFrom(new Error('db password wrong'), 'test.me')).toMatchObject({
      code: 'T00',
      message: 'Internal Error',
    });
    expect(rejectFrom('a string', 'test.me').code).toBe('T00');
    expect(
      rejectFrom(new Error('visible'), 'test.me', {
        exposeMessage: true,
        fallbackCode: IlpErrorCode.F00_BAD_REQUEST,
      }),
    ).toMatchObject({ code: 'F00', message: 'visible' });
  });

  it('IlpError validates its code, triggeredBy and data', () => {
    expect(() => new IlpError('X99', 'bad')).toThrow(CodecError);
    expect(() => new IlpError('F00', 'bad', { triggeredBy: 'nope' })).toThrow(CodecError);
    expect(() => new IlpError('F00', 'bad', { data: new Uint8Array(32_768) })).toThrow(CodecError);
    expect(isCodecError(new CodecError(CodecErrorCode.Truncated, 'x'))).toBe(true);
  });

  it('long and malformed messages are made to fit a Reject', () => {
    const long = 'é'.repeat(5000);
    const trimmed = toRejectMessage(long);
    expect(new TextEncoder().encode(trimmed).length).toBe(8190);
    expect(toRejectMessage('a'.repeat(9000)).length).toBe(8191);
    expect(toRejectMessage('x\ud800y')).toBe('x\ufffdy');
    expect(toRejectMessage('x\udc00')).toBe('x\ufffd');
    expect(toRejectMessage('😀'.repeat(3000))).toBe('😀'.repeat(2047));
    const reject = rejectFrom(new IlpError('F99', 'a'.repeat(10_000) + '\ud800'), 'test.me');
    expect(() => serializeReject(reject)).not.toThrow();
  });
});

describe('F08 Amount Too Large data', () => {
  interface F08Vector {
    name: string;
    kind?: string;
    json: {
      receivedAmount?: string;
      maximumAmount?: string;
      data?: string;
      decodedData?: { receivedAmount: string; maximumAmount: string };
    };
    hex: string;
  }
  const rs = loadVectors<{ vectors: F08Vector[] }>('ilp-packet.interledger-rs.json').vectors.filter(
    (v) => v.kind === 'f08-error-data',
  );
  const derived = loadVectors<{ vectors: F08Vector[] }>(
    'derived.reference-impl.json',
  ).vectors.filter((v) => v.kind === 'ilp-reject' && v.json?.decodedData !== undefined);

  it.each(rs.map((v) => [v.name.slice(0, 60), v] as const))('interledger-rs: %s', (_, v) => {
    const value = {
      receivedAmount: BigInt(v.json.receivedAmount as string),
      maximumAmount: BigInt(v.json.maximumAmount as string),
    };
    expect(hex(serializeAmountTooLargeData(value))).toBe(v.hex);
    expect(deserializeAmountTooLargeData(unhex(v.hex))).toEqual(value);
  });

  it('the FACTS.md example 00000000000302010000000000060504', () => {
    expect(deserializeAmountTooLargeData(unhex('00000000000302010000000000060504'))).toEqual({
      receivedAmount: 0x030201n,
      maximumAmount: 0x060504n,
    });
  });

  it.each(derived.map((v) => [v.name.slice(0, 60), v] as const))('derived: %s', (_, v) => {
    const packet = deserializeIlpPacket(unhex(v.hex));
    const decoded = v.json.decodedData as { receivedAmount: string; maximumAmount: string };
    const data = deserializeAmountTooLargeData(packet.data);
    expect(data).toEqual({
      receivedAmount: BigInt(decoded.receivedAmount),
      maximumAmount: BigInt(decoded.maximumAmount),
    });
    const error = amountTooLargeError(
      data.receivedAmount,
      data.maximumAmount,
      packet.type === IlpPacketType.Reject ? packet.message : '',
    );
    expect(hex(serializeReject(rejectFrom(error, 'test.connector')))).toBe(v.hex);
  });

  it('edges and malformed data', () => {
    const edge = { receivedAmount: MAX_UINT64, maximumAmount: 0n };
    expect(deserializeAmountTooLargeData(serializeAmountTooLargeData(edge))).toEqual(edge);
    expect(() => deserializeAmountTooLargeData(new Uint8Array(15))).toThrow(CodecError);
    expect(() => deserializeAmountTooLargeData(new Uint8Array(17))).toThrow(CodecError);
    expect(deserializeAmountTooLargeData(new Uint8Array(17), { allowTrailingBytes: true })).toEqual(
      {
        receivedAmount: 0n,
        maximumAmount: 0n,
      },
    );
    expect(() => serializeAmountTooLargeData({ receivedAmount: -1n, maximumAmount: 0n })).toThrow(
      CodecError,
    );
  });

  it('amountTooLargeError builds an F08 IlpError with the data', () => {
    const error = amountTooLargeError(1001n, 1000n);
    expect(error.code).toBe('F08');
    expect(hex(error.data)).toBe('00000000000003e900000000000003e8');
    expect(error.message).toBe('packet amount too large. maxAmount=1000 actualAmount=1001');
  });
});
