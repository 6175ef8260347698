/**
 * Browser entry of `@tollgate/btp`: the codec and {@link BrowserBtpClient}, nothing that
 * needs `ws` or Node built-ins (the main entry's server and client do), so web bundles
 * import this one.
 */
export {
  BtpContentType,
  BtpPacketType,
  type BtpPacket,
  type BtpProtocolData,
} from './codec/btp-packet-types';
export { deserializeBtpPacket, serializeBtpPacket } from './codec/btp-packet';
export { BtpErrorCode, BtpProtocolError, isBtpProtocolError } from './codec/btp-error-codes';
export {
  BrowserBtpClient,
  type BrowserBtpClientOptions,
  type BrowserIlpHandler,
  type WebSocketFactory,
  type WebSocketLike,
} from './browser-btp-client';
