/**
 * Account configuration (one per peer, parent or child link) and its validation. Amounts
 * are bigint in the account's own units (`assetScale`). Balance semantics are fixed by the
 * product: `balance` is our net position with the peer, positive = we owe the peer.
 */
import { isValidAddressSegment, MAX_UINT64 } from '@tollgate/ilp-core';
import { invalidConfig } from '../errors';

export type AccountRelation = 'parent' | 'peer' | 'child';

export interface RateLimitConfig {
  /** Packets per second (token bucket, burst = one second's worth). */
  packetsPerSecond?: number;
  /** Sum of incoming Prepare amounts per second, in the account's units (burst = one second). */
  amountPerSecond?: bigint;
}

export interface AccountConfig {
  /** Unique; also the last segment of a child's address (`<node address>.<id>`). */
  id: string;
  assetCode: string;
  /** 0..255: amounts on this link are in units of 10^-assetScale. */
  assetScale: number;
  relation: AccountRelation;
  /** Incoming Prepares above this get F08 with AmountTooLarge data. */
  maxPacketAmount?: bigint;
  /**
   * Credit limit: the lowest balance the peer may drive us to by spending (usually ≤ 0;
   * e.g. -1000 = the peer may owe us 1000). Undefined = no limit.
   */
  minBalance?: bigint;
  /** How much we are willing to owe the peer (outgoing side). Undefined = no limit. */
  maxBalance?: bigint;
  /** When the balance rises above this after a committed change, `onSettlementNeeded` fires. */
  settleThreshold?: bigint;
  /** Balance to settle down to (used by the app's settlement job; the connector only stores it). */
  settleTo?: bigint;
  rateLimit?: RateLimitConfig;
  /** Send CCP routes to this account (default: peers and parents yes, children no). */
  sendRoutes?: boolean;
  /** Accept CCP routes from this account (default: peers and parents yes, children no). */
  receiveRoutes?: boolean;
}

const RELATIONS: readonly AccountRelation[] = ['parent', 'peer', 'child'];

function checkAmount(value: unknown, field: string, signed: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'bigint') throw invalidConfig(`${field} must be a bigint`);
  if (!signed && (value < 0n || value > MAX_UINT64)) {
    throw invalidConfig(`${field} must be in 0..2^64-1, got ${value}`);
  }
}

/** Throws ConnectorError(InvalidConfig) naming the first bad field. */
export function validateAccountConfig(config: AccountConfig): void {
  if (config === null || typeof config !== 'object') throw invalidConfig('account config missing');
  if (!isValidAddressSegment(config.id)) {
    throw invalidConfig(
      `account id ${JSON.stringify(config.id)} is not a valid ILP address segment (A-Z a-z 0-9 _ ~ -)`,
    );
  }
  if (typeof config.assetCode !== 'string' || config.assetCode.length === 0) {
    throw invalidConfig(`account ${config.id}: assetCode must be a non-empty string`);
  }
  if (!Number.isInteger(config.assetScale) || config.assetScale < 0 || config.assetScale > 255) {
    throw invalidConfig(`account ${config.id}: assetScale must be an integer in 0..255`);
  }
  if (!RELATIONS.includes(config.relation)) {
    throw invalidConfig(`account ${config.id}: relation must be parent, peer or child`);
  }
  checkAmount(config.maxPacketAmount, `account ${config.id}: maxPacketAmount`, false);
  checkAmount(config.minBalance, `account ${config.id}: minBalance`, true);
  checkAmount(config.maxBalance, `account ${config.id}: maxBalance`, true);
  checkAmount(config.settleThreshold, `account ${config.id}: settleThreshold`, true);
  checkAmount(config.settleTo, `account ${config.id}: settleTo`, true);
  const limit = config.rateLimit;
  if (limit !== undefined) {
    if (limit === null || typeof limit !== 'object') {
      throw invalidConfig(`account ${config.id}: rateLimit must be an object`);
    }
    const pps = limit.packetsPerSecond;
    if (pps !== undefined && !(typeof pps === 'number' && Number.isFinite(pps) && pps > 0)) {
      throw invalidConfig(`account ${config.id}: rateLimit.packetsPerSecond must be > 0`);
    }
    const aps = limit.amountPerSecond;
    if (aps !== undefined && !(typeof aps === 'bigint' && aps > 0n)) {
      throw invalidConfig(`account ${config.id}: rateLimit.amountPerSecond must be a bigint > 0`);
    }
  }
  for (const flag of ['sendRoutes', 'receiveRoutes'] as const) {
    if (config[flag] !== undefined && typeof config[flag] !== 'boolean') {
      throw invalidConfig(`account ${config.id}: ${flag} must be a boolean`);
    }
  }
}
