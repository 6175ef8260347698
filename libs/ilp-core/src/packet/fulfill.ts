/** ILP Fulfill (type 13): fulfillment (32 bytes), data. */
import * as codecErrorModule from '../errors/codec-error';
import * as bytesModule from '../oer/bytes';
import type { Reader } from '../oer/reader';
import * as sizeModule from '../oer/size';
import * as envelopeModule from './envelope';
import * as fieldChecksModule from './field-checks';
import * as ilpPacketTypesModule from './ilp-packet-types';
import type { DecodeOptions, IlpFulfill, IlpFulfillInput } from './ilp-packet-types';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { CodecError, CodecErrorCode } = codecErrorModule;
const { EMPTY_BYTES } = bytesModule;
const { varOctetStringSize } = sizeModule;
const { checkInput, closeEnvelope, envelopeWriter, openEnvelope, unexpectedType } = envelopeModule;
const { checkData, checkFixed, FULFILLMENT_LENGTH, MAX_DATA_LENGTH } = fieldChecksModule;
const { IlpPacketType } = ilpPacketTypesModule;

/** Body size of a Fulfill; also validates every field (throws CodecError). */
export function fulfillContentLength(fulfill: IlpFulfillInput): number {
  checkFixed(fulfill.fulfillment, FULFILLMENT_LENGTH, 'fulfillment');
  const data = fulfill.data ?? EMPTY_BYTES;
  checkData(data);
  return FULFILLMENT_LENGTH + varOctetStringSize(data.length);
}

export function writeFulfill(
  fulfill: IlpFulfillInput,
  target?: Uint8Array,
  offset?: number,
): Uint8Array {
  const writer = envelopeWriter(
    IlpPacketType.Fulfill,
    fulfillContentLength(fulfill),
    target,
    offset,
  );
  writer.writeOctets(fulfill.fulfillment);
  writer.writeVarOctetString(fulfill.data ?? EMPTY_BYTES);
  return writer.finish();
}

/** Encodes a Fulfill into a new buffer of exactly the right size. */
export function serializeFulfill(fulfill: IlpFulfillInput): Uint8Array {
  return writeFulfill(fulfill);
}

export function readFulfillBody(reader: Reader, options: DecodeOptions | undefined): IlpFulfill {
  const fulfillment = reader.readOctets(FULFILLMENT_LENGTH, 'fulfillment');
  const data = reader.readVarOctetString('data');
  if (data.length > MAX_DATA_LENGTH) {
    throw new CodecError(
      CodecErrorCode.DataTooLong,
      `data is ${data.length} bytes, more than ${MAX_DATA_LENGTH}`,
      reader.offset - data.length,
    );
  }
  closeEnvelope(reader, options, 'Fulfill');
  return { type: IlpPacketType.Fulfill, fulfillment, data };
}

/** Decodes a Fulfill; `fulfillment` and `data` are views into `bytes`. Throws only CodecError. */
export function deserializeFulfill(bytes: Uint8Array, options?: DecodeOptions): IlpFulfill {
  checkInput(bytes);
  if (bytes[0] !== IlpPacketType.Fulfill) throw unexpectedType(bytes[0], IlpPacketType.Fulfill);
  return readFulfillBody(openEnvelope(bytes, options), options);
}
