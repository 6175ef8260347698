/**
 * ilp-core codec throughput, ours beside `ilp-packet` (the JS reference) in one process.
 * Each row: both codecs warmed up, then alternating timed samples of the same length; the
 * figure is the median ops/s. Every result feeds a checksum so no work can be optimised
 * away. Run alone with `npx tsx bench/ilp-core.bench.ts`.
 */
import * as ilpPacket from 'ilp-packet';
import * as ilpCore from '@tollgate/ilp-core';
import type { IlpFulfill, IlpPrepare, IlpReject } from '@tollgate/ilp-core';
import { BenchRow, median, row, runIfMain } from './bench-row';

// Both libraries' functions are bound to locals once, so neither side pays for module
// plumbing (tsx compiles each use of an imported name into getter calls).
const {
  deserializeFulfill,
  deserializePrepare,
  deserializeReject,
  serializeFulfill,
  serializeIlpPacketInto,
  serializePrepare,
  serializeReject,
} = ilpCore;
const reference = {
  serializeIlpPrepare: ilpPacket.serializeIlpPrepare,
  deserializeIlpPrepare: ilpPacket.deserializeIlpPrepare,
  serializeIlpFulfill: ilpPacket.serializeIlpFulfill,
  deserializeIlpFulfill: ilpPacket.deserializeIlpFulfill,
  serializeIlpReject: ilpPacket.serializeIlpReject,
  deserializeIlpReject: ilpPacket.deserializeIlpReject,
};

const SAMPLES = 7;
const SAMPLE_MS = 60;
const WARMUP_MS = 150;

/** Sum of bytes and lengths seen, printed at the end so the JIT must compute everything. */
let checksum = 0;

type Op = () => number;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `op` `count` times; returns elapsed milliseconds. */
function timed(op: Op, count: number): number {
  let sum = 0;
  const start = now();
  for (let i = 0; i < count; i++) sum += op();
  const elapsed = now() - start;
  checksum = (checksum + sum) | 0;
  return elapsed;
}

/** Iterations of `op` that take about `ms`. */
function calibrate(op: Op, ms: number): number {
  let count = 16;
  for (;;) {
    const elapsed = timed(op, count);
    if (elapsed >= ms / 4) return Math.max(1, Math.round((count * ms) / elapsed));
    count *= 2;
  }
}

function compare(name: string, ours: Op, ref: Op): BenchRow {
  // warm-up both (JIT, inline caches), then size the samples
  timed(ours, calibrate(ours, WARMUP_MS / 3));
  timed(ref, calibrate(ref, WARMUP_MS / 3));
  const oursCount = calibrate(ours, SAMPLE_MS);
  const refCount = calibrate(ref, SAMPLE_MS);
  const oursRates: number[] = [];
  const refRates: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    // alternate which goes first so drift (thermal, GC) hits both evenly
    if (i % 2 === 0) {
      oursRates.push(oursCount / (timed(ours, oursCount) / 1000));
      refRates.push(refCount / (timed(ref, refCount) / 1000));
    } else {
      refRates.push(refCount / (timed(ref, refCount) / 1000));
      oursRates.push(oursCount / (timed(ours, oursCount) / 1000));
    }
  }
  return row(name, 'ops/s', median(oursRates), median(refRates));
}

/** Ours only, for operations ilp-packet has no counterpart for. */
function alone(name: string, ours: Op): BenchRow {
  timed(ours, calibrate(ours, WARMUP_MS / 3));
  const count = calibrate(ours, SAMPLE_MS);
  const rates: number[] = [];
  for (let i = 0; i < SAMPLES; i++) rates.push(count / (timed(ours, count) / 1000));
  return row(name, 'ops/s', median(rates), null);
}

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const SIZES: [string, number][] = [
  ['0B', 0],
  ['1KB', 1024],
  ['32KB', 32_767], // the largest data an ILP packet may carry
];

function prepareRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const [label, size] of SIZES) {
    const ours: IlpPrepare = {
      type: 12,
      amount: 1_234_567_890n,
      expiresAt: new Date('2030-01-02T03:04:05.678Z'),
      executionCondition: pseudoRandomBytes(32, 7),
      destination: 'g.us.acmebank.acmecorp.sales.199.~ipr.cdfa5e16',
      data: pseudoRandomBytes(size, 11),
    };
    const ref: ilpPacket.IlpPrepare = {
      amount: ours.amount.toString(),
      expiresAt: ours.expiresAt,
      executionCondition: asBuffer(ours.executionCondition),
      destination: ours.destination,
      data: asBuffer(ours.data),
    };
    const encodedOurs = serializePrepare(ours);
    const encodedRef = reference.serializeIlpPrepare(ref);
    if (!asBuffer(encodedOurs).equals(encodedRef))
      throw new Error(`prepare ${label}: encodings differ`);
    rows.push(
      compare(
        `ilp prepare encode ${label}`,
        () => {
          const out = serializePrepare(ours);
          return out[out.length - 1] + out.length;
        },
        () => {
          const out = reference.serializeIlpPrepare(ref);
          return out[out.length - 1] + out.length;
        },
      ),
    );
    rows.push(
      compare(
        `ilp prepare decode ${label}`,
        () => {
          const p = deserializePrepare(encodedOurs);
          return (
            Number(p.amount & 0xffn) + p.expiresAt.getTime() + p.destination.length + p.data.length
          );
        },
        () => {
          const p = reference.deserializeIlpPrepare(encodedRef);
          return p.amount.length + p.expiresAt.getTime() + p.destination.length + p.data.length;
        },
      ),
    );
    if (size > 1024) {
      // The 32 KB encode is bound by allocating and first touching 32 KB of fresh memory
      // (both libraries pay it). Encoding into a reused buffer (e.g. a transport frame)
      // shows what the codec itself costs; ilp-packet has no such API.
      const target = new Uint8Array(encodedOurs.length);
      rows.push(
        alone(`ilp prepare encodeInto ${label} (reused buffer)`, () => {
          const written = serializeIlpPacketInto(ours, target, 0);
          return target[written - 1] + written;
        }),
      );
    }
  }
  return rows;
}

function replyRows(): BenchRow[] {
  const fulfill: IlpFulfill = {
    type: 13,
    fulfillment: pseudoRandomBytes(32, 3),
    data: new Uint8Array(0),
  };
  const refFulfill: ilpPacket.IlpFulfill = {
    fulfillment: asBuffer(fulfill.fulfillment),
    data: Buffer.alloc(0),
  };
  const reject: IlpReject = {
    type: 14,
    code: 'F02',
    triggeredBy: 'g.us.acmebank.connector',
    message: 'no route found. source=g.us.acmebank destination=g.eu.bank.bob',
    data: new Uint8Array(0),
  };
  const refReject: ilpPacket.IlpReject = { ...reject, data: Buffer.alloc(0) };
  const fulfillBytes = serializeFulfill(fulfill);
  const rejectBytes = serializeReject(reject);
  if (!asBuffer(fulfillBytes).equals(reference.serializeIlpFulfill(refFulfill))) {
    throw new Error('fulfill: encodings differ');
  }
  if (!asBuffer(rejectBytes).equals(reference.serializeIlpReject(refReject))) {
    throw new Error('reject: encodings differ');
  }
  const refFulfillBytes = asBuffer(fulfillBytes);
  const refRejectBytes = asBuffer(rejectBytes);
  return [
    compare(
      'ilp fulfill encode 0B',
      () => serializeFulfill(fulfill)[5],
      () => reference.serializeIlpFulfill(refFulfill)[5],
    ),
    compare(
      'ilp fulfill decode 0B',
      () => deserializeFulfill(fulfillBytes).fulfillment[3],
      () => reference.deserializeIlpFulfill(refFulfillBytes).fulfillment[3],
    ),
    compare(
      'ilp reject encode 0B',
      () => serializeReject(reject)[9],
      () => reference.serializeIlpReject(refReject)[9],
    ),
    compare(
      'ilp reject decode 0B',
      () => {
        const r = deserializeReject(rejectBytes);
        return r.code.length + r.triggeredBy.length + r.message.length;
      },
      () => {
        const r = reference.deserializeIlpReject(refRejectBytes);
        return r.code.length + r.triggeredBy.length + r.message.length;
      },
    ),
  ];
}

export async function runIlpCoreBench(): Promise<BenchRow[]> {
  const rows = [...prepareRows(), ...replyRows()];
  if (checksum === 0x7fffffff) process.stderr.write('(checksum collision)\n');
  return rows;
}

runIfMain(module, runIlpCoreBench);
