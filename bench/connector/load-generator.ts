/**
 * Load generator of the connector benchmark: a sender and a fulfilling receiver, both
 * Tollgate `BtpClient`s, on either side of a connector under test (Tollgate or the
 * reference). Packets and their answers are precomputed ({@link PacketPool}) so the
 * generator spends as little CPU as possible while the clock runs, and the receiver only
 * looks the Fulfill up by condition (no STREAM, no hashing on the hot path).
 *
 * Two shapes of load:
 * - closed loop ({@link runClosedLoop}): K packets always in flight; finds saturation.
 *   Latency is from the send call to the reply.
 * - open loop ({@link runOpenLoop}): a fixed send schedule at a given rate, whatever the
 *   replies do. Latency is from the moment the packet is actually handed to the BTP
 *   client to the reply, so it does not include the generator's own timer lateness
 *   (reported separately as `maxSendLagMs`); the connector's queueing is in it, since the
 *   schedule does not wait for replies.
 *
 * The connector's CPU comes from /proc/<pid>/stat (utime + stime of every thread, in clock
 * ticks) before and after a phase, after every reply is in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BtpClient } from '@tollgate/btp';
import {
  IlpPacketType,
  deserializeReject,
  serializeFulfill,
  serializePrepare,
} from '@tollgate/ilp-core';

/** USER_HZ: /proc reports CPU time in 1/100 s on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
/** The sender gives up on a packet after this long (no reply = an error, counted). */
const SEND_TIMEOUT_MS = 10_000;
/** Packets expire this far after they are generated (phases last a few seconds). */
const EXPIRY_MS = 30_000;

/** The connector under test, as the generator sees it. */
export interface Target {
  name: string;
  /** The connector's process, for CPU and memory figures. */
  pid: number;
  /** Connected as the paying account (alice). */
  sender: BtpClient;
  /** Connected as the receiving account (bob); its ILP handler is installed by the pool. */
  receiver: BtpClient;
  /** bob's ILP address on that connector. */
  destination: string;
}

/** CPU time (µs) the process has used so far, all threads: user and system (kernel). */
export function processCpuTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const toMicros = (ticks: string) => (Number(ticks) * 1e6) / CLOCK_TICKS_PER_SECOND;
  return { user: toMicros(fields[11]), system: toMicros(fields[12]) };
}

/** CPU time (µs) the process has used so far, all threads, user + system. */
export function processCpuMicros(pid: number): number {
  const { user, system } = processCpuTimes(pid);
  return user + system;
}

function statusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

/** Peak resident set size (VmHWM) of the process so far, MiB. */
export function peakRssMiB(pid: number): number {
  return statusKiB(pid, 'VmHWM') / 1024;
}

/** Resident set size (VmRSS) of the process now, MiB. */
export function rssMiB(pid: number): number {
  return statusKiB(pid, 'VmRSS') / 1024;
}

/**
 * `count` unique Prepares (fresh random fulfillments, so no two packets match and nothing
 * is deduplicated on the way) with their serialized Fulfills, keyed by condition.
 */
export class PacketPool {
  readonly prepares: Uint8Array[];
  private readonly fulfills = new Map<string, Uint8Array>();

  constructor(
    count: number,
    destination: string,
    readonly amount: bigint,
  ) {
    const expiresAt = new Date(Date.now() + EXPIRY_MS);
    const secrets = randomBytes(count * 32);
    const data = new Uint8Array(0);
    this.prepares = new Array<Uint8Array>(count);
    for (let i = 0; i < count; i++) {
      const fulfillment = secrets.subarray(i * 32, i * 32 + 32);
      const condition = createHash('sha256').update(fulfillment).digest();
      this.prepares[i] = serializePrepare({
        amount,
        expiresAt,
        executionCondition: condition,
        destination,
        data,
      });
      this.fulfills.set(condition.toString('latin1'), serializeFulfill({ fulfillment, data }));
    }
  }

  get size(): number {
    return this.prepares.length;
  }

  /** The receiver's handler: the Fulfill for the Prepare's condition (F05-style failure otherwise). */
  readonly answer = async (prepare: Uint8Array): Promise<Uint8Array> => {
    const fulfill = this.fulfills.get(conditionKey(prepare));
    if (fulfill === undefined) throw new Error('receiver: unknown condition');
    return fulfill;
  };
}

/**
 * The condition of a serialized Prepare as a Map key, read in place: type (1 byte), the
 * OER length prefix (1 byte, or 1 + n for long form), amount (8), expiresAt (17), then
 * the 32-byte condition.
 */
function conditionKey(prepare: Uint8Array): string {
  const first = prepare[1];
  const lengthBytes = first < 0x80 ? 1 : 1 + (first & 0x7f);
  const start = 1 + lengthBytes + 8 + 17;
  return Buffer.from(prepare.buffer, prepare.byteOffset + start, 32).toString('latin1');
}

export interface PhaseResult {
  /** Fulfills received. */
  fulfilled: number;
  /** Rejects received. */
  rejected: number;
  /** sendIlp failures (link errors, timeouts). */
  errors: number;
  /** First Reject or error seen, for the report. */
  firstFailure?: string;
  /** From the first send to the last reply. */
  elapsedMs: number;
  /** Fulfilled packets per second. */
  packetsPerSecond: number;
  /** Connector CPU (utime + stime) over the phase, divided by the packets it answered. */
  cpuPerPacketUs: number;
  /** The kernel's part of it (stime): mostly socket reads and writes. */
  systemCpuPerPacketUs: number;
  /** This process's own CPU per packet (sender and receiver together), for context. */
  generatorCpuPerPacketUs: number;
  p50Ms: number;
  p99Ms: number;
  /** Sum of the amounts of fulfilled packets. */
  fulfilledAmount: bigint;
  /** Open loop only: how late the generator's latest send was against its schedule. */
  maxSendLagMs?: number;
  /** The pool ran out before the phase's duration was up (closed loop). */
  poolExhausted?: boolean;
}

class Recorder {
  fulfilled = 0;
  rejected = 0;
  errors = 0;
  firstFailure: string | undefined;
  private readonly latencies: Float64Array;
  private n = 0;

  constructor(capacity: number) {
    this.latencies = new Float64Array(capacity);
  }

  reply(reply: Uint8Array, sentAt: number): void {
    const now = performance.now();
    if (reply[0] === IlpPacketType.Fulfill) {
      this.fulfilled++;
      this.latencies[this.n++] = now - sentAt;
    } else {
      this.rejected++;
      if (this.firstFailure === undefined) {
        try {
          const r = deserializeReject(reply);
          this.firstFailure = `Reject ${r.code} from ${r.triggeredBy}: ${r.message}`;
        } catch {
          this.firstFailure = `reply of type ${reply[0]}`;
        }
      }
    }
  }

  error(error: unknown): void {
    this.errors++;
    this.firstFailure ??= `send failed: ${(error as Error).message}`;
  }

  get answered(): number {
    return this.fulfilled + this.rejected + this.errors;
  }

  percentile(p: number): number {
    if (this.n === 0) return 0;
    const sorted = this.latencies.slice(0, this.n).sort();
    return sorted[Math.min(this.n - 1, Math.floor((p / 100) * this.n))];
  }
}

function finish(
  target: Target,
  pool: PacketPool,
  rec: Recorder,
  startedAt: number,
  endedAt: number,
  cpuBefore: { user: number; system: number },
  ownCpuBefore: NodeJS.CpuUsage,
): PhaseResult {
  const cpuAfter = processCpuTimes(target.pid);
  const own = process.cpuUsage(ownCpuBefore);
  const system = cpuAfter.system - cpuBefore.system;
  const cpu = cpuAfter.user - cpuBefore.user + system;
  const elapsedMs = endedAt - startedAt;
  const answered = rec.answered;
  return {
    fulfilled: rec.fulfilled,
    rejected: rec.rejected,
    errors: rec.errors,
    firstFailure: rec.firstFailure,
    elapsedMs,
    packetsPerSecond: (rec.fulfilled * 1000) / elapsedMs,
    cpuPerPacketUs: answered > 0 ? cpu / answered : 0,
    systemCpuPerPacketUs: answered > 0 ? system / answered : 0,
    generatorCpuPerPacketUs: answered > 0 ? (own.user + own.system) / answered : 0,
    p50Ms: rec.percentile(50),
    p99Ms: rec.percentile(99),
    fulfilledAmount: BigInt(rec.fulfilled) * pool.amount,
  };
}

/**
 * Closed loop: `inFlight` packets outstanding at all times until `durationMs` is up (or
 * the pool is used up), then waits for the stragglers.
 */
export function runClosedLoop(
  target: Target,
  pool: PacketPool,
  inFlight: number,
  durationMs: number,
): Promise<PhaseResult> {
  target.receiver.setIlpHandler(pool.answer);
  const rec = new Recorder(pool.size);
  const { prepares } = pool;
  const sender = target.sender;
  return new Promise((resolve) => {
    let next = 0;
    let outstanding = 0;
    let done = false;
    const cpuBefore = processCpuTimes(target.pid);
    const ownCpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const deadline = startedAt + durationMs;
    const settle = (): void => {
      if (done || outstanding > 0) return;
      done = true;
      const result = finish(
        target,
        pool,
        rec,
        startedAt,
        performance.now(),
        cpuBefore,
        ownCpuBefore,
      );
      result.poolExhausted = next >= prepares.length;
      resolve(result);
    };
    const launch = (): void => {
      if (next >= prepares.length || performance.now() >= deadline) {
        settle();
        return;
      }
      const packet = prepares[next++];
      outstanding++;
      const sentAt = performance.now();
      sender.sendIlp(packet, SEND_TIMEOUT_MS).then(
        (reply) => {
          outstanding--;
          rec.reply(reply, sentAt);
          launch();
        },
        (error: unknown) => {
          outstanding--;
          rec.error(error);
          launch();
        },
      );
    };
    for (let i = 0; i < inFlight; i++) launch();
  });
}

/**
 * Open loop: packet i is due at start + i / rate; every timer tick sends whatever is due.
 * Runs for `durationMs` (the pool must hold rate × duration packets), then waits for the
 * replies.
 */
export function runOpenLoop(
  target: Target,
  pool: PacketPool,
  ratePerSecond: number,
  durationMs: number,
): Promise<PhaseResult> {
  target.receiver.setIlpHandler(pool.answer);
  const total = Math.min(pool.size, Math.floor((ratePerSecond * durationMs) / 1000));
  const rec = new Recorder(total);
  const { prepares } = pool;
  const sender = target.sender;
  const intervalMs = 1000 / ratePerSecond;
  return new Promise((resolve) => {
    let next = 0;
    let outstanding = 0;
    let maxLag = 0;
    let done = false;
    const cpuBefore = processCpuTimes(target.pid);
    const ownCpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const settle = (): void => {
      if (done || outstanding > 0 || next < total) return;
      done = true;
      const result = finish(
        target,
        pool,
        rec,
        startedAt,
        performance.now(),
        cpuBefore,
        ownCpuBefore,
      );
      result.maxSendLagMs = maxLag;
      resolve(result);
    };
    const onReply = (sentAt: number) => (reply: Uint8Array) => {
      outstanding--;
      rec.reply(reply, sentAt);
      settle();
    };
    const onError = (error: unknown): void => {
      outstanding--;
      rec.error(error);
      settle();
    };
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - startedAt) / intervalMs) + 1);
      if (due > next) {
        // how late the oldest packet of this burst leaves (≤ 1 tick of the timer is normal)
        const lag = now - (startedAt + next * intervalMs);
        if (lag > maxLag) maxLag = lag;
      }
      while (next < due) {
        const packet = prepares[next++];
        outstanding++;
        const sentAt = performance.now();
        sender.sendIlp(packet, SEND_TIMEOUT_MS).then(onReply(sentAt), onError);
      }
      if (next < total) setTimeout(tick, 1);
      else settle();
    };
    tick();
  });
}
