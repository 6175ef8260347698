/**
 * Reproducible random ILP packets for the interop tests: a seeded xorshift generator, data
 * sizes spanning short and long length forms, amounts across the whole UInt64 range.
 */
import { IlpPacket, IlpPacketType, MAX_UINT64 } from '../src/index';

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor((this.next() / 2 ** 32) * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const v = this.next();
      out[i] = v;
      if (i + 1 < length) out[i + 1] = v >>> 8;
      if (i + 2 < length) out[i + 2] = v >>> 16;
      if (i + 3 < length) out[i + 3] = v >>> 24;
    }
    return out;
  }

  bigUInt64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }
}

const SCHEMES = [
  'g',
  'private',
  'example',
  'peer',
  'self',
  'test',
  'test1',
  'test2',
  'test3',
  'local',
];
const SEGMENT_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~-';

export function randomAddress(r: SeededRandom): string {
  const target = r.int(0, 9) < 8 ? r.int(3, 60) : r.int(100, 1023);
  let address = r.pick(SCHEMES);
  do {
    let segment = '';
    const length = r.int(1, Math.min(40, Math.max(1, target - address.length - 1)));
    for (let i = 0; i < length; i++) segment += SEGMENT_CHARS[r.int(0, SEGMENT_CHARS.length - 1)];
    address += '.' + segment;
  } while (address.length < target);
  return address.length > 1023 ? address.slice(0, 1023).replace(/\.+$/, '') : address;
}

function randomDataLength(r: SeededRandom): number {
  const roll = r.int(0, 99);
  if (roll < 45) return r.int(0, 127);
  if (roll < 85) return r.int(128, 2047);
  return r.int(2048, 32_767);
}

function randomAmount(r: SeededRandom): bigint {
  switch (r.int(0, 5)) {
    case 0:
      return 0n;
    case 1:
      return MAX_UINT64;
    case 2:
      return BigInt(r.int(0, 1_000_000));
    case 3:
      return BigInt(r.next()) * BigInt(r.int(0, 0x1f_ffff)); // below ~2^53
    default:
      return r.bigUInt64();
  }
}

function randomMessage(r: SeededRandom): string {
  const length = r.int(0, 9) < 9 ? r.int(0, 120) : r.int(1000, 2700);
  let message = '';
  for (let i = 0; i < length; i++) {
    const kind = r.int(0, 19);
    if (kind < 15) message += String.fromCharCode(r.int(0x20, 0x7e));
    else if (kind < 17) message += String.fromCharCode(r.int(0xa0, 0x7ff));
    else if (kind < 19) message += String.fromCharCode(r.int(0x800, 0xd7ff));
    else message += String.fromCodePoint(r.int(0x10000, 0x10ffff));
  }
  return message;
}

const CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function randomPacket(r: SeededRandom): IlpPacket {
  const type = r.pick([IlpPacketType.Prepare, IlpPacketType.Fulfill, IlpPacketType.Reject]);
  const data = r.bytes(randomDataLength(r));
  switch (type) {
    case IlpPacketType.Prepare:
      return {
        type,
        amount: randomAmount(r),
        // years 1970..9999: ilp-packet formats the year with getUTCFullYear (4 digits needed)
        expiresAt: new Date(r.int(0, 253_402_300_799_999)),
        executionCondition: r.bytes(32),
        destination: randomAddress(r),
        data,
      };
    case IlpPacketType.Fulfill:
      return { type, fulfillment: r.bytes(32), data };
    default:
      return {
        type,
        code: r.pick(['F', 'T', 'R']) + r.pick(CODE_CHARS.split('')) + r.pick(CODE_CHARS.split('')),
        triggeredBy: r.int(0, 4) === 0 ? '' : randomAddress(r),
        message: randomMessage(r),
        data,
      };
  }
}
