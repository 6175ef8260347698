import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as reference from 'ilp-protocol-ccp';
import { CodecError, deserializeIlpPacket, IlpError, IlpPacketType } from '@tollgate/ilp-core';
import {
  CcpMode,
  CcpRouteControlRequest,
  CcpRouteUpdateRequest,
  ccpRouteControlPrepare,
  deserializeCcpRouteControlData,
  deserializeCcpRouteControlRequest,
  deserializeCcpRouteUpdateData,
  deserializeCcpRouteUpdateRequest,
  serializeCcpResponse,
  serializeCcpRouteControlData,
  serializeCcpRouteControlRequest,
  serializeCcpRouteUpdateData,
  serializeCcpRouteUpdateRequest,
} from './ccp-codec';
import { hex, loadVectors, unhex } from '../../test/helpers';

interface PropJson {
  isOptional: boolean;
  isTransitive: boolean;
  isPartial: boolean;
  isUtf8: boolean;
  id: number;
  value: string;
}
interface UpdateJson extends Omit<CcpRouteUpdateRequest, 'newRoutes'> {
  newRoutes: { prefix: string; path: string[]; auth: string; props: PropJson[] }[];
}
interface Vector {
  name: string;
  kind: string;
  json: Record<string, unknown>;
  hex: string;
}
const file = loadVectors<{ vectors: Vector[]; negative: { name: string; hex: string }[] }>(
  'ccp.json',
);
/** The fixtures were made with the clock frozen here (they expire a minute later). */
const NOW = Date.parse('2015-06-16T00:00:00.000Z');
const EXPIRES_AT = new Date(NOW + 60_000);

function updateFromJson(json: UpdateJson): CcpRouteUpdateRequest {
  return {
    ...json,
    newRoutes: json.newRoutes.map((route) => ({
      ...route,
      auth: unhex(route.auth),
      props: route.props.map((prop) => ({
        ...prop,
        value: prop.isUtf8 ? new TextEncoder().encode(prop.value) : unhex(prop.value),
      })),
    })),
  };
}

const byKind = (kind: string) => file.vectors.filter((v) => v.kind === kind);

describe('CCP codec: shared vectors', () => {
  it('has the vectors this suite expects', () => {
    expect(file.vectors).toHaveLength(6);
    expect(file.negative).toHaveLength(6);
  });

  for (const v of byKind('ccp-route-control-payload')) {
    it(`${v.name}: both ways`, () => {
      const json = v.json as unknown as CcpRouteControlRequest;
      expect(deserializeCcpRouteControlData(unhex(v.hex))).toEqual(json);
      expect(hex(serializeCcpRouteControlData(json))).toBe(v.hex);
    });
  }

  for (const v of byKind('ccp-route-control-request')) {
    it(`${v.name}: both ways`, () => {
      const payload = v.json.payload as CcpRouteControlRequest;
      expect(deserializeCcpRouteControlRequest(unhex(v.hex), { now: NOW })).toEqual(payload);
      expect(hex(serializeCcpRouteControlRequest(payload, { expiresAt: EXPIRES_AT }))).toBe(v.hex);
      expect(hex(serializeCcpRouteControlRequest(payload, { now: NOW }))).toBe(v.hex);
    });
  }

  for (const v of byKind('ccp-route-update-payload')) {
    it(`${v.name}: both ways`, () => {
      const update = updateFromJson(v.json as unknown as UpdateJson);
      expect(deserializeCcpRouteUpdateData(unhex(v.hex))).toEqual(update);
      expect(hex(serializeCcpRouteUpdateData(update))).toBe(v.hex);
    });
  }

  for (const v of byKind('ccp-route-update-request')) {
    it(`${v.name}: both ways`, () => {
      const update = updateFromJson(v.json.payload as UpdateJson);
      expect(deserializeCcpRouteUpdateRequest(unhex(v.hex), { now: NOW })).toEqual(update);
      expect(hex(serializeCcpRouteUpdateRequest(update, { now: NOW }))).toBe(v.hex);
    });
  }

  it('CCP response (zero fulfillment, empty data): both ways', () => {
    const [v] = byKind('ccp-response');
    expect(hex(serializeCcpResponse())).toBe(v.hex);
    const decoded = deserializeIlpPacket(unhex(v.hex));
    expect(decoded.type).toBe(IlpPacketType.Fulfill);
  });

  for (const v of file.negative) {
    it(`rejects: ${v.name}`, () => {
      const bytes = unhex(v.hex);
      const parse = v.name.includes('update')
        ? () => deserializeCcpRouteUpdateRequest(bytes, { now: NOW })
        : () => deserializeCcpRouteControlRequest(bytes, { now: NOW });
      expect(parse).toThrow(IlpError);
      try {
        parse();
      } catch (error) {
        expect((error as IlpError).code).toBe(v.name.includes('expired') ? 'R00' : 'F01');
      }
    });
  }
});

// ------------------------------------------------------------------ properties

const ia5Segment = fc.stringMatching(/^[a-zA-Z0-9_~-]{1,12}$/);
const address = fc
  .tuple(
    fc.constantFrom('g', 'test', 'example', 'private'),
    fc.array(ia5Segment, { minLength: 1, maxLength: 4 }),
  )
  .map(([scheme, segments]) => [scheme, ...segments].join('.'));
const uuid = fc.uuid().map((u) => u.toLowerCase());
const uint32 = fc.integer({ min: 0, max: 0xffff_ffff });
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** Props in the canonical form the JS encoder writes (see propMeta). */
const canonicalProp = fc
  .record({
    isOptional: fc.boolean(),
    isTransitive: fc.boolean(),
    isPartial: fc.boolean(),
    isUtf8: fc.boolean(),
    id: fc.integer({ min: 0, max: 0xffff }),
    text: fc.string({ maxLength: 40 }),
    raw: fc.uint8Array({ maxLength: 200 }),
  })
  .map(({ isOptional, isTransitive, isPartial, isUtf8, id, text, raw }) => {
    const transitive = isOptional ? isTransitive : true;
    return {
      isOptional,
      isTransitive: transitive,
      isPartial: isOptional && transitive ? isPartial : false,
      isUtf8,
      id,
      value: isUtf8 ? new TextEncoder().encode(text) : raw,
    };
  });

const route = fc.record({
  prefix: address,
  path: fc.array(address, { maxLength: 5 }),
  auth: bytes32,
  props: fc.array(canonicalProp, { maxLength: 3 }),
});

const updateArb: fc.Arbitrary<CcpRouteUpdateRequest> = fc.record({
  routingTableId: uuid,
  currentEpochIndex: uint32,
  fromEpochIndex: uint32,
  toEpochIndex: uint32,
  holdDownTime: uint32,
  speaker: address,
  newRoutes: fc.array(route, { maxLength: 6 }),
  withdrawnRoutes: fc.array(address, { maxLength: 6 }),
});

const controlArb: fc.Arbitrary<CcpRouteControlRequest> = fc.record({
  mode: fc.constantFrom(CcpMode.Idle, CcpMode.Sync),
  lastKnownRoutingTableId: uuid,
  lastKnownEpoch: uint32,
  features: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
});

/** Our update in the reference library's shapes (Buffers; UTF-8 prop values as strings). */
function toReference(update: CcpRouteUpdateRequest): reference.CcpRouteUpdateRequest {
  return {
    ...update,
    newRoutes: update.newRoutes.map((r) => ({
      ...r,
      auth: Buffer.from(r.auth),
      props: r.props.map((p) =>
        p.isUtf8
          ? { ...p, isUtf8: true as const, value: Buffer.from(p.value).toString('utf8') }
          : { ...p, isUtf8: false as const, value: Buffer.from(p.value) },
      ),
    })),
  };
}

function fromReference(update: reference.CcpRouteUpdateRequest): CcpRouteUpdateRequest {
  return {
    ...update,
    newRoutes: update.newRoutes.map((r) => ({
      ...r,
      auth: new Uint8Array(r.auth),
      props: r.props.map((p) => ({
        ...p,
        value: p.isUtf8 ? new TextEncoder().encode(p.value) : new Uint8Array(p.value),
      })),
    })),
  };
}

describe('CCP codec: properties and interop with ilp-protocol-ccp', () => {
  it('route update: decode(encode(x)) = x', () => {
    fc.assert(
      fc.property(updateArb, (update) => {
        expect(deserializeCcpRouteUpdateData(serializeCcpRouteUpdateData(update))).toEqual(update);
      }),
      { numRuns: 300 },
    );
  });

  it('route control: decode(encode(x)) = x', () => {
    fc.assert(
      fc.property(controlArb, (control) => {
        expect(deserializeCcpRouteControlData(serializeCcpRouteControlData(control))).toEqual(
          control,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('route update: the reference decodes ours, and we decode theirs, byte for byte', () => {
    fc.assert(
      fc.property(updateArb, (update) => {
        const ours = serializeCcpRouteUpdateData(update);
        const theirs = reference.serializeCcpRouteUpdateRequestPayload(toReference(update));
        expect(hex(ours)).toBe(theirs.toString('hex'));
        expect(
          fromReference(reference.deserializeCcpRouteUpdateRequestPayload(Buffer.from(ours))),
        ).toEqual(update);
        expect(deserializeCcpRouteUpdateData(new Uint8Array(theirs))).toEqual(update);
      }),
      { numRuns: 200 },
    );
  });

  it('route control: the reference decodes ours, and we decode theirs, byte for byte', () => {
    fc.assert(
      fc.property(controlArb, (control) => {
        const ours = serializeCcpRouteControlData(control);
        const theirs = reference.serializeCcpRouteControlRequestPayload(
          control as unknown as reference.CcpRouteControlRequest,
        );
        expect(hex(ours)).toBe(theirs.toString('hex'));
        expect(reference.deserializeCcpRouteControlRequestPayload(Buffer.from(ours))).toEqual(
          control,
        );
        expect(deserializeCcpRouteControlData(new Uint8Array(theirs))).toEqual(control);
      }),
      { numRuns: 200 },
    );
  });

  it('full packets: the reference reads our Prepares (clock now)', () => {
    fc.assert(
      fc.property(controlArb, updateArb, (control, update) => {
        const now = Date.now();
        expect(
          reference.deserializeCcpRouteControlRequest(
            Buffer.from(serializeCcpRouteControlRequest(control, { now })),
          ),
        ).toEqual(control);
        const decoded = reference.deserializeCcpRouteUpdateRequest(
          Buffer.from(serializeCcpRouteUpdateRequest(update, { now })),
        );
        expect(fromReference(decoded)).toEqual(update);
      }),
      { numRuns: 50 },
    );
  });

  it('decoders throw only CodecError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        for (const decode of [deserializeCcpRouteUpdateData, deserializeCcpRouteControlData]) {
          try {
            decode(data);
          } catch (error) {
            expect(error).toBeInstanceOf(CodecError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('decoders survive truncation and corruption of valid messages', () => {
    fc.assert(
      fc.property(
        updateArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (update, cut, at, value) => {
          const bytes = serializeCcpRouteUpdateData(update);
          const truncated = bytes.slice(0, cut % (bytes.length + 1));
          const corrupted = bytes.slice();
          corrupted[at % corrupted.length] = value;
          for (const input of [truncated, corrupted]) {
            try {
              deserializeCcpRouteUpdateData(input);
            } catch (error) {
              expect(error).toBeInstanceOf(CodecError);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects an unknown mode, a bad UUID, a short auth and trailing bytes', () => {
    const control = serializeCcpRouteControlData({
      mode: CcpMode.Sync,
      lastKnownRoutingTableId: '70d1a134-a0df-4f47-964f-6e19e2ab3790',
      lastKnownEpoch: 1,
      features: [],
    });
    const badMode = new Uint8Array(control);
    badMode[0] = 2;
    expect(() => deserializeCcpRouteControlData(badMode)).toThrow(CodecError);
    expect(() => deserializeCcpRouteControlData(new Uint8Array([...control, 0]))).toThrow(
      CodecError,
    );
    expect(
      deserializeCcpRouteControlData(new Uint8Array([...control, 0]), { allowTrailingBytes: true })
        .mode,
    ).toBe(1);
    expect(() =>
      serializeCcpRouteControlData({
        mode: CcpMode.Sync,
        lastKnownRoutingTableId: 'nope',
        lastKnownEpoch: 0,
        features: [],
      }),
    ).toThrow(CodecError);
    expect(() =>
      serializeCcpRouteUpdateData({
        routingTableId: '70d1a134-a0df-4f47-964f-6e19e2ab3790',
        currentEpochIndex: 0,
        fromEpochIndex: 0,
        toEpochIndex: 0,
        holdDownTime: 0,
        speaker: 'test.a',
        newRoutes: [{ prefix: 'test.b', path: [], auth: new Uint8Array(31), props: [] }],
        withdrawnRoutes: [],
      }),
    ).toThrow(CodecError);
  });

  it('builds Prepares of amount 0 with the peer-protocol condition, expiring in 60 s', () => {
    const p = ccpRouteControlPrepare(
      {
        mode: CcpMode.Sync,
        lastKnownRoutingTableId: '70d1a134-a0df-4f47-964f-6e19e2ab3790',
        lastKnownEpoch: 0,
        features: [],
      },
      { now: NOW },
    );
    expect(p.amount).toBe(0n);
    expect(p.expiresAt.getTime()).toBe(NOW + 60_000);
    expect(hex(p.executionCondition)).toBe(
      '66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925',
    );
  });
});
