/**
 * Sizes and media types of ILP over HTTP, derived from the RFC 27 field limits so the server
 * can refuse an oversized body before buffering it and the client can cap what it reads.
 */
import {
  ILP_TIMESTAMP_LENGTH,
  lengthDeterminantSize,
  MAX_ADDRESS_LENGTH,
  MAX_DATA_LENGTH,
  MAX_MESSAGE_LENGTH,
  varOctetStringSize,
} from '@tollgate/ilp-core';

const AMOUNT_LENGTH = 8;
const CONDITION_LENGTH = 32;
const FULFILLMENT_LENGTH = 32;
const ERROR_CODE_LENGTH = 3;

function envelope(contentLength: number): number {
  return 1 + lengthDeterminantSize(contentLength) + contentLength;
}

/**
 * Largest valid ILP Prepare: 1023-byte destination and 32767 bytes of data
 * (1 + 3 + 8 + 17 + 32 + (3 + 1023) + (3 + 32767) = 33857 bytes). Any request body above
 * this cannot be a Prepare, so the server answers 413 without reading further.
 */
export const MAX_PREPARE_SIZE = envelope(
  AMOUNT_LENGTH +
    ILP_TIMESTAMP_LENGTH +
    CONDITION_LENGTH +
    varOctetStringSize(MAX_ADDRESS_LENGTH) +
    varOctetStringSize(MAX_DATA_LENGTH),
);

/**
 * Largest valid reply: a Reject with a 1023-byte triggeredBy, an 8191-byte message and
 * 32767 bytes of data (41997 bytes) — larger than the largest Fulfill (32806 bytes).
 */
export const MAX_REPLY_SIZE = Math.max(
  envelope(
    ERROR_CODE_LENGTH +
      varOctetStringSize(MAX_ADDRESS_LENGTH) +
      varOctetStringSize(MAX_MESSAGE_LENGTH) +
      varOctetStringSize(MAX_DATA_LENGTH),
  ),
  envelope(FULFILLMENT_LENGTH + varOctetStringSize(MAX_DATA_LENGTH)),
);

/** The body type RFC 35 uses in both directions. */
export const ILP_CONTENT_TYPE = 'application/octet-stream';

/**
 * Request body types the server accepts: RFC 35's, and the one ilp-plugin-http (1.6) sends
 * (`application/ilp+octet-stream`), so the reference plugin can peer with us.
 */
export const ACCEPTED_CONTENT_TYPES: readonly string[] = [
  ILP_CONTENT_TYPE,
  'application/ilp+octet-stream',
];

/** Implementation convention (ilp-plugin-http, interledger-relay), not in any RFC. */
export const PEER_NAME_HEADER = 'ILP-Peer-Name';
