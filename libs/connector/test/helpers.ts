/**
 * Test-only helpers for the connector specs: a manual clock, in-memory links between
 * connectors, fulfilling receivers, controllable journals and packet builders.
 */
import { randomBytes } from 'node:crypto';
import {
  deserializePrepare,
  IlpError,
  IlpPacketType,
  IlpPrepare,
  IlpReject,
  IlpReply,
  serializeFulfill,
  serializeReject,
} from '@tollgate/ilp-core';
import { sha256Sync } from '@tollgate/ilp-core/node';
import type {
  AccountLink,
  BalanceEntry,
  BalanceJournal,
  Connector,
  JournalBatchInfo,
  Scheduler,
} from '@tollgate/connector';

// ------------------------------------------------------------------ vectors

import { hex } from '../../../protocol/test-vectors';

export { hex, loadVectors, unhex } from '../../../protocol/test-vectors';

// ------------------------------------------------------------------ time

interface ManualTimer {
  due: number;
  seq: number;
  callback: () => void;
}

/** Waits for pending microtasks and I/O-turn callbacks (real setImmediate). */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * A clock that only moves when told. setTimeout is simulated; setImmediate is the real one
 * (the journal's group commit then behaves as in production).
 */
export class ManualScheduler implements Scheduler {
  private readonly timers = new Map<number, ManualTimer>();
  private seq = 0;

  constructor(public nowMs = Date.UTC(2015, 5, 16)) {}

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): number {
    const id = ++this.seq;
    this.timers.set(id, { due: this.nowMs + Math.max(0, delayMs), seq: id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  setImmediate(callback: () => void): unknown {
    return setImmediate(callback);
  }

  clearImmediate(handle: unknown): void {
    clearImmediate(handle as ReturnType<typeof setImmediate>);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves the clock forward, firing due timers in order and letting async work run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      let next: [number, ManualTimer] | undefined;
      for (const entry of this.timers) {
        if (entry[1].due > target) continue;
        if (
          next === undefined ||
          entry[1].due < next[1].due ||
          (entry[1].due === next[1].due && entry[1].seq < next[1].seq)
        ) {
          next = entry;
        }
      }
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.nowMs = Math.max(this.nowMs, next[1].due);
      next[1].callback();
      await settle(1);
    }
    this.nowMs = target;
    await settle();
  }
}

// ------------------------------------------------------------------ conditions and packets

export function makeFulfillment(): { fulfillment: Uint8Array; condition: Uint8Array } {
  const fulfillment = new Uint8Array(randomBytes(32));
  return { fulfillment, condition: sha256Sync(fulfillment) };
}

export function prepare(
  destination: string,
  amount: bigint,
  condition: Uint8Array,
  expiresAtMs: number,
  data: Uint8Array = new Uint8Array(0),
): IlpPrepare {
  return {
    type: IlpPacketType.Prepare,
    amount,
    expiresAt: new Date(expiresAtMs),
    executionCondition: condition,
    destination,
    data,
  };
}

export function asReject(reply: IlpReply): IlpReject {
  if (reply.type !== IlpPacketType.Reject) throw new Error(`expected a Reject, got a Fulfill`);
  return reply;
}

// ------------------------------------------------------------------ links

/** A link whose other end is another connector (in-process). */
export class ConnectorLink implements AccountLink {
  connected = true;
  sent = 0;

  constructor(
    private readonly target: Connector,
    private readonly accountIdThere: string,
  ) {}

  send(packet: Uint8Array): Promise<Uint8Array> {
    this.sent++;
    return this.target.handlePacket(this.accountIdThere, packet);
  }
}

/** Wires account `idOnA` of `a` and `idOnB` of `b` to each other. */
export function connect(
  a: Connector,
  idOnA: string,
  b: Connector,
  idOnB: string,
): { ab: ConnectorLink; ba: ConnectorLink } {
  const ab = new ConnectorLink(b, idOnB);
  const ba = new ConnectorLink(a, idOnA);
  a.setLink(idOnA, ab);
  b.setLink(idOnB, ba);
  return { ab, ba };
}

/**
 * A receiver at the end of a link: fulfills packets whose condition it knows (optionally
 * after a delay), rejects the rest with F06. Records what it received.
 */
export class FulfillerLink implements AccountLink {
  connected = true;
  readonly received: IlpPrepare[] = [];
  private readonly fulfillments = new Map<string, Uint8Array>();
  /** Delay before answering (ms of real time, or a function per packet); 0 = next microtask. */
  delay: number | (() => number) = 0;
  /** Override: answer every packet with this. */
  answer: ((prepare: IlpPrepare) => Uint8Array | Promise<Uint8Array>) | undefined;
  keepReceived = true;
  peerRequests = 0;

  register(fulfillment: Uint8Array): Uint8Array {
    const condition = sha256Sync(fulfillment);
    this.fulfillments.set(hex(condition), fulfillment);
    return condition;
  }

  async send(packet: Uint8Array): Promise<Uint8Array> {
    const p = deserializePrepare(packet);
    if (p.destination.startsWith('peer.')) {
      // a peer protocol (CCP control from the connector): accept it, do not record it
      this.peerRequests++;
      return serializeFulfill({
        type: IlpPacketType.Fulfill,
        fulfillment: new Uint8Array(32),
        data: new Uint8Array(0),
      });
    }
    if (this.keepReceived)
      this.received.push({
        ...p,
        data: p.data.slice(),
        executionCondition: p.executionCondition.slice(),
      });
    const delay = typeof this.delay === 'function' ? this.delay() : this.delay;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (this.answer !== undefined) return this.answer(p);
    const fulfillment = this.fulfillments.get(hex(p.executionCondition));
    if (fulfillment === undefined) {
      return serializeReject({
        type: IlpPacketType.Reject,
        code: 'F06',
        triggeredBy: 'test.receiver',
        message: 'unexpected payment',
        data: new Uint8Array(0),
      });
    }
    return serializeFulfill({
      type: IlpPacketType.Fulfill,
      fulfillment,
      data: new Uint8Array([1, 2, 3]),
    });
  }
}

/** A link that fails every send with the given error. */
export function failingLink(error: unknown): AccountLink {
  return {
    connected: true,
    send: () => Promise.reject(error),
  };
}

export const ilpError = (code: string, message: string): IlpError => new IlpError(code, message);

// ------------------------------------------------------------------ journals

/** A journal whose appends the test resolves or fails by hand. */
export class ControlledJournal implements BalanceJournal {
  readonly calls: {
    entries: readonly BalanceEntry[];
    info: JournalBatchInfo;
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];
  readonly durable: BalanceEntry[] = [];

  append(entries: readonly BalanceEntry[], info: JournalBatchInfo): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.calls.push({
        entries: entries.slice(),
        info,
        resolve: () => {
          this.durable.push(...entries);
          resolve();
        },
        reject,
      });
    });
  }

  sum(accountId: string): bigint {
    return this.durable.filter((e) => e.accountId === accountId).reduce((s, e) => s + e.delta, 0n);
  }
}
