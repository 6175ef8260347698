/**
 * Test-only loader for the shared protocol vectors and the mapping from their BTP JSON form
 * (`{ type, requestId, data: { ... } }`, binary fields in hex) to our flat packet objects.
 */
import type { BtpPacket } from '../src/codec/btp-packet-types';
import { unhex } from '../../../protocol/test-vectors';

export { hex, loadVectors, unhex, VECTORS_DIR } from '../../../protocol/test-vectors';

export interface BtpVectorJson {
  type: number;
  requestId: number;
  data: {
    amount?: string;
    code?: string;
    name?: string;
    triggeredAt?: string;
    data?: string;
    protocolData: { protocolName: string; contentType: number; data: string }[];
  };
}

export interface BtpVector {
  name: string;
  kind?: string;
  json: BtpVectorJson;
  hex: string;
}

export interface NegativeVector {
  name: string;
  hex: string;
}

/** `YYYYMMDDHHmmss[.fff]Z` as written in the vectors, to a Date. */
export function generalizedTimeToDate(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?Z$/.exec(text);
  if (!m) throw new Error(`bad GeneralizedTime in vector: ${text}`);
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
}

export function packetFromVector(json: BtpVectorJson): BtpPacket {
  const protocolData = json.data.protocolData.map((p) => ({
    protocolName: p.protocolName,
    contentType: p.contentType,
    data: unhex(p.data),
  }));
  switch (json.type) {
    case 1:
      return { type: 1, requestId: json.requestId, protocolData };
    case 6:
      return { type: 6, requestId: json.requestId, protocolData };
    case 7:
      return {
        type: 7,
        requestId: json.requestId,
        amount: BigInt(json.data.amount!),
        protocolData,
      };
    case 2:
      return {
        type: 2,
        requestId: json.requestId,
        code: json.data.code!,
        name: json.data.name!,
        triggeredAt: generalizedTimeToDate(json.data.triggeredAt!),
        data: unhex(json.data.data!),
        protocolData,
      };
    default:
      throw new Error(`vector type ${json.type}`);
  }
}
