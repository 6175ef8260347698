/** Any ILP packet: dispatch on the type byte / the `type` tag. */
import * as envelopeModule from './envelope';
import * as fulfillModule from './fulfill';
import * as ilpPacketTypesModule from './ilp-packet-types';
import type { DecodeOptions, IlpPacket, IlpPacketInput, IlpReply } from './ilp-packet-types';
import * as packetSizeModule from './packet-size';
import * as prepareModule from './prepare';
import * as rejectModule from './reject';
import * as codecErrorModule from '../errors/codec-error';

// Names used per packet are bound to module locals once. TS-to-CommonJS transforms such as
// esbuild (tsx) and swc (vitest) turn every use of an imported name into getter calls, which
// is measurable on the packet hot path; a local binding is a plain variable.
const { checkInput, openEnvelope, unexpectedType } = envelopeModule;
const { readFulfillBody, writeFulfill } = fulfillModule;
const { IlpPacketType } = ilpPacketTypesModule;
const { ilpPacketSize } = packetSizeModule;
const { readPrepareBody, writePrepare } = prepareModule;
const { readRejectBody, writeReject } = rejectModule;
const { CodecError, CodecErrorCode } = codecErrorModule;

function write(packet: IlpPacketInput, target?: Uint8Array, offset?: number): Uint8Array {
  switch (packet?.type) {
    case IlpPacketType.Prepare:
      return writePrepare(packet, target, offset);
    case IlpPacketType.Fulfill:
      return writeFulfill(packet, target, offset);
    case IlpPacketType.Reject:
      return writeReject(packet, target, offset);
    default:
      throw new CodecError(
        CodecErrorCode.UnknownPacketType,
        `cannot serialize packet of type ${String((packet as { type?: unknown } | undefined)?.type)}`,
      );
  }
}

/** Encodes any ILP packet (chosen by its `type`) into a new buffer. */
export function serializeIlpPacket(packet: IlpPacketInput): Uint8Array {
  return write(packet);
}

/**
 * Encodes `packet` into `target` at `offset` (e.g. straight into a transport frame) and
 * returns the number of bytes written; use {@link ilpPacketSize} to size `target`. Throws
 * CodecError if the packet is invalid or does not fit.
 */
export function serializeIlpPacketInto(
  packet: IlpPacketInput,
  target: Uint8Array,
  offset = 0,
): number {
  const size = ilpPacketSize(packet);
  if (!(target instanceof Uint8Array) || offset < 0 || offset + size > target.length) {
    throw new CodecError(
      CodecErrorCode.InvalidInput,
      `target has no room for ${size} bytes at ${offset}`,
    );
  }
  write(packet, target, offset);
  return size;
}

/**
 * Decodes any ILP packet into the discriminated union; binary fields are views into
 * `bytes`. Throws only CodecError, whatever the input.
 */
export function deserializeIlpPacket(bytes: Uint8Array, options?: DecodeOptions): IlpPacket {
  checkInput(bytes);
  switch (bytes[0]) {
    case IlpPacketType.Prepare:
      return readPrepareBody(openEnvelope(bytes, options), options);
    case IlpPacketType.Fulfill:
      return readFulfillBody(openEnvelope(bytes, options), options);
    case IlpPacketType.Reject:
      return readRejectBody(openEnvelope(bytes, options), options);
    default:
      throw unexpectedType(bytes[0]);
  }
}

/** Decodes a Fulfill or a Reject (what comes back for a Prepare). */
export function deserializeIlpReply(bytes: Uint8Array, options?: DecodeOptions): IlpReply {
  checkInput(bytes);
  switch (bytes[0]) {
    case IlpPacketType.Fulfill:
      return readFulfillBody(openEnvelope(bytes, options), options);
    case IlpPacketType.Reject:
      return readRejectBody(openEnvelope(bytes, options), options);
    default:
      throw new CodecError(
        CodecErrorCode.UnknownPacketType,
        `expected Fulfill (13) or Reject (14), got type ${bytes[0]}`,
        0,
      );
  }
}
