/**
 * The BTP authentication message (RFC 23 §"Authentication"): the first Message on every
 * connection, primary sub-protocol `auth` (octet-stream, empty), then `auth_username` and
 * `auth_token` as text/plain, in that order. `auth_username` is not in RFC 23's text: it is
 * the ilp-plugin-btp convention (from the deprecated RFC 10 URI scheme) and is optional when
 * reading.
 */
import { BtpErrorCode, BtpProtocolError } from './btp-error-codes';
import {
  BtpContentType,
  BtpMessagePacket,
  BtpPacket,
  BtpPacketType,
  BtpProtocolData,
} from './btp-packet-types';
import { findProtocolData, readProtocolDataText, textProtocolData } from './protocol-data';

export const AUTH_PROTOCOL_NAME = 'auth';
export const AUTH_USERNAME_PROTOCOL_NAME = 'auth_username';
export const AUTH_TOKEN_PROTOCOL_NAME = 'auth_token';

export interface BtpAuthCredentials {
  /** Sent as `auth_username` when defined (also when empty, as ilp-plugin-btp does). */
  username?: string;
  /** Sent as `auth_token`; may be empty but is always present. */
  token: string;
}

/** What a server reads from an auth Message. */
export interface BtpAuthRequest {
  /** Undefined when the client sent no `auth_username` entry. */
  username: string | undefined;
  token: string;
}

/** The sub-protocols of the auth message: auth, auth_username (if defined), auth_token. */
export function authProtocolData(credentials: BtpAuthCredentials): BtpProtocolData[] {
  const protocolData: BtpProtocolData[] = [
    {
      protocolName: AUTH_PROTOCOL_NAME,
      contentType: BtpContentType.ApplicationOctetStream,
      data: new Uint8Array(0),
    },
  ];
  if (credentials.username !== undefined) {
    protocolData.push(textProtocolData(AUTH_USERNAME_PROTOCOL_NAME, credentials.username));
  }
  protocolData.push(textProtocolData(AUTH_TOKEN_PROTOCOL_NAME, credentials.token));
  return protocolData;
}

/** The auth Message with the given request id. */
export function authMessage(requestId: number, credentials: BtpAuthCredentials): BtpMessagePacket {
  return { type: BtpPacketType.Message, requestId, protocolData: authProtocolData(credentials) };
}

function notAccepted(reason: string): BtpProtocolError {
  return new BtpProtocolError(BtpErrorCode.F00_NOT_ACCEPTED, reason);
}

/**
 * The credentials in the first packet of a connection. Throws a {@link BtpProtocolError}
 * F00 NotAcceptedError naming the problem when it is not a valid auth Message. Comparing
 * the token (timing-safe) is the caller's job.
 */
export function readAuthMessage(packet: BtpPacket): BtpAuthRequest {
  if (packet.type !== BtpPacketType.Message) {
    throw notAccepted('first packet on a BTP connection must be the auth Message');
  }
  const entries = packet.protocolData;
  if (entries.length === 0 || entries[0].protocolName !== AUTH_PROTOCOL_NAME) {
    throw notAccepted('primary sub-protocol of the first Message must be auth');
  }
  const tokenEntry = findProtocolData(entries, AUTH_TOKEN_PROTOCOL_NAME);
  if (tokenEntry === undefined) throw notAccepted('auth_token sub-protocol is required');
  const usernameEntry = findProtocolData(entries, AUTH_USERNAME_PROTOCOL_NAME);
  try {
    return {
      token: readProtocolDataText(tokenEntry),
      username: usernameEntry === undefined ? undefined : readProtocolDataText(usernameEntry),
    };
  } catch {
    throw new BtpProtocolError(
      BtpErrorCode.F01_INVALID_FIELDS,
      'auth_token and auth_username must be UTF-8 text',
    );
  }
}
