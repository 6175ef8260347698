/**
 * CCP (connector-to-connector protocol) codec: route control and route update requests.
 *
 * No current RFC describes binary CCP; the format is the one ilp-protocol-ccp and
 * interledger-rs agree on byte for byte (FACTS §5, vectors/ccp.json). Both messages travel
 * as ILP Prepares of amount 0 with the peer-protocol condition to `peer.route.control` /
 * `peer.route.update`; the answer is a Fulfill of 32 zero bytes and empty data.
 *
 * Payloads are sized once and written into one buffer. Routing table ids are UUID strings
 * (lower case, 16 raw bytes on the wire); epochs and holdDownTime are UInt32 numbers; route
 * `auth` and prop values are bytes. Decoders throw only CodecError; the packet-level parsers
 * also check destination, condition and expiry and throw IlpError (F01 / R00) for those.
 */
import {
  CodecError,
  CodecErrorCode,
  constantTimeEqual,
  deserializePrepare,
  IlpError,
  IlpErrorCode,
  IlpFulfill,
  IlpPacketType,
  IlpPrepare,
  PEER_PROTOCOL_CONDITION,
  PEER_PROTOCOL_FULFILLMENT,
  Reader,
  serializeFulfill,
  serializePrepare,
  varOctetStringSize,
  varUIntSize,
  Writer,
  type DecodeOptions,
} from '@tollgate/ilp-core';

export const CCP_CONTROL_DESTINATION = 'peer.route.control';
export const CCP_UPDATE_DESTINATION = 'peer.route.update';
/** Lifetime of a CCP request (what the reference implementations use). */
export const CCP_REQUEST_EXPIRY_MS = 60_000;
/** The table id a receiver reports before it has seen any. */
export const ZERO_ROUTING_TABLE_ID = '00000000-0000-0000-0000-000000000000';

export enum CcpMode {
  /** Stop sending me routes. */
  Idle = 0,
  /** Send me routes. */
  Sync = 1,
}

export interface CcpRouteControlRequest {
  mode: CcpMode;
  lastKnownRoutingTableId: string;
  lastKnownEpoch: number;
  features: string[];
}

/** Prop meta bits: 0x80 optional, 0x40 transitive, 0x20 partial, 0x10 value is UTF-8. */
export interface CcpRouteProp {
  isOptional: boolean;
  isTransitive: boolean;
  isPartial: boolean;
  isUtf8: boolean;
  id: number;
  value: Uint8Array;
}

export interface CcpRoute {
  prefix: string;
  path: string[];
  /** 32 bytes. */
  auth: Uint8Array;
  props: CcpRouteProp[];
}

export interface CcpRouteUpdateRequest {
  routingTableId: string;
  currentEpochIndex: number;
  fromEpochIndex: number;
  toEpochIndex: number;
  /** Milliseconds the receiver may keep these routes without a refresh. */
  holdDownTime: number;
  speaker: string;
  newRoutes: CcpRoute[];
  withdrawnRoutes: string[];
}

const UUID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const AUTH_LENGTH = 32;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const utf8Encoder = new TextEncoder();
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean })
  .isWellFormed;

function writeUuid(writer: Writer, id: string, field: string): void {
  if (typeof id !== 'string' || !UUID_PATTERN.test(id)) {
    throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a UUID string`);
  }
  const hex = id.replace(/-/g, '');
  for (let i = 0; i < 32; i += 2) writer.writeUInt8(parseInt(hex.slice(i, i + 2), 16), field);
}

function readUuid(reader: Reader, field: string): string {
  const bytes = reader.readOctets(16, field);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[i]];
  }
  return out;
}

/** A count (SEQUENCE OF) that cannot exceed the bytes left: each element takes at least one. */
function readCount(reader: Reader, field: string): number {
  const start = reader.offset;
  const count = reader.readVarUInt(undefined, field);
  if (count > BigInt(reader.remaining)) {
    throw new CodecError(
      CodecErrorCode.Truncated,
      `${field}: ${count} elements cannot fit in ${reader.remaining} bytes`,
      start,
    );
  }
  return Number(count);
}

function checkUInt32(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new CodecError(CodecErrorCode.ValueOutOfRange, `${field} ${value} is not a UInt32`);
  }
}

function checkIa5(value: string, field: string): number {
  if (typeof value !== 'string') {
    throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a string`);
  }
  return varOctetStringSize(value.length);
}

function utf8Bytes(value: string, field: string): Uint8Array {
  if (typeof value !== 'string' || (isWellFormed !== undefined && !isWellFormed.call(value))) {
    throw new CodecError(CodecErrorCode.InvalidUtf8, `${field} must be a well-formed string`);
  }
  return utf8Encoder.encode(value);
}

function finishDecode(reader: Reader, options: DecodeOptions | undefined, what: string): void {
  if (options?.allowTrailingBytes !== true) reader.assertEnd(what);
}

// ---------------------------------------------------------------- route control

export function serializeCcpRouteControlData(request: CcpRouteControlRequest): Uint8Array {
  if (request.mode !== CcpMode.Idle && request.mode !== CcpMode.Sync) {
    throw new CodecError(
      CodecErrorCode.ValueOutOfRange,
      `mode ${String(request.mode)} is not 0 or 1`,
    );
  }
  checkUInt32(request.lastKnownEpoch, 'lastKnownEpoch');
  const features = request.features.map((feature, i) => utf8Bytes(feature, `features[${i}]`));
  let size = 1 + 16 + 4 + varUIntSize(BigInt(features.length));
  for (const feature of features) size += varOctetStringSize(feature.length);
  const writer = new Writer(size);
  writer.writeUInt8(request.mode, 'mode');
  writeUuid(writer, request.lastKnownRoutingTableId, 'lastKnownRoutingTableId');
  writer.writeUInt32(request.lastKnownEpoch, 'lastKnownEpoch');
  writer.writeVarUInt(BigInt(features.length));
  for (const feature of features) writer.writeVarOctetString(feature, 'feature');
  return writer.finish();
}

export function deserializeCcpRouteControlData(
  data: Uint8Array,
  options?: DecodeOptions,
): CcpRouteControlRequest {
  const reader = new Reader(data);
  const mode = reader.readUInt8('mode');
  if (mode !== CcpMode.Idle && mode !== CcpMode.Sync) {
    throw new CodecError(
      CodecErrorCode.ValueOutOfRange,
      `mode ${mode} is not 0 (IDLE) or 1 (SYNC)`,
      0,
    );
  }
  const lastKnownRoutingTableId = readUuid(reader, 'lastKnownRoutingTableId');
  const lastKnownEpoch = reader.readUInt32('lastKnownEpoch');
  const count = readCount(reader, 'features');
  const features: string[] = [];
  for (let i = 0; i < count; i++) features.push(reader.readVarUtf8('feature'));
  finishDecode(reader, options, 'CCP route control request');
  return { mode, lastKnownRoutingTableId, lastKnownEpoch, features };
}

// ---------------------------------------------------------------- route update

/**
 * Prop meta byte. Written the way the JS reference writes it (FACTS §5): a mandatory
 * (non-optional) prop is always transitive, and `partial` is only meaningful on an
 * optional transitive prop; our bytes are then identical to both references' for any input.
 */
function propMeta(prop: CcpRouteProp): number {
  let meta = 0;
  if (prop.isOptional) {
    meta |= 0x80;
    if (prop.isTransitive) {
      meta |= 0x40;
      if (prop.isPartial) meta |= 0x20;
    }
  } else {
    meta |= 0x40;
  }
  if (prop.isUtf8) meta |= 0x10;
  return meta;
}

function updateSize(request: CcpRouteUpdateRequest): number {
  let size = 16 + 4 * 4 + checkIa5(request.speaker, 'speaker');
  size += varUIntSize(BigInt(request.newRoutes.length));
  for (const route of request.newRoutes) {
    size += checkIa5(route.prefix, 'prefix') + varUIntSize(BigInt(route.path.length));
    for (const hop of route.path) size += checkIa5(hop, 'path');
    if (!(route.auth instanceof Uint8Array) || route.auth.length !== AUTH_LENGTH) {
      throw new CodecError(
        CodecErrorCode.InvalidFixedLength,
        `route auth must be 32 bytes (prefix ${route.prefix})`,
      );
    }
    size += AUTH_LENGTH + varUIntSize(BigInt(route.props.length));
    for (const prop of route.props) {
      if (!(prop.value instanceof Uint8Array)) {
        throw new CodecError(CodecErrorCode.InvalidInput, 'prop value must be bytes');
      }
      size += 1 + 2 + varOctetStringSize(prop.value.length);
    }
  }
  size += varUIntSize(BigInt(request.withdrawnRoutes.length));
  for (const prefix of request.withdrawnRoutes) size += checkIa5(prefix, 'withdrawn prefix');
  return size;
}

export function serializeCcpRouteUpdateData(request: CcpRouteUpdateRequest): Uint8Array {
  checkUInt32(request.currentEpochIndex, 'currentEpochIndex');
  checkUInt32(request.fromEpochIndex, 'fromEpochIndex');
  checkUInt32(request.toEpochIndex, 'toEpochIndex');
  checkUInt32(request.holdDownTime, 'holdDownTime');
  const writer = new Writer(updateSize(request));
  writeUuid(writer, request.routingTableId, 'routingTableId');
  writer.writeUInt32(request.currentEpochIndex, 'currentEpochIndex');
  writer.writeUInt32(request.fromEpochIndex, 'fromEpochIndex');
  writer.writeUInt32(request.toEpochIndex, 'toEpochIndex');
  writer.writeUInt32(request.holdDownTime, 'holdDownTime');
  writer.writeVarAscii(request.speaker, 'speaker');
  writer.writeVarUInt(BigInt(request.newRoutes.length));
  for (const route of request.newRoutes) {
    writer.writeVarAscii(route.prefix, 'prefix');
    writer.writeVarUInt(BigInt(route.path.length));
    for (const hop of route.path) writer.writeVarAscii(hop, 'path');
    writer.writeOctets(route.auth, AUTH_LENGTH, 'auth');
    writer.writeVarUInt(BigInt(route.props.length));
    for (const prop of route.props) {
      writer.writeUInt8(propMeta(prop), 'prop meta');
      writer.writeUInt16(prop.id, 'prop id');
      writer.writeVarOctetString(prop.value, 'prop value');
    }
  }
  writer.writeVarUInt(BigInt(request.withdrawnRoutes.length));
  for (const prefix of request.withdrawnRoutes) writer.writeVarAscii(prefix, 'withdrawn prefix');
  return writer.finish();
}

export function deserializeCcpRouteUpdateData(
  data: Uint8Array,
  options?: DecodeOptions,
): CcpRouteUpdateRequest {
  const reader = new Reader(data);
  const routingTableId = readUuid(reader, 'routingTableId');
  const currentEpochIndex = reader.readUInt32('currentEpochIndex');
  const fromEpochIndex = reader.readUInt32('fromEpochIndex');
  const toEpochIndex = reader.readUInt32('toEpochIndex');
  const holdDownTime = reader.readUInt32('holdDownTime');
  const speaker = reader.readVarAscii('speaker');
  const routeCount = readCount(reader, 'newRoutes');
  const newRoutes: CcpRoute[] = [];
  for (let r = 0; r < routeCount; r++) {
    const prefix = reader.readVarAscii('prefix');
    const pathLength = readCount(reader, 'path');
    const path: string[] = [];
    for (let i = 0; i < pathLength; i++) path.push(reader.readVarAscii('path'));
    const auth = reader.readOctets(AUTH_LENGTH, 'auth');
    const propCount = readCount(reader, 'props');
    const props: CcpRouteProp[] = [];
    for (let i = 0; i < propCount; i++) {
      const meta = reader.readUInt8('prop meta');
      const id = reader.readUInt16('prop id');
      const value = reader.readVarOctetString('prop value');
      props.push({
        isOptional: (meta & 0x80) !== 0,
        isTransitive: (meta & 0x40) !== 0,
        isPartial: (meta & 0x20) !== 0,
        isUtf8: (meta & 0x10) !== 0,
        id,
        value,
      });
    }
    newRoutes.push({ prefix, path, auth, props });
  }
  const withdrawnCount = readCount(reader, 'withdrawnRoutes');
  const withdrawnRoutes: string[] = [];
  for (let i = 0; i < withdrawnCount; i++)
    withdrawnRoutes.push(reader.readVarAscii('withdrawn prefix'));
  finishDecode(reader, options, 'CCP route update request');
  return {
    routingTableId,
    currentEpochIndex,
    fromEpochIndex,
    toEpochIndex,
    holdDownTime,
    speaker,
    newRoutes,
    withdrawnRoutes,
  };
}

// ---------------------------------------------------------------- ILP packets

export interface CcpRequestOptions {
  /** Clock (ms); default Date.now(). */
  now?: number;
  /** Explicit expiry; default now + 60 s. */
  expiresAt?: Date;
}

function peerPrepare(
  destination: string,
  data: Uint8Array,
  options: CcpRequestOptions,
): IlpPrepare {
  return {
    type: IlpPacketType.Prepare,
    amount: 0n,
    expiresAt: options.expiresAt ?? new Date((options.now ?? Date.now()) + CCP_REQUEST_EXPIRY_MS),
    executionCondition: PEER_PROTOCOL_CONDITION,
    destination,
    data,
  };
}

export function ccpRouteControlPrepare(
  request: CcpRouteControlRequest,
  options: CcpRequestOptions = {},
): IlpPrepare {
  return peerPrepare(CCP_CONTROL_DESTINATION, serializeCcpRouteControlData(request), options);
}

export function ccpRouteUpdatePrepare(
  request: CcpRouteUpdateRequest,
  options: CcpRequestOptions = {},
): IlpPrepare {
  return peerPrepare(CCP_UPDATE_DESTINATION, serializeCcpRouteUpdateData(request), options);
}

export function serializeCcpRouteControlRequest(
  request: CcpRouteControlRequest,
  options: CcpRequestOptions = {},
): Uint8Array {
  return serializePrepare(ccpRouteControlPrepare(request, options));
}

export function serializeCcpRouteUpdateRequest(
  request: CcpRouteUpdateRequest,
  options: CcpRequestOptions = {},
): Uint8Array {
  return serializePrepare(ccpRouteUpdatePrepare(request, options));
}

export interface CcpParseOptions extends DecodeOptions {
  /** Clock (ms) for the expiry check; default Date.now(). */
  now?: number;
}

function checkPeerPrepare(
  prepare: IlpPrepare,
  destination: string,
  what: string,
  now: number | undefined,
): void {
  if (prepare.destination !== destination) {
    throw new IlpError(IlpErrorCode.F01_INVALID_PACKET, `packet is not a CCP ${what}.`);
  }
  if (!constantTimeEqual(prepare.executionCondition, PEER_PROTOCOL_CONDITION)) {
    throw new IlpError(
      IlpErrorCode.F01_INVALID_PACKET,
      'packet does not contain correct condition for a peer protocol request.',
    );
  }
  if ((now ?? Date.now()) > prepare.expiresAt.getTime()) {
    throw new IlpError(IlpErrorCode.R00_TRANSFER_TIMED_OUT, `CCP ${what} packet is expired.`);
  }
}

/** Checks a received Prepare is a route control request and decodes its payload. */
export function parseCcpRouteControlPrepare(
  prepare: IlpPrepare,
  options: CcpParseOptions = {},
): CcpRouteControlRequest {
  checkPeerPrepare(prepare, CCP_CONTROL_DESTINATION, 'route control request', options.now);
  return deserializeCcpRouteControlData(prepare.data, options);
}

/** Checks a received Prepare is a route update request and decodes its payload. */
export function parseCcpRouteUpdatePrepare(
  prepare: IlpPrepare,
  options: CcpParseOptions = {},
): CcpRouteUpdateRequest {
  checkPeerPrepare(prepare, CCP_UPDATE_DESTINATION, 'route update request', options.now);
  return deserializeCcpRouteUpdateData(prepare.data, options);
}

export function deserializeCcpRouteControlRequest(
  bytes: Uint8Array,
  options: CcpParseOptions = {},
): CcpRouteControlRequest {
  return parseCcpRouteControlPrepare(deserializePrepare(bytes, options), options);
}

export function deserializeCcpRouteUpdateRequest(
  bytes: Uint8Array,
  options: CcpParseOptions = {},
): CcpRouteUpdateRequest {
  return parseCcpRouteUpdatePrepare(deserializePrepare(bytes, options), options);
}

/** The answer to every accepted CCP request: zero fulfillment, empty data. */
export function ccpResponseFulfill(): IlpFulfill {
  return {
    type: IlpPacketType.Fulfill,
    fulfillment: PEER_PROTOCOL_FULFILLMENT,
    data: new Uint8Array(0),
  };
}

export function serializeCcpResponse(): Uint8Array {
  return serializeFulfill(ccpResponseFulfill());
}

/** True for a Fulfill carrying the peer-protocol (all-zero) fulfillment. */
export function isPeerProtocolFulfill(reply: {
  type: IlpPacketType;
  fulfillment?: Uint8Array;
}): boolean {
  return (
    reply.type === IlpPacketType.Fulfill &&
    reply.fulfillment !== undefined &&
    constantTimeEqual(reply.fulfillment, PEER_PROTOCOL_FULFILLMENT)
  );
}
