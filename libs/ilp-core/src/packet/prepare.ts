/** ILP Prepare (type 12): amount, expiresAt, executionCondition, destination, data. */
import * as codecErrorModule from '../errors/codec-error';
import * as bytesModule from '../oer/bytes';
import type { Reader } from '../oer/reader';
import * as sizeModule from '../oer/size';
import * as timestampModule from '../oer/timestamp';
import * as envelopeModule from './envelope';
import * as fieldChecksModule from './field-checks';
import * as ilpPacketTypesModule from './ilp-packet-types';
import type { DecodeOptions, IlpPrepare, IlpPrepareInput } from './ilp-packet-types';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { CodecError, CodecErrorCode } = codecErrorModule;
const { asciiToString } = bytesModule;
const { checkUInt64, varOctetStringSize } = sizeModule;
const { ILP_TIMESTAMP_LENGTH } = timestampModule;
const { checkInput, closeEnvelope, envelopeWriter, openEnvelope, unexpectedType } = envelopeModule;
const {
  checkAddress,
  checkAddressBytes,
  checkAddressType,
  checkData,
  checkFixed,
  CONDITION_LENGTH,
  MAX_DATA_LENGTH,
  writeAddressField,
} = fieldChecksModule;
const { IlpPacketType } = ilpPacketTypesModule;

/** Body size of a Prepare. Checks the fields; the address only by type unless `full`. */
export function prepareContentLength(prepare: IlpPrepareInput, full = true): number {
  checkUInt64(prepare.amount, 'amount');
  checkFixed(prepare.executionCondition, CONDITION_LENGTH, 'executionCondition');
  if (full) checkAddress(prepare.destination, 'destination', false);
  else checkAddressType(prepare.destination, 'destination');
  checkData(prepare.data);
  return (
    8 +
    ILP_TIMESTAMP_LENGTH +
    CONDITION_LENGTH +
    varOctetStringSize(prepare.destination.length) +
    varOctetStringSize(prepare.data.length)
  );
}

export function writePrepare(
  prepare: IlpPrepareInput,
  target?: Uint8Array,
  offset?: number,
): Uint8Array {
  // the destination is validated while it is copied (one pass), the rest up front
  const length = prepareContentLength(prepare, false);
  const writer = envelopeWriter(IlpPacketType.Prepare, length, target, offset);
  writer.writeUInt64(prepare.amount, 'amount');
  writer.writeIlpTimestamp(prepare.expiresAt, 'expiresAt');
  writer.writeOctets(prepare.executionCondition);
  writer.offset = writeAddressField(
    writer.bytes,
    writer.offset,
    prepare.destination,
    'destination',
    false,
  );
  writer.writeVarOctetString(prepare.data);
  return writer.finish();
}

/** Encodes a Prepare into a new buffer of exactly the right size. */
export function serializePrepare(prepare: IlpPrepareInput): Uint8Array {
  return writePrepare(prepare);
}

export function readPrepareBody(reader: Reader, options: DecodeOptions | undefined): IlpPrepare {
  const amount = reader.readUInt64('amount');
  const expiresAt = reader.readIlpTimestamp('expiresAt');
  const executionCondition = reader.readOctets(CONDITION_LENGTH, 'executionCondition');
  const destinationLength = reader.readLength('destination');
  const start = reader.offset;
  checkAddressBytes(reader.bytes, start, start + destinationLength, 'destination', false);
  reader.offset = start + destinationLength;
  const destination = asciiToString(reader.bytes, start, start + destinationLength);
  const data = reader.readVarOctetString('data');
  if (data.length > MAX_DATA_LENGTH) {
    throw new CodecError(
      CodecErrorCode.DataTooLong,
      `data is ${data.length} bytes, more than ${MAX_DATA_LENGTH}`,
      reader.offset - data.length,
    );
  }
  closeEnvelope(reader, options, 'Prepare');
  return { type: IlpPacketType.Prepare, amount, expiresAt, executionCondition, destination, data };
}

/**
 * Decodes a Prepare. `executionCondition` and `data` are views into `bytes` (zero-copy).
 * Throws only CodecError.
 */
export function deserializePrepare(bytes: Uint8Array, options?: DecodeOptions): IlpPrepare {
  checkInput(bytes);
  if (bytes[0] !== IlpPacketType.Prepare) throw unexpectedType(bytes[0], IlpPacketType.Prepare);
  return readPrepareBody(openEnvelope(bytes, options), options);
}
