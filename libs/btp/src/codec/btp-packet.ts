/**
 * BTP 2.0 packet codec (RFC 23): `type` UInt8 · `requestId` UInt32 · the type-specific
 * fields and `protocolData`, together wrapped in one var-octet-string.
 *
 * The encoder validates every field while predicting the size, then writes into one buffer
 * of exactly that size. The decoder is strict (canonical lengths and counts, no trailing
 * bytes, no duplicate sub-protocol names, no types 3/4/5) and throws only `CodecError`.
 * Pure: no Node-only imports, so the browser client can use it too.
 */
import * as ilpCore from '@tollgate/ilp-core';
import type { Reader as ReaderType, Writer as WriterType } from '@tollgate/ilp-core';
import {
  BtpDecodeOptions,
  BtpErrorPacket,
  BtpPacket,
  BtpPacketType,
  BtpProtocolData,
  MAX_ERROR_DATA_LENGTH,
} from './btp-packet-types';

// Bound once: CommonJS transforms (swc, esbuild) turn each use of an imported name into a
// getter call, which shows on the per-packet path.
const {
  CodecError,
  CodecErrorCode,
  Reader,
  Writer,
  MAX_UINT64,
  generalizedTimeSize,
  lengthDeterminantSize,
  varOctetStringSize,
} = ilpCore;

const ERROR_CODE_LENGTH = 3;
/** Name length prefix + contentType + data length prefix: the smallest possible entry. */
const MIN_ENTRY_SIZE = 3;
/** Below this many entries a nested loop finds duplicate names faster than a Set. */
const SMALL_ENTRY_COUNT = 8;

const UNUSED_TYPES: Record<number, string> = { 3: 'Prepare', 4: 'Fulfill', 5: 'Reject' };

function invalidInput(message: string): ilpCore.CodecError {
  return new CodecError(CodecErrorCode.InvalidInput, message);
}

function checkAscii(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw invalidInput(`${field} must be a string`);
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) {
      throw new CodecError(
        CodecErrorCode.InvalidAscii,
        `${field}: character ${i} is not IA5 (ASCII)`,
      );
    }
  }
}

function checkUInt(value: unknown, max: number, field: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new CodecError(
      CodecErrorCode.ValueOutOfRange,
      `${field} ${String(value)} is not in 0..${max}`,
    );
  }
}

function checkBytes(value: unknown, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidInput(`${field} must be a Uint8Array`);
}

function duplicateName(name: string): ilpCore.CodecError {
  return new CodecError(
    CodecErrorCode.InvalidInput,
    `protocolData: duplicate sub-protocol name ${JSON.stringify(name)}`,
  );
}

/** RFC 23: names are unique within a packet. Throws on the first repeat. */
function checkUniqueNames(entries: readonly BtpProtocolData[]): void {
  const n = entries.length;
  if (n < 2) return;
  if (n <= SMALL_ENTRY_COUNT) {
    for (let i = 1; i < n; i++) {
      const name = entries[i].protocolName;
      for (let j = 0; j < i; j++) if (entries[j].protocolName === name) throw duplicateName(name);
    }
    return;
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.protocolName)) throw duplicateName(entry.protocolName);
    seen.add(entry.protocolName);
  }
}

/** Bytes of the VarUInt holding a SEQUENCE OF count. */
function countSize(count: number): number {
  let bytes = 1;
  for (let v = count; v >= 0x100; v = Math.floor(v / 0x100)) bytes++;
  return 1 + bytes;
}

function protocolDataSize(entries: readonly BtpProtocolData[]): number {
  if (!Array.isArray(entries)) throw invalidInput('protocolData must be an array');
  let size = countSize(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry === null || typeof entry !== 'object') {
      throw invalidInput(`protocolData[${i}] must be an object`);
    }
    checkAscii(entry.protocolName, `protocolData[${i}].protocolName`);
    checkUInt(entry.contentType, 0xff, `protocolData[${i}].contentType`);
    checkBytes(entry.data, `protocolData[${i}].data`);
    size +=
      varOctetStringSize(entry.protocolName.length) + 1 + varOctetStringSize(entry.data.length);
  }
  checkUniqueNames(entries);
  return size;
}

function errorFieldsSize(packet: BtpErrorPacket): number {
  const { code, name, triggeredAt, data } = packet;
  checkAscii(code, 'code');
  if (code.length !== ERROR_CODE_LENGTH) {
    throw new CodecError(
      CodecErrorCode.InvalidErrorCode,
      `code must be 3 IA5 characters, got ${JSON.stringify(code)}`,
    );
  }
  checkAscii(name, 'name');
  if (!(triggeredAt instanceof Date)) {
    throw new CodecError(CodecErrorCode.InvalidTimestamp, 'triggeredAt must be a Date');
  }
  checkBytes(data, 'data');
  if (data.length > MAX_ERROR_DATA_LENGTH) {
    throw new CodecError(
      CodecErrorCode.DataTooLong,
      `Error data is ${data.length} bytes, more than ${MAX_ERROR_DATA_LENGTH}`,
    );
  }
  return (
    ERROR_CODE_LENGTH +
    varOctetStringSize(name.length) +
    generalizedTimeSize(triggeredAt) +
    varOctetStringSize(data.length)
  );
}

/** Size of the wrapped contents (type-specific fields + protocolData); validates every field. */
function contentLength(packet: BtpPacket): number {
  if (packet === null || typeof packet !== 'object') throw invalidInput('packet must be an object');
  checkUInt(packet.requestId, 0xffff_ffff, 'requestId');
  let fields: number;
  switch (packet.type) {
    case BtpPacketType.Response:
    case BtpPacketType.Message:
      fields = 0;
      break;
    case BtpPacketType.Transfer: {
      const amount: unknown = packet.amount;
      if (typeof amount !== 'bigint' || amount < 0n) {
        throw new CodecError(CodecErrorCode.InvalidAmount, 'amount must be a non-negative bigint');
      }
      if (amount > MAX_UINT64) {
        throw new CodecError(CodecErrorCode.AmountOverflow, `amount ${amount} exceeds 2^64 - 1`);
      }
      fields = 8;
      break;
    }
    case BtpPacketType.Error:
      fields = errorFieldsSize(packet);
      break;
    default:
      throw new CodecError(
        CodecErrorCode.UnknownPacketType,
        `type ${String((packet as { type: unknown }).type)} is not a BTP 2.0 packet type`,
      );
  }
  return fields + protocolDataSize(packet.protocolData);
}

/** Exact encoded size of `packet`; throws CodecError for any invalid field. */
export function btpPacketSize(packet: BtpPacket): number {
  const content = contentLength(packet);
  return 1 + 4 + lengthDeterminantSize(content) + content;
}

function writeProtocolData(writer: WriterType, entries: readonly BtpProtocolData[]): void {
  const count = entries.length;
  const out = writer.bytes;
  let o = writer.offset;
  const countBytes = countSize(count) - 1;
  out[o++] = countBytes;
  for (let i = countBytes - 1, v = count; i >= 0; i--, v = Math.floor(v / 0x100)) {
    out[o + i] = v % 0x100;
  }
  writer.offset = o + countBytes;
  for (let i = 0; i < count; i++) {
    const entry = entries[i];
    writer.writeVarAscii(entry.protocolName, 'protocolName');
    out[writer.offset++] = entry.contentType;
    writer.writeVarOctetString(entry.data);
  }
}

/** Encodes `packet` into a new buffer of exactly {@link btpPacketSize} bytes. */
export function serializeBtpPacket(packet: BtpPacket): Uint8Array {
  const content = contentLength(packet);
  const writer = new Writer(1 + 4 + lengthDeterminantSize(content) + content);
  const out = writer.bytes;
  out[writer.offset++] = packet.type;
  writer.writeUInt32(packet.requestId, 'requestId');
  writer.writeLengthDeterminant(content);
  if (packet.type === BtpPacketType.Transfer) {
    writer.writeUInt64(packet.amount, 'amount');
  } else if (packet.type === BtpPacketType.Error) {
    const o = writer.offset;
    for (let i = 0; i < ERROR_CODE_LENGTH; i++) out[o + i] = packet.code.charCodeAt(i);
    writer.offset = o + ERROR_CODE_LENGTH;
    writer.writeVarAscii(packet.name, 'name');
    writer.writeGeneralizedTime(packet.triggeredAt);
    writer.writeVarOctetString(packet.data);
  }
  writeProtocolData(writer, packet.protocolData);
  return writer.finish();
}

/**
 * The SEQUENCE OF count: a VarUInt in its minimal form. A count that the remaining bytes
 * cannot hold is rejected before any entry is read.
 */
function readCount(reader: ReaderType): number {
  const start = reader.offset;
  const length = reader.readLength('protocolData count');
  const bytes = reader.bytes;
  const o = reader.offset;
  if (length === 0) {
    throw new CodecError(
      CodecErrorCode.InvalidVarUInt,
      'protocolData count: zero-length VarUInt',
      start,
    );
  }
  if (length > 1 && bytes[o] === 0) {
    throw new CodecError(
      CodecErrorCode.InvalidVarUInt,
      'protocolData count: VarUInt with a leading zero byte',
      start,
    );
  }
  if (length > 6) {
    throw new CodecError(
      CodecErrorCode.Truncated,
      `protocolData count: a ${length}-byte count cannot fit in the packet`,
      start,
    );
  }
  let count = 0;
  for (let i = 0; i < length; i++) count = count * 0x100 + bytes[o + i];
  reader.offset = o + length;
  if (count * MIN_ENTRY_SIZE > reader.remaining) {
    throw new CodecError(
      CodecErrorCode.Truncated,
      `protocolData count ${count} needs at least ${count * MIN_ENTRY_SIZE} bytes, only ${reader.remaining} left`,
      start,
    );
  }
  return count;
}

function readProtocolData(reader: ReaderType): BtpProtocolData[] {
  const count = readCount(reader);
  const entries: BtpProtocolData[] = new Array<BtpProtocolData>(count);
  for (let i = 0; i < count; i++) {
    const protocolName = reader.readVarAscii('protocolName');
    const contentType = reader.readUInt8('contentType');
    const data = reader.readVarOctetString('protocolData data');
    entries[i] = { protocolName, contentType, data };
  }
  checkUniqueNames(entries);
  return entries;
}

function readErrorCode(reader: ReaderType): string {
  const o = reader.offset;
  const code = reader.readOctets(ERROR_CODE_LENGTH, 'code');
  if ((code[0] | code[1] | code[2]) > 0x7f) {
    throw new CodecError(CodecErrorCode.InvalidAscii, 'code: not IA5 (ASCII)', o);
  }
  return String.fromCharCode(code[0], code[1], code[2]);
}

/**
 * Decodes one BTP packet (one WebSocket binary message). Byte fields are views into
 * `bytes`. Throws only CodecError and never reads outside `bytes`.
 */
export function deserializeBtpPacket(bytes: Uint8Array, options?: BtpDecodeOptions): BtpPacket {
  if (!(bytes instanceof Uint8Array)) throw invalidInput('BTP packet must be a Uint8Array');
  const strict = options?.allowTrailingBytes !== true;
  const outer = new Reader(bytes);
  const type = outer.readUInt8('type');
  if (
    type !== BtpPacketType.Response &&
    type !== BtpPacketType.Error &&
    type !== BtpPacketType.Message &&
    type !== BtpPacketType.Transfer
  ) {
    const old = UNUSED_TYPES[type];
    throw new CodecError(
      CodecErrorCode.UnknownPacketType,
      old === undefined
        ? `type ${type} is not a BTP packet type (1, 2, 6, 7)`
        : `type ${type} (${old}) is not used in BTP 2.0`,
      0,
    );
  }
  const requestId = outer.readUInt32('requestId');
  const length = outer.readLength('packet length');
  const start = outer.offset;
  const end = start + length;
  if (strict && end !== bytes.length) {
    throw new CodecError(
      CodecErrorCode.TrailingBytes,
      `${bytes.length - end} unexpected bytes after the BTP packet`,
      end,
    );
  }
  const reader = new Reader(bytes, start, end);
  let packet: BtpPacket;
  switch (type) {
    case BtpPacketType.Response:
    case BtpPacketType.Message:
      packet = { type, requestId, protocolData: readProtocolData(reader) };
      break;
    case BtpPacketType.Transfer: {
      const amount = reader.readUInt64('amount');
      packet = { type, requestId, amount, protocolData: readProtocolData(reader) };
      break;
    }
    case BtpPacketType.Error: {
      const code = readErrorCode(reader);
      const name = reader.readVarAscii('name');
      const triggeredAt = reader.readGeneralizedTime('triggeredAt');
      const data = reader.readVarOctetString('Error data');
      if (data.length > MAX_ERROR_DATA_LENGTH) {
        throw new CodecError(
          CodecErrorCode.DataTooLong,
          `Error data is ${data.length} bytes, more than ${MAX_ERROR_DATA_LENGTH}`,
          reader.offset - data.length,
        );
      }
      const protocolData = readProtocolData(reader);
      packet = { type, requestId, code, name, triggeredAt, data, protocolData };
      break;
    }
  }
  if (strict) reader.assertEnd('BTP packet data');
  return packet;
}
