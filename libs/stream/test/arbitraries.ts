/** fast-check arbitraries for STREAM packets and frames (valid by construction). */
import { IlpPacketType, MAX_UINT64 } from '@tollgate/ilp-core';
import fc from 'fast-check';
import { Frame, FrameType } from '../src/packet/frames';
import { StreamPacket } from '../src/packet/stream-packet';

const u64 = fc.oneof(
  fc.constantFrom(0n, 1n, 255n, 256n, 2n ** 53n - 1n, MAX_UINT64),
  fc.bigInt({ min: 0n, max: MAX_UINT64 }),
);
const u8 = fc.integer({ min: 0, max: 255 });
const text = fc.string({ maxLength: 40, unit: 'grapheme' });
const ascii = fc.string({
  maxLength: 40,
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const bytes = fc.uint8Array({ maxLength: 300 });

export const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({
    type: fc.constant(FrameType.ConnectionClose as const),
    errorCode: u8,
    errorMessage: text,
  }),
  fc.record({ type: fc.constant(FrameType.ConnectionNewAddress as const), sourceAddress: ascii }),
  fc.record({ type: fc.constant(FrameType.ConnectionMaxData as const), maxOffset: u64 }),
  fc.record({ type: fc.constant(FrameType.ConnectionDataBlocked as const), maxOffset: u64 }),
  fc.record({ type: fc.constant(FrameType.ConnectionMaxStreamId as const), maxStreamId: u64 }),
  fc.record({ type: fc.constant(FrameType.ConnectionStreamIdBlocked as const), maxStreamId: u64 }),
  fc.record({
    type: fc.constant(FrameType.ConnectionAssetDetails as const),
    sourceAssetCode: text,
    sourceAssetScale: u8,
  }),
  fc.record({
    type: fc.constant(FrameType.StreamClose as const),
    streamId: u64,
    errorCode: u8,
    errorMessage: text,
  }),
  fc.record({ type: fc.constant(FrameType.StreamMoney as const), streamId: u64, shares: u64 }),
  fc.record({
    type: fc.constant(FrameType.StreamMaxMoney as const),
    streamId: u64,
    receiveMax: u64,
    totalReceived: u64,
  }),
  fc.record({
    type: fc.constant(FrameType.StreamMoneyBlocked as const),
    streamId: u64,
    sendMax: u64,
    totalSent: u64,
  }),
  fc.record({
    type: fc.constant(FrameType.StreamData as const),
    streamId: u64,
    offset: u64,
    data: bytes,
  }),
  fc.record({ type: fc.constant(FrameType.StreamMaxData as const), streamId: u64, maxOffset: u64 }),
  fc.record({
    type: fc.constant(FrameType.StreamDataBlocked as const),
    streamId: u64,
    maxOffset: u64,
  }),
  fc.record({ type: fc.constant(FrameType.StreamReceipt as const), streamId: u64, receipt: bytes }),
) as fc.Arbitrary<Frame>;

export const packetArb: fc.Arbitrary<StreamPacket> = fc.record({
  sequence: u64,
  ilpPacketType: fc.constantFrom(
    IlpPacketType.Prepare,
    IlpPacketType.Fulfill,
    IlpPacketType.Reject,
  ),
  prepareAmount: u64,
  frames: fc.array(frameArb, { maxLength: 12 }),
});
