import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  CodecErrorCode,
  deserializeIldcpResponse,
  deserializeIldcpResponseData,
  deserializeIlpPacket,
  deserializePrepare,
  ILDCP_DESTINATION,
  ildcpRequest,
  ildcpResponseFulfill,
  IlpError,
  IlpPacketType,
  PEER_PROTOCOL_CONDITION,
  PEER_PROTOCOL_FULFILLMENT,
  serializeFulfill,
  serializeIldcpRequest,
  serializeIldcpResponse,
  serializeIldcpResponseData,
  validateIldcpRequest,
} from '../index';
import { addressArb } from '../../test/arbitraries';
import { hex, loadVectors, unhex } from '../../test/vectors';

/** The fixtures' frozen clock: requests made "now" expire 60 s later, at 00:01:00. */
const NOW = new Date('2015-06-16T00:00:00.000Z');

interface IldcpVector {
  name: string;
  kind: string;
  json: {
    clientAddress?: string;
    assetScale?: number;
    assetCode?: string;
    data?: string;
    decodedData?: { clientAddress: string; assetScale: number; assetCode: string };
  };
  hex: string;
  dataHex?: string;
}
interface IldcpFile {
  constants: { destination: string; executionCondition: string; fulfillment: string };
  vectors: IldcpVector[];
  negative: { name: string; hex: string }[];
}

const file = loadVectors<IldcpFile>('ildcp.json');
const derived = loadVectors<{ vectors: IldcpVector[] }>('derived.reference-impl.json');

describe('ildcp.json constants', () => {
  it('destination, peer-protocol condition and fulfillment', () => {
    expect(ILDCP_DESTINATION).toBe(file.constants.destination);
    expect(hex(PEER_PROTOCOL_CONDITION)).toBe(file.constants.executionCondition);
    expect(hex(PEER_PROTOCOL_FULFILLMENT)).toBe(file.constants.fulfillment);
  });
});

describe('ILDCP request', () => {
  const vector = file.vectors.find((v) => v.kind === 'ildcp-request') as IldcpVector;

  it(`encodes: ${vector.name}`, () => {
    expect(hex(serializeIldcpRequest({ now: NOW }))).toBe(vector.hex);
    expect(hex(serializeIldcpRequest({ now: NOW.getTime() }))).toBe(vector.hex);
    expect(hex(serializeIldcpRequest({ expiresAt: new Date('2015-06-16T00:01:00.000Z') }))).toBe(
      vector.hex,
    );
  });

  it(`decodes and validates: ${vector.name}`, () => {
    const prepare = deserializePrepare(unhex(vector.hex));
    expect(prepare).toMatchObject({ amount: 0n, destination: 'peer.config' });
    expect(validateIldcpRequest(prepare, { now: NOW })).toBeNull();
    // still valid at the exact expiry instant, expired one millisecond later
    expect(validateIldcpRequest(prepare, { now: prepare.expiresAt })).toBeNull();
    expect(validateIldcpRequest(prepare, { now: prepare.expiresAt.getTime() + 1 })?.code).toBe(
      'R00',
    );
  });

  it('the request object defaults to now + 60 s and copies the condition', () => {
    const request = ildcpRequest();
    expect(request.type).toBe(IlpPacketType.Prepare);
    const lifetime = request.expiresAt.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(59_000);
    expect(lifetime).toBeLessThanOrEqual(60_000);
    request.executionCondition[0] ^= 0xff; // mutating a request never touches the constant
    expect(validateIldcpRequest(ildcpRequest(), { now: Date.now() })).toBeNull();
  });
});

describe('ILDCP response', () => {
  const responses = [
    ...file.vectors.filter((v) => v.kind === 'ildcp-response'),
    ...derived.vectors.filter((v) => v.kind === 'ildcp-response'),
  ];

  it('found both response vectors', () => expect(responses.length).toBe(2));

  it.each(responses.map((v) => [v.name, v] as const))('%s', (_, v) => {
    const expected = v.json.decodedData ?? {
      clientAddress: v.json.clientAddress as string,
      assetScale: v.json.assetScale as number,
      assetCode: v.json.assetCode as string,
    };
    expect(deserializeIldcpResponse(unhex(v.hex))).toEqual(expected);
    expect(hex(serializeIldcpResponse(expected))).toBe(v.hex);
    const data = serializeIldcpResponseData(expected);
    if (v.dataHex !== undefined) expect(hex(data)).toBe(v.dataHex);
    expect(deserializeIldcpResponseData(data)).toEqual(expected);
    expect(hex(serializeFulfill(ildcpResponseFulfill(expected)))).toBe(v.hex);
  });

  it('rejects bad responses on encode', () => {
    const ok = { clientAddress: 'example.client', assetScale: 9, assetCode: 'USD' };
    const codes = [
      { ...ok, clientAddress: 'client' },
      { ...ok, assetScale: 256 },
      { ...ok, assetScale: -1 },
      { ...ok, assetScale: 1.5 },
      { ...ok, assetCode: 'bad \ud800' },
    ].map((bad) => {
      try {
        serializeIldcpResponseData(bad);
        return 'no error';
      } catch (error) {
        return (error as CodecError).code;
      }
    });
    expect(codes).toEqual([
      CodecErrorCode.InvalidAddress,
      CodecErrorCode.ValueOutOfRange,
      CodecErrorCode.ValueOutOfRange,
      CodecErrorCode.ValueOutOfRange,
      CodecErrorCode.InvalidUtf8,
    ]);
  });

  it('rejects malformed response data on decode', () => {
    for (const data of [
      '',
      '0e6578616d706c65',
      '0e6578616d706c652e636c69656e74',
      '0e6578616d706c652e636c69656e740d',
      '05636c69656e740d0358414d',
      '0e6578616d706c652e636c69656e740d0358414d00',
    ]) {
      expect(() => deserializeIldcpResponseData(unhex(data))).toThrow(CodecError);
    }
  });
});

describe('ildcp.json negatives', () => {
  it.each(file.negative.map((n) => [n.name, n] as const))('%s', (_, negative) => {
    const packet = deserializeIlpPacket(unhex(negative.hex));
    if (packet.type === IlpPacketType.Prepare) {
      const error = validateIldcpRequest(packet, { now: NOW, triggeredBy: 'example.server' });
      expect(error).toBeInstanceOf(IlpError);
      expect(error?.triggeredBy).toBe('example.server');
    } else {
      expect(() => deserializeIldcpResponse(unhex(negative.hex))).toThrow(CodecError);
    }
  });

  it('map to the expected codes and messages', () => {
    const [wrongDestination, wrongCondition, expired, badFulfillment] = file.negative.map((n) =>
      unhex(n.hex),
    );
    const check = (bytes: Uint8Array) =>
      validateIldcpRequest(deserializePrepare(bytes), { now: NOW });
    expect(check(wrongDestination)).toMatchObject({
      code: 'F01',
      message: 'packet is not an IL-DCP request.',
    });
    expect(check(wrongCondition)).toMatchObject({
      code: 'F01',
      message: 'packet does not contain correct condition for a peer protocol request.',
    });
    expect(check(expired)).toMatchObject({
      code: 'R00',
      message: 'IL-DCP request packet is expired.',
    });
    try {
      deserializeIldcpResponse(badFulfillment);
      throw new Error('should have thrown');
    } catch (error) {
      expect((error as CodecError).code).toBe(CodecErrorCode.UnexpectedFulfillment);
    }
  });
});

describe('ILDCP properties', () => {
  it('random responses round-trip through the Fulfill packet', () => {
    fc.assert(
      fc.property(
        addressArb,
        fc.integer({ min: 0, max: 255 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        (clientAddress, assetScale, assetCode) => {
          const response = { clientAddress, assetScale, assetCode };
          expect(deserializeIldcpResponse(serializeIldcpResponse(response))).toEqual(response);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('requests built at any time validate until they expire', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (now) => {
        const prepare = deserializePrepare(serializeIldcpRequest({ now }));
        expect(validateIldcpRequest(prepare, { now })).toBeNull();
        expect(validateIldcpRequest(prepare, { now: now + 60_001 })?.code).toBe('R00');
      }),
      { numRuns: 500 },
    );
  });
});
