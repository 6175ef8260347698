/** ILP Reject (type 14): code (3 ASCII), triggeredBy, message (UTF-8), data. */
import * as codecErrorModule from '../errors/codec-error';
import * as bytesModule from '../oer/bytes';
import type { Reader } from '../oer/reader';
import * as sizeModule from '../oer/size';
import * as envelopeModule from './envelope';
import * as fieldChecksModule from './field-checks';
import * as ilpPacketTypesModule from './ilp-packet-types';
import type { DecodeOptions, IlpReject, IlpRejectInput } from './ilp-packet-types';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { CodecError, CodecErrorCode } = codecErrorModule;
const { asciiToString, decodeUtf8, EMPTY_BYTES } = bytesModule;
const { varOctetStringSize } = sizeModule;
const { checkInput, closeEnvelope, envelopeWriter, openEnvelope, unexpectedType } = envelopeModule;
const {
  checkAddress,
  checkAddressBytes,
  checkAddressType,
  checkData,
  checkErrorCode,
  checkMessage,
  readErrorCode,
  ERROR_CODE_LENGTH,
  MAX_DATA_LENGTH,
  MAX_MESSAGE_LENGTH,
  writeAddressField,
} = fieldChecksModule;
const { IlpPacketType } = ilpPacketTypesModule;

function contentLength(reject: IlpRejectInput, messageLength: number): number {
  return (
    ERROR_CODE_LENGTH +
    varOctetStringSize(reject.triggeredBy.length) +
    varOctetStringSize(messageLength) +
    varOctetStringSize((reject.data ?? EMPTY_BYTES).length)
  );
}

/** Body size of a Reject; also validates every field (throws CodecError). */
export function rejectContentLength(reject: IlpRejectInput): number {
  checkErrorCode(reject.code);
  checkAddress(reject.triggeredBy, 'triggeredBy', true);
  const messageLength = checkMessage(reject.message);
  checkData(reject.data ?? EMPTY_BYTES);
  return contentLength(reject, messageLength);
}

export function writeReject(
  reject: IlpRejectInput,
  target?: Uint8Array,
  offset?: number,
): Uint8Array {
  checkErrorCode(reject.code);
  checkAddressType(reject.triggeredBy, 'triggeredBy'); // content checked while copying
  const messageLength = checkMessage(reject.message);
  const data = reject.data ?? EMPTY_BYTES;
  checkData(data);
  const length = contentLength(reject, messageLength);
  const writer = envelopeWriter(IlpPacketType.Reject, length, target, offset);
  const b = writer.bytes;
  const o = writer.offset;
  b[o] = reject.code.charCodeAt(0);
  b[o + 1] = reject.code.charCodeAt(1);
  b[o + 2] = reject.code.charCodeAt(2);
  writer.offset = o + ERROR_CODE_LENGTH;
  writer.offset = writeAddressField(b, writer.offset, reject.triggeredBy, 'triggeredBy', true);
  writer.writeVarUtf8(reject.message, 'message', messageLength);
  writer.writeVarOctetString(data);
  return writer.finish();
}

/** Encodes a Reject into a new buffer of exactly the right size. */
export function serializeReject(reject: IlpRejectInput): Uint8Array {
  return writeReject(reject);
}

export function readRejectBody(reader: Reader, options: DecodeOptions | undefined): IlpReject {
  reader.ensure(ERROR_CODE_LENGTH, 'code');
  const bytes = reader.bytes;
  const codeStart = reader.offset;
  const code = readErrorCode(bytes, codeStart);
  reader.offset = codeStart + ERROR_CODE_LENGTH;

  const triggeredByLength = reader.readLength('triggeredBy');
  const start = reader.offset;
  checkAddressBytes(bytes, start, start + triggeredByLength, 'triggeredBy', true);
  reader.offset = start + triggeredByLength;
  const triggeredBy = asciiToString(bytes, start, start + triggeredByLength);

  const messageLength = reader.readLength('message');
  const messageStart = reader.offset;
  if (messageLength > MAX_MESSAGE_LENGTH) {
    throw new CodecError(
      CodecErrorCode.MessageTooLong,
      `message is ${messageLength} bytes, more than ${MAX_MESSAGE_LENGTH}`,
      messageStart,
    );
  }
  reader.offset = messageStart + messageLength;
  const message = decodeUtf8(bytes, messageStart, messageStart + messageLength, 'message');

  const data = reader.readVarOctetString('data');
  if (data.length > MAX_DATA_LENGTH) {
    throw new CodecError(
      CodecErrorCode.DataTooLong,
      `data is ${data.length} bytes, more than ${MAX_DATA_LENGTH}`,
      reader.offset - data.length,
    );
  }
  closeEnvelope(reader, options, 'Reject');
  return { type: IlpPacketType.Reject, code, triggeredBy, message, data };
}

/** Decodes a Reject; `data` is a view into `bytes`. Throws only CodecError. */
export function deserializeReject(bytes: Uint8Array, options?: DecodeOptions): IlpReject {
  checkInput(bytes);
  if (bytes[0] !== IlpPacketType.Reject) throw unexpectedType(bytes[0], IlpPacketType.Reject);
  return readRejectBody(openEnvelope(bytes, options), options);
}
