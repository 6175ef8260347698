/**
 * The ILP envelope: `type` (UInt8) then the body as a var-octet-string. Readers for the
 * three packet bodies get a {@link Reader} bounded to the body, so no field can run into
 * the bytes after it.
 */
import * as codecErrorModule from '../errors/codec-error';
import * as readerModule from '../oer/reader';
import * as sizeModule from '../oer/size';
import * as writerModule from '../oer/writer';
import type { DecodeOptions, IlpPacketType } from './ilp-packet-types';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { CodecError, CodecErrorCode } = codecErrorModule;
const { Reader } = readerModule;
const { lengthDeterminantSize } = sizeModule;
const { Writer } = writerModule;
type CodecError = codecErrorModule.CodecError;
type Reader = readerModule.Reader;
type Writer = writerModule.Writer;

const TYPE_NAMES: Record<number, string> = { 12: 'Prepare', 13: 'Fulfill', 14: 'Reject' };

/** Total packet size for a body of `contentLength` bytes. */
export function envelopeSize(contentLength: number): number {
  return 1 + lengthDeterminantSize(contentLength) + contentLength;
}

/** A writer positioned at the start of the body, over a buffer sized for the whole packet. */
export function envelopeWriter(
  type: IlpPacketType,
  contentLength: number,
  target?: Uint8Array,
  offset = 0,
): Writer {
  const size = envelopeSize(contentLength);
  const writer = target === undefined ? new Writer(size) : new Writer(target, offset, size);
  writer.bytes[writer.offset++] = type;
  writer.writeLengthDeterminant(contentLength);
  return writer;
}

export function checkInput(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new CodecError(CodecErrorCode.InvalidInput, 'packet must be a Uint8Array');
  }
  if (bytes.length === 0) {
    throw new CodecError(CodecErrorCode.Truncated, 'empty input: no packet type', 0);
  }
}

export function unexpectedType(type: number, expected?: IlpPacketType): CodecError {
  const got = TYPE_NAMES[type] ?? `unknown type ${type}`;
  return new CodecError(
    CodecErrorCode.UnknownPacketType,
    expected === undefined
      ? `${got}: not an ILP packet (12 Prepare, 13 Fulfill, 14 Reject)`
      : `expected ${TYPE_NAMES[expected]} (${expected}), got ${got}`,
    0,
  );
}

/** Checks the envelope of `bytes` (type already checked) and returns a reader over the body. */
export function openEnvelope(bytes: Uint8Array, options: DecodeOptions | undefined): Reader {
  const reader = new Reader(bytes, 1);
  const length = reader.readLength('packet length');
  const end = reader.offset + length;
  if (end !== bytes.length && options?.allowTrailingBytes !== true) {
    throw new CodecError(
      CodecErrorCode.TrailingBytes,
      `${bytes.length - end} unexpected bytes after the ${TYPE_NAMES[bytes[0]]} envelope`,
      end,
    );
  }
  reader.narrow(length);
  return reader;
}

/** After the last field: reject leftover body bytes unless the caller allows them. */
export function closeEnvelope(
  reader: Reader,
  options: DecodeOptions | undefined,
  what: string,
): void {
  if (options?.allowTrailingBytes !== true) reader.assertEnd(what);
}
