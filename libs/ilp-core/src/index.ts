/**
 * @tollgate/ilp-core — the Interledger wire layer, plain TypeScript for Node and browsers.
 *
 * - RFC 27 (ILPv4): Prepare / Fulfill / Reject codecs, error codes, F08 data, conditions.
 * - RFC 30 (OER): bounds-checked Reader / Writer, VarUInt, lengths, ILP and BTP timestamps.
 * - RFC 15 (ILP addresses): validation, schemes, segment-aware prefixes.
 * - RFC 31 (ILDCP): request / response codecs and the server-side request check.
 *
 * Amounts are `bigint`; binary values are `Uint8Array`; decoders are zero-copy for byte
 * fields and throw only {@link CodecError}. Node-only synchronous SHA-256 lives in
 * `./node` so browser bundles never pull in `node:crypto`.
 */

// packets
export {
  IlpPacketType,
  isFulfill,
  isPrepare,
  isReject,
  type DecodeOptions,
  type IlpFulfill,
  type IlpFulfillInput,
  type IlpPacket,
  type IlpPacketInput,
  type IlpPrepare,
  type IlpPrepareInput,
  type IlpReject,
  type IlpRejectInput,
  type IlpReply,
} from './packet/ilp-packet-types';
export { deserializePrepare, serializePrepare } from './packet/prepare';
export { deserializeFulfill, serializeFulfill } from './packet/fulfill';
export { deserializeReject, serializeReject } from './packet/reject';
export {
  deserializeIlpPacket,
  deserializeIlpReply,
  serializeIlpPacket,
  serializeIlpPacketInto,
} from './packet/ilp-packet';
export { ilpPacketSize } from './packet/packet-size';
export { MAX_DATA_LENGTH, MAX_MESSAGE_LENGTH } from './packet/field-checks';

// errors
export { CodecError, CodecErrorCode, isCodecError } from './errors/codec-error';
export {
  ILP_ERROR_NAMES,
  IlpError,
  IlpErrorCode,
  ilpErrorClass,
  isIlpError,
  isIlpErrorCode,
  rejectFrom,
  toRejectMessage,
  type IlpErrorClass,
  type IlpErrorOptions,
  type RejectFromOptions,
} from './errors/ilp-error-codes';
export {
  amountTooLargeError,
  deserializeAmountTooLargeData,
  serializeAmountTooLargeData,
  type AmountTooLargeData,
} from './errors/amount-too-large';

// addresses
export {
  MAX_ADDRESS_LENGTH,
  assertIlpAddress,
  childAddress,
  getScheme,
  isPrefixOf,
  isValidAddressSegment,
  isValidIlpAddress,
  longestPrefixMatch,
  type IlpAddressScheme,
} from './address/ilp-address';

// ILDCP and peer protocols
export {
  ILDCP_DESTINATION,
  ILDCP_REQUEST_EXPIRY_MS,
  deserializeIldcpResponse,
  deserializeIldcpResponseData,
  ildcpRequest,
  ildcpResponseFulfill,
  serializeIldcpRequest,
  serializeIldcpResponse,
  serializeIldcpResponseData,
  validateIldcpRequest,
  type IldcpRequestOptions,
  type IldcpResponse,
  type IldcpValidationOptions,
} from './ildcp/ildcp';
export { PEER_PROTOCOL_CONDITION, PEER_PROTOCOL_FULFILLMENT } from './condition/peer-protocol';

// conditions and crypto (async, Web Crypto)
export {
  conditionFromFulfillment,
  constantTimeEqual,
  generateFulfillment,
  verifyFulfillment,
} from './condition/condition';
export { randomBytes, sha256 } from './crypto/sha256';

// OER building blocks for the protocol libraries above this one (BTP, STREAM, CCP)
export { Reader, type VarUIntOptions } from './oer/reader';
export { Writer } from './oer/writer';
export {
  MAX_UINT64,
  generalizedTimeSize,
  lengthDeterminantSize,
  varOctetStringSize,
  varUIntSize,
} from './oer/size';
export { ILP_TIMESTAMP_LENGTH } from './oer/timestamp';
/** UTF-8 size of a string, to size a buffer before writing (lone surrogates refused). */
export { utf8Length } from './oer/bytes';

// encodings
export { fromHex, toHex } from './encoding/hex';
export { fromBase64, toBase64, toBase64Url } from './encoding/base64';
