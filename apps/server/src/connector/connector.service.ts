/**
 * Owns the node's embedded connector: builds it on the Postgres journal, loads accounts
 * (with their durable balances), static routes and rates at start, and keeps the in-memory
 * index of incoming link tokens (by hash) so authenticating a link needs no database trip.
 */
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
} from '@nestjs/common';
import { AccountConfig, Connector, StaticRateSource } from '@tollgate/connector';
import { hashSecret } from '../admin/secret-hash';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { Account } from './account.entity';
import { ConnectorMetrics } from './connector.metrics';
import { ConnectorRepository } from './connector.repository';
import { PgBalanceJournal } from './pg-balance-journal';

export interface AccountObserver {
  /** A committed change left the balance (what we owe the peer) above settleThreshold. */
  settlementNeeded?(accountId: string, balance: bigint): void;
  accountCreated?(account: Account): void;
  accountDeleted?(account: Account): void;
}

@Injectable()
export class ConnectorService implements OnModuleInit, BeforeApplicationShutdown {
  readonly connector: Connector;
  readonly rates = new StaticRateSource();
  private readonly logger = new Logger('Connector');
  /** SHA-256 of each account's incoming token → account id. */
  private readonly tokenIndex = new Map<string, string>();
  private readonly observers: AccountObserver[] = [];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: ConnectorRepository,
    metrics: MetricsService,
  ) {
    const observer = new ConnectorMetrics(metrics.registry, this.logger);
    this.connector = new Connector({
      address: config.ilpAddress,
      assetCode: config.assetCode,
      assetScale: config.assetScale,
      journal: new PgBalanceJournal(repository.dataSource),
      rates: this.rates,
      spread: config.fxSpread,
      events: observer.events(),
      onSettlementNeeded: (accountId, balance) => {
        for (const o of this.observers) o.settlementNeeded?.(accountId, balance);
      },
    });
  }

  /**
   * Other modules (settlement) follow accounts through this rather than the connector module
   * depending on them. Observers are called synchronously and must not throw.
   */
  observe(observer: AccountObserver): void {
    this.observers.push(observer);
  }

  /** Called by the admin service once an account is stored and live. */
  accountCreated(account: Account): void {
    for (const o of this.observers) o.accountCreated?.(account);
  }

  /** Called by the admin service once an account is deleted. */
  accountDeleted(account: Account): void {
    for (const o of this.observers) o.accountDeleted?.(account);
  }

  async onModuleInit(): Promise<void> {
    const rates = await this.repository.allRates();
    this.rates.setRates(Object.fromEntries(rates.map((r) => [r.assetCode, r.rate])));
    for (const account of await this.repository.allAccounts()) this.register(account);
    for (const route of await this.repository.allRoutes()) {
      this.connector.addStaticRoute(route.prefix, route.accountId);
    }
    this.logger.log({ accounts: this.tokenIndex.size, msg: 'connector loaded' });
  }

  /** Stop taking packets and wait until every balance change so far is in Postgres. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.connector.flushed();
    this.connector.stop();
  }

  /** Adds an account (already stored) to the live connector. */
  register(account: Account): void {
    this.connector.addAccount(toAccountConfig(account), { balance: account.balance });
    if (account.incomingTokenHash) this.tokenIndex.set(account.incomingTokenHash, account.id);
  }

  unregister(account: Account): void {
    this.connector.removeAccount(account.id);
    if (account.incomingTokenHash) this.tokenIndex.delete(account.incomingTokenHash);
  }

  /**
   * The account a link token belongs to. A non-empty `username` must name that same account
   * (BTP auth_username, ILP-Peer-Name); an empty one lets the token alone identify it.
   */
  authenticate(username: string | undefined, token: string): string | undefined {
    if (!token) return undefined;
    const accountId = this.tokenIndex.get(hashSecret(token));
    if (accountId === undefined) return undefined;
    if (username && username !== accountId) return undefined;
    return accountId;
  }
}

export function toAccountConfig(a: Account): AccountConfig {
  const config: AccountConfig = {
    id: a.id,
    assetCode: a.assetCode,
    assetScale: a.assetScale,
    relation: a.relation,
  };
  if (a.maxPacketAmount !== null) config.maxPacketAmount = a.maxPacketAmount;
  if (a.minBalance !== null) config.minBalance = a.minBalance;
  if (a.maxBalance !== null) config.maxBalance = a.maxBalance;
  if (a.settleThreshold !== null) config.settleThreshold = a.settleThreshold;
  if (a.settleTo !== null) config.settleTo = a.settleTo;
  if (a.rateLimitPacketsPerSecond !== null || a.rateLimitAmountPerSecond !== null) {
    config.rateLimit = {};
    if (a.rateLimitPacketsPerSecond !== null)
      config.rateLimit.packetsPerSecond = a.rateLimitPacketsPerSecond;
    if (a.rateLimitAmountPerSecond !== null)
      config.rateLimit.amountPerSecond = a.rateLimitAmountPerSecond;
  }
  if (a.sendRoutes !== null) config.sendRoutes = a.sendRoutes;
  if (a.receiveRoutes !== null) config.receiveRoutes = a.receiveRoutes;
  return config;
}
