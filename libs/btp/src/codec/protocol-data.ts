/**
 * Helpers for the sub-protocol entries (`protocolData`) of BTP packets: the `ilp` entry that
 * carries ILPv4 packets (RFC 23 §"ILP over BTP") and UTF-8 text entries.
 */
import { CodecError, CodecErrorCode } from '@tollgate/ilp-core';
import { BtpContentType, BtpProtocolData } from './btp-packet-types';

/** Sub-protocol carrying an ILPv4 packet (octet-stream). */
export const ILP_PROTOCOL_NAME = 'ilp';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The entry called `name`, or undefined. */
export function findProtocolData(
  entries: readonly BtpProtocolData[],
  name: string,
): BtpProtocolData | undefined {
  for (let i = 0; i < entries.length; i++) if (entries[i].protocolName === name) return entries[i];
  return undefined;
}

/** The protocolData of a Message or Response carrying one ILP packet. */
export function ilpProtocolData(ilpPacket: Uint8Array): BtpProtocolData[] {
  return [
    {
      protocolName: ILP_PROTOCOL_NAME,
      contentType: BtpContentType.ApplicationOctetStream,
      data: ilpPacket,
    },
  ];
}

/** The ILP packet in `entries` (the `ilp` entry wherever it is), or undefined. */
export function readIlpProtocolData(entries: readonly BtpProtocolData[]): Uint8Array | undefined {
  // the primary entry is by far the common case
  if (entries.length > 0 && entries[0].protocolName === ILP_PROTOCOL_NAME) return entries[0].data;
  return findProtocolData(entries, ILP_PROTOCOL_NAME)?.data;
}

/** A text/plain (UTF-8) entry. */
export function textProtocolData(protocolName: string, text: string): BtpProtocolData {
  return {
    protocolName,
    contentType: BtpContentType.TextPlainUtf8,
    data: utf8Encoder.encode(text),
  };
}

/** The data of `entry` as strict UTF-8, whatever its content type; CodecError if invalid. */
export function readProtocolDataText(entry: BtpProtocolData): string {
  try {
    return utf8Decoder.decode(entry.data);
  } catch {
    throw new CodecError(CodecErrorCode.InvalidUtf8, `${entry.protocolName}: invalid UTF-8`);
  }
}
