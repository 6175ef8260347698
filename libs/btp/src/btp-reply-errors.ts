/**
 * What a request fails with when the peer answers it with a BTP Error, shared by the Node
 * connection and the browser client: an IlpError for ILP packets (so a connector or a
 * STREAM sender can treat it like a Reject), the peer's own code for other Messages.
 */
import { IlpError, IlpErrorCode } from '@tollgate/ilp-core';
import { BtpErrorCode, BtpProtocolError } from './codec/btp-error-codes';
import { BtpErrorPacket } from './codec/btp-packet-types';

/** How much of a peer's Error data goes into the message of the error we reject with. */
const MAX_PEER_TEXT = 200;
const lenientDecoder = new TextDecoder();

function peerText(packet: BtpErrorPacket): string {
  const text = lenientDecoder.decode(packet.data.subarray(0, MAX_PEER_TEXT));
  return `peer answered BTP Error ${packet.code} ${packet.name}${text ? `: ${text}` : ''}`;
}

/** F01 for the peer's F01 InvalidFieldsError, F02 for its other F codes, T01 otherwise. */
export function ilpErrorFromBtpError(packet: BtpErrorPacket): IlpError {
  const code = !packet.code.startsWith('F')
    ? IlpErrorCode.T01_PEER_UNREACHABLE
    : packet.code === BtpErrorCode.F01_INVALID_FIELDS
      ? IlpErrorCode.F01_INVALID_PACKET
      : IlpErrorCode.F02_UNREACHABLE;
  return new IlpError(code, peerText(packet));
}

export function protocolErrorFromBtpError(packet: BtpErrorPacket): BtpProtocolError {
  return new BtpProtocolError(
    packet.code,
    peerText(packet),
    packet.name,
    packet.data,
    packet.triggeredAt,
  );
}
