/**
 * @tollgate/stream — STREAM (RFC 29) with receipts (RFC 39), plain TypeScript for Node and
 * browsers.
 *
 * - Codec: the STREAM packet and its 15 frame types as a discriminated union, paired
 *   `serializeStreamPacket` / `deserializeStreamPacket` (sized once, unknown frames skipped,
 *   saturating VarUInts only where RFC 29 says, ilp-core `CodecError` only).
 * - Crypto: key derivation, AES-256-GCM packets (IV ‖ tag ‖ ciphertext), fulfillments and
 *   conditions, through a small `StreamCrypto` adapter: Web Crypto here, `node:crypto` in
 *   `@tollgate/stream/node` (which browser bundles never import).
 * - `StreamConnection`: money and data streams both ways over any ILP transport
 *   (`sendPrepare` out, `handlePrepare` in), flow control, exchange-rate probing, F08 / T04
 *   handling, `pay()` with a final result, replay protection, closes.
 * - `StreamServer`: stateless addresses and secrets, connection tags, receipts, hooks for
 *   accepting and recording money.
 * - Receipts: create / decode / verify, and a `ReceiptVerifier` that credits increases once.
 */

// codec
export {
  ErrorCode,
  FrameType,
  isConnectionClose,
  isKnownFrameType,
  isStreamClose,
  isStreamData,
  isStreamFrame,
  isStreamMaxMoney,
  isStreamMoney,
  isStreamReceipt,
  type ConnectionAssetDetailsFrame,
  type ConnectionCloseFrame,
  type ConnectionDataBlockedFrame,
  type ConnectionMaxDataFrame,
  type ConnectionMaxStreamIdFrame,
  type ConnectionNewAddressFrame,
  type ConnectionStreamIdBlockedFrame,
  type Frame,
  type StreamCloseFrame,
  type StreamDataBlockedFrame,
  type StreamDataFrame,
  type StreamFrame,
  type StreamMaxDataFrame,
  type StreamMaxMoneyFrame,
  type StreamMoneyBlockedFrame,
  type StreamMoneyFrame,
  type StreamReceiptFrame,
} from './packet/frames';
export {
  STREAM_VERSION,
  deserializeStreamPacket,
  frameSize,
  serializeStreamPacket,
  streamPacketSize,
  type SerializeOptions,
  type StreamPacket,
} from './packet/stream-packet';

// crypto
export {
  ENCRYPTION_OVERHEAD,
  type Awaitable,
  type StreamCrypto,
  type StreamCryptoKey,
} from './crypto/stream-crypto';
export { WebStreamCrypto } from './crypto/web-crypto';
export {
  SHARED_SECRET_LENGTH,
  StreamKeys,
  checkSharedSecret,
  deriveEncryptionKey,
  deriveFulfillmentKey,
} from './crypto/stream-keys';

// errors
export {
  InvalidSharedSecretError,
  ReceiptError,
  StreamProtocolError,
  isReceiptError,
  isStreamProtocolError,
  type ReceiptErrorReason,
} from './errors';

// connection
export {
  MAX_PLAINTEXT_LENGTH,
  StreamConnection,
  type ConnectionEvents,
} from './connection/connection';
export {
  type SendPrepare,
  type ShouldAccept,
  type StreamConnectionOptions,
} from './connection/connection-options';
export { ConnectionStream, type StreamEvents } from './connection/connection-stream';
export {
  type PayOptions,
  type PayProgress,
  type PayReason,
  type PayResult,
} from './sender/payment';
export { type Rational } from './util/rational';

// server
export {
  StreamServer,
  type AddressAndSecret,
  type GenerateOptions,
  type MoneyReceivedEvent,
  type StreamServerOptions,
} from './server/stream-server';

// receipts
export {
  RECEIPT_LENGTH,
  RECEIPT_NONCE_LENGTH,
  RECEIPT_SECRET_LENGTH,
  createReceipt,
  decodeReceipt,
  verifyReceipt,
  type Receipt,
  type ReceiptInput,
} from './receipt/receipt';
export {
  ReceiptVerifier,
  deriveReceiptSecret,
  type ReceiptVerifierOptions,
  type VerifiedReceipt,
} from './receipt/receipt-verifier';
