/** Encoded size of a packet, computed without encoding it. */
import { envelopeSize } from './envelope';
import { fulfillContentLength } from './fulfill';
import { IlpPacketInput, IlpPacketType } from './ilp-packet-types';
import { prepareContentLength } from './prepare';
import { rejectContentLength } from './reject';
import { CodecError, CodecErrorCode } from '../errors/codec-error';

/** Encoded size of any packet in bytes; validates the packet (throws CodecError). */
export function ilpPacketSize(packet: IlpPacketInput): number {
  switch (packet?.type) {
    case IlpPacketType.Prepare:
      return envelopeSize(prepareContentLength(packet));
    case IlpPacketType.Fulfill:
      return envelopeSize(fulfillContentLength(packet));
    case IlpPacketType.Reject:
      return envelopeSize(rejectContentLength(packet));
    default:
      throw new CodecError(CodecErrorCode.UnknownPacketType, 'packet has no valid type');
  }
}
