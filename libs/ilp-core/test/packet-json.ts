/**
 * Test-only conversions between the vector files' JSON packets and ours, and a comparison
 * that reports binary fields as hex (readable diffs).
 */
import { expect } from 'vitest';
import { IlpPacket, IlpPacketType } from '../src/index';
import { hex, PacketJson, unbase64, unhex } from './vectors';

export type BinaryEncoding = 'hex' | 'base64';

function bin(value: string | undefined, encoding: BinaryEncoding): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  return encoding === 'hex' ? unhex(value) : unbase64(value);
}

/** Builds our packet object from a vector's `json` (binary fields in `encoding`). */
export function packetFromJson(
  type: number,
  json: PacketJson,
  encoding: BinaryEncoding,
): IlpPacket {
  switch (type) {
    case IlpPacketType.Prepare:
      return {
        type: IlpPacketType.Prepare,
        amount: BigInt(json.amount as string),
        expiresAt: new Date(json.expiresAt as string),
        executionCondition: bin(json.executionCondition, encoding),
        destination: json.destination as string,
        data: bin(json.data, encoding),
      };
    case IlpPacketType.Fulfill:
      return {
        type: IlpPacketType.Fulfill,
        fulfillment: bin(json.fulfillment, encoding),
        data: bin(json.data, encoding),
      };
    case IlpPacketType.Reject:
      return {
        type: IlpPacketType.Reject,
        code: json.code as string,
        triggeredBy: json.triggeredBy as string,
        message: json.message as string,
        data: bin(json.data, encoding),
      };
    default:
      throw new Error(`not a packet type: ${type}`);
  }
}

/** A packet as plain JSON with hex binaries and string amounts, for deep equality. */
export function comparable(packet: IlpPacket): Record<string, unknown> {
  switch (packet.type) {
    case IlpPacketType.Prepare:
      return {
        type: packet.type,
        amount: packet.amount.toString(),
        expiresAt: packet.expiresAt.toISOString(),
        executionCondition: hex(packet.executionCondition),
        destination: packet.destination,
        data: hex(packet.data),
      };
    case IlpPacketType.Fulfill:
      return { type: packet.type, fulfillment: hex(packet.fulfillment), data: hex(packet.data) };
    case IlpPacketType.Reject:
      return {
        type: packet.type,
        code: packet.code,
        triggeredBy: packet.triggeredBy,
        message: packet.message,
        data: hex(packet.data),
      };
  }
}

export function expectSamePacket(actual: IlpPacket, expected: IlpPacket): void {
  expect(comparable(actual)).toEqual(comparable(expected));
}
