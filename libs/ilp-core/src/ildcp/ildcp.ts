/**
 * ILDCP (RFC 31): a child asks its parent for its ILP address and the link's asset.
 * Request = Prepare of 0 to `peer.config` with the peer-protocol condition and empty data;
 * response = Fulfill of 32 zero bytes whose data is
 * clientAddress (var IA5) ‖ assetScale (UInt8) ‖ assetCode (var UTF-8).
 */
import { assertIlpAddress } from '../address/ilp-address';
import { constantTimeEqual } from '../condition/condition';
import { PEER_CONDITION_INTERNAL, PEER_FULFILLMENT_INTERNAL } from '../condition/peer-protocol';
import { CodecError, CodecErrorCode } from '../errors/codec-error';
import { IlpError, IlpErrorCode } from '../errors/ilp-error-codes';
import { asciiToString, EMPTY_BYTES, utf8Length } from '../oer/bytes';
import { Reader } from '../oer/reader';
import { varOctetStringSize } from '../oer/size';
import { Writer } from '../oer/writer';
import { checkAddressBytes } from '../packet/field-checks';
import { deserializeFulfill, serializeFulfill } from '../packet/fulfill';
import { DecodeOptions, IlpFulfill, IlpPacketType, IlpPrepare } from '../packet/ilp-packet-types';
import { serializePrepare } from '../packet/prepare';

export const ILDCP_DESTINATION = 'peer.config';
/** Default request lifetime (what the reference client uses). */
export const ILDCP_REQUEST_EXPIRY_MS = 60_000;

export interface IldcpResponse {
  /** The address the parent assigns to the child. */
  clientAddress: string;
  /** 0..255: amounts on the link are in units of 10^-assetScale of assetCode. */
  assetScale: number;
  /** Asset code, e.g. `USD` (UTF-8). */
  assetCode: string;
}

export interface IldcpRequestOptions {
  /** Current time (ms or Date); default `Date.now()`. */
  now?: number | Date;
  /** Explicit expiry; default now + 60 s. */
  expiresAt?: Date;
}

function nowMs(now: number | Date | undefined): number {
  if (now === undefined) return Date.now();
  return typeof now === 'number' ? now : now.getTime();
}

/** The ILDCP request as a Prepare object. */
export function ildcpRequest(options: IldcpRequestOptions = {}): IlpPrepare {
  return {
    type: IlpPacketType.Prepare,
    amount: 0n,
    expiresAt: options.expiresAt ?? new Date(nowMs(options.now) + ILDCP_REQUEST_EXPIRY_MS),
    executionCondition: PEER_CONDITION_INTERNAL.slice(),
    destination: ILDCP_DESTINATION,
    data: EMPTY_BYTES,
  };
}

/** The ILDCP request as packet bytes. */
export function serializeIldcpRequest(options: IldcpRequestOptions = {}): Uint8Array {
  return serializePrepare(ildcpRequest(options));
}

export interface IldcpValidationOptions {
  /** Current time (ms or Date); default `Date.now()`. Tests freeze it here. */
  now?: number | Date;
  /** This node's address, for the errors' triggeredBy (default: the caller fills it in). */
  triggeredBy?: string;
}

/**
 * Server-side check of an incoming ILDCP request. Returns `null` when it is one, else the
 * IlpError to answer with:
 * - destination not exactly `peer.config` → F01 "packet is not an IL-DCP request."
 * - condition not SHA-256(0^32) → F01 (as ilp-connector does for every `peer.*` packet)
 * - now later than expiresAt → R00 "IL-DCP request packet is expired."
 */
export function validateIldcpRequest(
  prepare: IlpPrepare,
  options: IldcpValidationOptions = {},
): IlpError | null {
  const errorOptions = { triggeredBy: options.triggeredBy };
  if (prepare.destination !== ILDCP_DESTINATION) {
    return new IlpError(
      IlpErrorCode.F01_INVALID_PACKET,
      'packet is not an IL-DCP request.',
      errorOptions,
    );
  }
  if (!constantTimeEqual(prepare.executionCondition, PEER_CONDITION_INTERNAL)) {
    return new IlpError(
      IlpErrorCode.F01_INVALID_PACKET,
      'packet does not contain correct condition for a peer protocol request.',
      errorOptions,
    );
  }
  if (nowMs(options.now) > prepare.expiresAt.getTime()) {
    return new IlpError(
      IlpErrorCode.R00_TRANSFER_TIMED_OUT,
      'IL-DCP request packet is expired.',
      errorOptions,
    );
  }
  return null;
}

function checkResponse(response: IldcpResponse): number {
  assertIlpAddress(response.clientAddress, 'clientAddress');
  const scale = response.assetScale;
  if (!Number.isInteger(scale) || scale < 0 || scale > 255) {
    throw new CodecError(CodecErrorCode.ValueOutOfRange, `assetScale ${scale} is not in 0..255`);
  }
  if (typeof response.assetCode !== 'string') {
    throw new CodecError(CodecErrorCode.InvalidInput, 'assetCode must be a string');
  }
  return utf8Length(response.assetCode, 'assetCode');
}

/** The response's data field (clientAddress ‖ assetScale ‖ assetCode). */
export function serializeIldcpResponseData(response: IldcpResponse): Uint8Array {
  const codeLength = checkResponse(response);
  const writer = new Writer(
    varOctetStringSize(response.clientAddress.length) + 1 + varOctetStringSize(codeLength),
  );
  writer.writeVarAscii(response.clientAddress, 'clientAddress');
  writer.writeUInt8(response.assetScale, 'assetScale');
  writer.writeVarUtf8(response.assetCode, 'assetCode', codeLength);
  return writer.finish();
}

/** Decodes the response data field. Throws only CodecError. */
export function deserializeIldcpResponseData(
  data: Uint8Array,
  options?: DecodeOptions,
): IldcpResponse {
  const reader = new Reader(data);
  const addressLength = reader.readLength('clientAddress');
  const start = reader.offset;
  checkAddressBytes(data, start, start + addressLength, 'clientAddress', false);
  reader.offset = start + addressLength;
  const clientAddress = asciiToString(data, start, start + addressLength);
  const assetScale = reader.readUInt8('assetScale');
  const assetCode = reader.readVarUtf8('assetCode');
  if (options?.allowTrailingBytes !== true) reader.assertEnd('ILDCP response data');
  return { clientAddress, assetScale, assetCode };
}

/** The response as a Fulfill object (zero fulfillment). */
export function ildcpResponseFulfill(response: IldcpResponse): IlpFulfill {
  return {
    type: IlpPacketType.Fulfill,
    fulfillment: PEER_FULFILLMENT_INTERNAL.slice(),
    data: serializeIldcpResponseData(response),
  };
}

/** The response as Fulfill packet bytes. */
export function serializeIldcpResponse(response: IldcpResponse): Uint8Array {
  return serializeFulfill(ildcpResponseFulfill(response));
}

/**
 * Decodes a Fulfill packet carrying an ILDCP response. A fulfillment other than 32 zero
 * bytes is rejected (UnexpectedFulfillment). Throws only CodecError.
 */
export function deserializeIldcpResponse(
  bytes: Uint8Array,
  options?: DecodeOptions,
): IldcpResponse {
  const fulfill = deserializeFulfill(bytes, options);
  if (!constantTimeEqual(fulfill.fulfillment, PEER_FULFILLMENT_INTERNAL)) {
    throw new CodecError(
      CodecErrorCode.UnexpectedFulfillment,
      'IL-DCP response does not contain the expected fulfillment (32 zero bytes)',
    );
  }
  return deserializeIldcpResponseData(fulfill.data, options);
}
