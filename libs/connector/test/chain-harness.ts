/**
 * Test-only harness for single rules: account states, contexts, stub next services, and
 * `run`, which converts a thrown error the way the chain's entry does (our address as
 * triggeredBy) so each rule's Reject can be checked on its own.
 */
import {
  IlpPacketType,
  IlpPrepare,
  IlpReject,
  IlpReply,
  rejectFrom,
  serializePrepare,
} from '@tollgate/ilp-core';
import { AccountConfig } from '../src/accounts/account-config';
import { AccountState } from '../src/accounts/account-state';
import { PacketContext } from '../src/chain/packet-context';
import { PacketService } from '../src/chain/packet-service';
import { NodeRuntime } from '../src/node-runtime';
import { makeFulfillment, prepare } from './helpers';

export const OUR_ADDRESS = 'test.node';
export const NOW = Date.UTC(2020, 0, 1);

export function runtime(address = OUR_ADDRESS): NodeRuntime {
  return new NodeRuntime(address, 'USD', 2, 1_000, 30_000, false);
}

export function account(
  id: string,
  extra: Partial<AccountConfig> = {},
  balance = 0n,
): AccountState {
  return new AccountState(
    { id, assetCode: 'USD', assetScale: 2, relation: 'peer', ...extra },
    balance,
    NOW,
  );
}

export function context(
  from: AccountState,
  overrides: Partial<IlpPrepare> = {},
  options: { bytes?: boolean; now?: number } = {},
): PacketContext {
  const p = {
    ...prepare('test.dest.x', 100n, makeFulfillment().condition, NOW + 10_000),
    ...overrides,
  };
  const ctx = new PacketContext(
    from,
    p,
    options.bytes === false ? undefined : serializePrepare(p),
    options.now ?? NOW,
  );
  ctx.incomingExpiresAtMs = p.expiresAt.getTime();
  return ctx;
}

/** A `next` that records calls and answers with what it is given. */
export class StubService implements PacketService {
  calls = 0;
  lastCtx: PacketContext | undefined;

  constructor(public reply: (ctx: PacketContext) => Promise<IlpReply> = async () => FULFILL) {}

  handle(ctx: PacketContext): Promise<IlpReply> {
    this.calls++;
    this.lastCtx = ctx;
    return this.reply(ctx);
  }
}

export const FULFILL: IlpReply = {
  type: IlpPacketType.Fulfill,
  fulfillment: new Uint8Array(32),
  data: new Uint8Array(),
};

export const REJECT: IlpReject = {
  type: IlpPacketType.Reject,
  code: 'F99',
  triggeredBy: 'test.downstream',
  message: 'no',
  data: new Uint8Array(),
};

/** Runs a rule; a thrown error becomes the Reject the chain's entry would send. */
export async function run(rule: PacketService, ctx: PacketContext): Promise<IlpReply> {
  try {
    return await rule.handle(ctx);
  } catch (error) {
    return rejectFrom(error, OUR_ADDRESS);
  }
}

export function expectReject(reply: IlpReply, code: string): IlpReject {
  if (reply.type !== IlpPacketType.Reject) throw new Error(`expected ${code}, got a Fulfill`);
  if (reply.code !== code || reply.triggeredBy !== OUR_ADDRESS) {
    throw new Error(
      `expected ${code} from ${OUR_ADDRESS}, got ${reply.code} from ${reply.triggeredBy}: ${reply.message}`,
    );
  }
  return reply;
}
