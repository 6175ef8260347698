/**
 * @tollgate/btp — Bilateral Transfer Protocol 2.0 (RFC 23) over WebSocket (`ws`).
 *
 * - Codec: Response / Error / Message / Transfer packets with their sub-protocol entries,
 *   strict and allocation-sized (`serializeBtpPacket` / `deserializeBtpPacket`). Pure, no
 *   Node-only imports (the browser client reuses it).
 * - ILP over BTP: ILPv4 packets ride in a Message whose primary sub-protocol is `ilp`; the
 *   reply comes back in a Response with `ilp`. BTP Errors are link failures, not Rejects.
 * - Authentication: the first Message carries `auth` (empty), `auth_username` and
 *   `auth_token` (text). `auth_username` is the ilp-plugin-btp convention, not RFC 23 text;
 *   it is sent always and optional when read.
 * - `BtpServer` (mounted on an existing HTTP server via `handleUpgrade`), `BtpClient`
 *   (`btp+ws://user:token@host/path`, reconnecting), both handing out `BtpConnection`s:
 *   counter request ids, per-tick write batching, keep-alive, IlpError-typed failures.
 */

// codec
export {
  BtpContentType,
  BtpPacketType,
  MAX_ERROR_DATA_LENGTH,
  isBtpError,
  isBtpMessage,
  isBtpRequest,
  isBtpResponse,
  isBtpTransfer,
  type BtpDecodeOptions,
  type BtpErrorPacket,
  type BtpMessagePacket,
  type BtpPacket,
  type BtpProtocolData,
  type BtpReplyPacket,
  type BtpRequestPacket,
  type BtpResponsePacket,
  type BtpTransferPacket,
} from './codec/btp-packet-types';
export { btpPacketSize, deserializeBtpPacket, serializeBtpPacket } from './codec/btp-packet';
export {
  BTP_ERROR_NAMES,
  BtpErrorCode,
  BtpProtocolError,
  isBtpProtocolError,
} from './codec/btp-error-codes';
export {
  ILP_PROTOCOL_NAME,
  findProtocolData,
  ilpProtocolData,
  readIlpProtocolData,
  readProtocolDataText,
  textProtocolData,
} from './codec/protocol-data';
export {
  AUTH_PROTOCOL_NAME,
  AUTH_TOKEN_PROTOCOL_NAME,
  AUTH_USERNAME_PROTOCOL_NAME,
  authMessage,
  authProtocolData,
  readAuthMessage,
  type BtpAuthCredentials,
  type BtpAuthRequest,
} from './codec/btp-auth';

// links
export {
  BTP_CLOSE_REPLACED,
  BtpConnection,
  type BtpCloseInfo,
  type BtpConnectionOptions,
  type BtpIlpHandler,
  type BtpLogLevel,
  type BtpLogger,
  type BtpMessageHandler,
  type BtpTransferHandler,
} from './btp-connection';
export { BtpServer, type BtpServerOptions } from './btp-server';
export { BtpClient, type BtpClientOptions, type BtpDisconnectInfo } from './btp-client';
export { parseBtpUrl, type BtpEndpoint } from './btp-url';
