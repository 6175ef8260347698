/**
 * The live, in-memory state of one account: limits copied out of its config for the hot
 * path, the committed balance and the credit reserved by packets in flight. Balances change
 * only here and only on a valid Fulfill (or an explicit adjustment); the group-commit journal
 * makes each change durable. JavaScript is single-threaded, so a check-and-reserve done in
 * one synchronous step cannot race another packet.
 */
import { AmountBucket, PacketBucket } from '../chain/token-bucket';
import { AccountConfig, AccountRelation } from './account-config';
import { AccountLink } from './account-link';

/** Exchange rate between two accounts, reduced, spread included (see the FX middleware). */
export interface CachedRate {
  /** RateSource.version and the connector's config version it was computed under. */
  sourceVersion: number;
  configVersion: number;
  /** True for 1:1 with no spread: the amount is forwarded unchanged. */
  identity: boolean;
  numerator: bigint;
  denominator: bigint;
}

export interface BalanceSnapshot {
  /** Committed net position: positive = we owe the peer, negative = the peer owes us. */
  balance: bigint;
  /** Sum of incoming Prepares from this account that are in flight (credit held). */
  reservedIncoming: bigint;
  /** Sum of outgoing Prepares to this account that are in flight. */
  reservedOutgoing: bigint;
}

export class AccountState {
  readonly id: string;
  config: Readonly<AccountConfig>;
  relation: AccountRelation;
  assetCode: string;
  assetScale: number;
  maxPacketAmount: bigint | undefined;
  minBalance: bigint | undefined;
  maxBalance: bigint | undefined;
  settleThreshold: bigint | undefined;
  sendRoutes: boolean;
  receiveRoutes: boolean;

  balance: bigint;
  reservedIncoming = 0n;
  reservedOutgoing = 0n;

  link: AccountLink | undefined;
  packetBucket: PacketBucket | undefined;
  amountBucket: AmountBucket | undefined;
  /** Set once onSettlementNeeded fired; cleared when the balance is back at or under the threshold. */
  settlementPending = false;
  /** Rates to other accounts by their id (bounded by the number of accounts). */
  readonly rates = new Map<string, CachedRate>();

  constructor(config: AccountConfig, balance: bigint, nowMs: number) {
    this.id = config.id;
    this.balance = balance;
    // assigned properly by applyConfig; initialised here for the type checker
    this.config = config;
    this.relation = config.relation;
    this.assetCode = config.assetCode;
    this.assetScale = config.assetScale;
    this.maxPacketAmount = undefined;
    this.minBalance = undefined;
    this.maxBalance = undefined;
    this.settleThreshold = undefined;
    this.sendRoutes = false;
    this.receiveRoutes = false;
    this.applyConfig(config, nowMs);
  }

  /** Copies a validated config into the hot-path fields (rate-limit buckets start full). */
  applyConfig(config: AccountConfig, nowMs: number): void {
    const previous = this.config;
    this.config = Object.freeze({
      ...config,
      rateLimit: config.rateLimit && { ...config.rateLimit },
    });
    this.relation = config.relation;
    this.assetCode = config.assetCode;
    this.assetScale = config.assetScale;
    this.maxPacketAmount = config.maxPacketAmount;
    this.minBalance = config.minBalance;
    this.maxBalance = config.maxBalance;
    this.settleThreshold = config.settleThreshold;
    const routesByDefault = config.relation !== 'child';
    this.sendRoutes = config.sendRoutes ?? routesByDefault;
    this.receiveRoutes = config.receiveRoutes ?? routesByDefault;
    const pps = config.rateLimit?.packetsPerSecond;
    if (pps !== previous.rateLimit?.packetsPerSecond || this.packetBucket === undefined) {
      this.packetBucket = pps === undefined ? undefined : new PacketBucket(pps, nowMs);
    }
    const aps = config.rateLimit?.amountPerSecond;
    if (aps !== previous.rateLimit?.amountPerSecond || this.amountBucket === undefined) {
      this.amountBucket = aps === undefined ? undefined : new AmountBucket(aps, nowMs);
    }
    this.rates.clear();
  }

  snapshot(): BalanceSnapshot {
    return {
      balance: this.balance,
      reservedIncoming: this.reservedIncoming,
      reservedOutgoing: this.reservedOutgoing,
    };
  }
}
