/**
 * Node administration of the connector: accounts, static routes and exchange rates. Each
 * change is written to Postgres first and then applied to the live connector, so a restart
 * finds the same configuration.
 */
import { Injectable } from '@nestjs/common';
import { parseBtpUrl } from '@tollgate/btp';
import { isValidIlpAddress } from '@tollgate/ilp-core';
import { parseDecimal } from '@tollgate/connector';
import { hashSecret } from '../admin/secret-hash';
import { parseAmount } from '../common/money/amount';
import { Account } from './account.entity';
import { accountView, AccountView } from './account-view';
import { ConnectorAdminError, ConnectorAdminErrorCode as Code } from './connector.errors';
import { ConnectorRepository } from './connector.repository';
import { ConnectorService } from './connector.service';
import { CreateAccountDto } from './dto/create-account.dto';
import { CreateRouteDto } from './dto/create-route.dto';
import { LinksService } from './links.service';

export interface RoutingEntry {
  prefix: string;
  /** Account packets go to; null when delivered on this node. */
  nextHop: string | null;
  source: 'static' | 'local' | 'ccp';
  /** CCP path beyond this node (empty for static and local routes). */
  path: string[];
}

@Injectable()
export class ConnectorAdminService {
  constructor(
    private readonly repository: ConnectorRepository,
    private readonly connectorService: ConnectorService,
    private readonly links: LinksService,
  ) {}

  async createAccount(dto: CreateAccountDto): Promise<AccountView> {
    checkLinkSettings(dto);
    const account = Object.assign(new Account(), {
      id: dto.id,
      assetCode: dto.assetCode,
      assetScale: dto.assetScale,
      relation: dto.relation,
      link: dto.link,
      incomingTokenHash: dto.incomingToken ? hashSecret(dto.incomingToken) : null,
      outgoingUrl: dto.outgoingUrl ?? null,
      outgoingToken: dto.outgoingToken ?? null,
      maxPacketAmount: optional(dto.maxPacketAmount, false),
      minBalance: optional(dto.minBalance, true),
      maxBalance: optional(dto.maxBalance, true),
      settleThreshold: optional(dto.settleThreshold, true),
      settleTo: optional(dto.settleTo, true),
      settlementEngineUrl: dto.settlementEngineUrl ?? null,
      rateLimitPacketsPerSecond: dto.rateLimit?.packetsPerSecond ?? null,
      rateLimitAmountPerSecond: optional(dto.rateLimit?.amountPerSecond, false),
      sendRoutes: dto.sendRoutes ?? null,
      receiveRoutes: dto.receiveRoutes ?? null,
      balance: 0n,
    });
    checkBalanceSettings(account);
    if (this.connectorService.connector.accounts().some((a) => a.config.id === account.id)) {
      throw new ConnectorAdminError(Code.AccountExists, `account ${account.id} already exists`);
    }
    const inserted = await this.repository.insertAccount(account);
    if (inserted === 'duplicate-id') {
      throw new ConnectorAdminError(Code.AccountExists, `account ${account.id} already exists`);
    }
    if (inserted === 'duplicate-token') {
      throw new ConnectorAdminError(
        Code.TokenInUse,
        'incomingToken is already used by another account',
        [{ field: 'incomingToken', problems: ['already used by another account'] }],
      );
    }
    const stored = (await this.repository.findAccount(account.id))!;
    this.connectorService.register(stored);
    this.links.openOutgoing(stored);
    this.connectorService.accountCreated(stored);
    return this.view(stored);
  }

  async getAccount(id: string): Promise<AccountView> {
    const account = await this.repository.findAccount(id);
    if (!account) throw new ConnectorAdminError(Code.UnknownAccount, `no account ${id}`);
    return this.view(account);
  }

  async listAccounts(): Promise<AccountView[]> {
    return (await this.repository.allAccounts()).map((a) => this.view(a));
  }

  /** Only an account that is square (zero balance, nothing in flight) can be deleted. */
  async deleteAccount(id: string): Promise<void> {
    const account = await this.repository.findAccount(id);
    if (!account) throw new ConnectorAdminError(Code.UnknownAccount, `no account ${id}`);
    const connector = this.connectorService.connector;
    await connector.flushed();
    const live = connector.getBalance(id);
    if (live.balance !== 0n || live.reservedIncoming !== 0n || live.reservedOutgoing !== 0n) {
      throw new ConnectorAdminError(
        Code.AccountBusy,
        `account ${id} has balance ${live.balance} and ${live.reservedIncoming + live.reservedOutgoing} in flight: settle it to zero first`,
      );
    }
    this.connectorService.unregister(account);
    await this.links.closeOutgoing(id);
    await this.repository.deleteAccount(id);
    this.connectorService.accountDeleted(account);
  }

  async addRoute(dto: CreateRouteDto): Promise<{ prefix: string; accountId: string }> {
    if (
      !isValidIlpAddress(dto.prefix) &&
      !/^(g|private|example|peer|self|test[1-3]?|local)$/.test(dto.prefix)
    ) {
      throw new ConnectorAdminError(
        Code.InvalidRoute,
        `prefix ${dto.prefix} is not an ILP address prefix`,
      );
    }
    if (!(await this.repository.findAccount(dto.accountId))) {
      throw new ConnectorAdminError(Code.InvalidRoute, `no account ${dto.accountId}`, [
        { field: 'accountId', problems: ['no such account'] },
      ]);
    }
    await this.repository.upsertRoute(dto.prefix, dto.accountId);
    this.connectorService.connector.removeStaticRoute(dto.prefix);
    this.connectorService.connector.addStaticRoute(dto.prefix, dto.accountId);
    return { prefix: dto.prefix, accountId: dto.accountId };
  }

  async listRoutes(): Promise<{ prefix: string; accountId: string }[]> {
    return (await this.repository.allRoutes()).map((r) => ({
      prefix: r.prefix,
      accountId: r.accountId,
    }));
  }

  async deleteRoute(prefix: string): Promise<void> {
    if (!(await this.repository.deleteRoute(prefix))) {
      throw new ConnectorAdminError(Code.UnknownRoute, `no static route for ${prefix}`);
    }
    this.connectorService.connector.removeStaticRoute(prefix);
  }

  routingTable(): RoutingEntry[] {
    return this.connectorService.connector
      .routes()
      .map((r) => ({
        prefix: r.prefix,
        nextHop: r.nextHop ?? null,
        source: r.source,
        path: [...r.path],
      }))
      .sort((a, b) => a.prefix.localeCompare(b.prefix));
  }

  /** PUT semantics: the body is the whole new rate table. */
  async setRates(body: unknown): Promise<Record<string, string>> {
    const rates = checkRates(body);
    await this.repository.replaceRates(rates);
    this.connectorService.rates.setRates(rates);
    return rates;
  }

  getRates(): Record<string, string> {
    return this.connectorService.rates.getRates();
  }

  private view(account: Account): AccountView {
    const connector = this.connectorService.connector;
    const live = connector.accounts().find((a) => a.config.id === account.id);
    return accountView(account, live);
  }
}

function optional(value: string | undefined, signed: boolean): bigint | null {
  return value === undefined ? null : parseAmount(value, signed);
}

function invalid(field: string, problem: string): never {
  throw new ConnectorAdminError(Code.InvalidAccount, `${field}: ${problem}`, [
    { field, problems: [problem] },
  ]);
}

function checkLinkSettings(dto: CreateAccountDto): void {
  if (dto.outgoingUrl) {
    const isHttp = /^https?:\/\//.test(dto.outgoingUrl);
    if (dto.link === 'http' && !isHttp)
      invalid('outgoingUrl', 'an http link needs an http:// or https:// URL');
    if (dto.link === 'btp' && isHttp)
      invalid('outgoingUrl', 'a btp link needs a ws://, wss://, btp+ws:// or btp+wss:// URL');
    if (dto.link === 'btp') {
      try {
        const credentials = dto.outgoingToken !== undefined ? { token: dto.outgoingToken } : {};
        parseBtpUrl(dto.outgoingUrl, credentials);
      } catch (error) {
        invalid('outgoingUrl', (error as Error).message);
      }
    }
  }
  if (!dto.incomingToken && !dto.outgoingUrl) {
    invalid(
      'incomingToken',
      'an account needs an incomingToken (the peer connects to us), an outgoingUrl (we connect to it), or both',
    );
  }
  if (dto.link === 'http' && dto.outgoingUrl && !dto.outgoingToken) {
    invalid(
      'outgoingToken',
      'an http link with an outgoingUrl needs the bearer token the peer expects',
    );
  }
}

function checkBalanceSettings(a: Account): void {
  if (a.minBalance !== null && a.maxBalance !== null && a.minBalance > a.maxBalance) {
    invalid('minBalance', 'must not be above maxBalance');
  }
  if (a.settleTo !== null && a.settleThreshold === null)
    invalid('settleThreshold', 'is required with settleTo');
  if (a.settleTo !== null && a.settleThreshold !== null && a.settleTo > a.settleThreshold) {
    invalid('settleTo', 'must not be above settleThreshold');
  }
}

function checkRates(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConnectorAdminError(
      Code.InvalidRates,
      'body must be an object of asset code to rate, e.g. { "USD": "1", "EUR": "1.08" }',
    );
  }
  const out: Record<string, string> = {};
  const problems: { field: string; problems: string[] }[] = [];
  for (const [code, rate] of Object.entries(body)) {
    if (!/^[A-Za-z0-9]{1,12}$/.test(code)) {
      problems.push({ field: code, problems: ['asset codes are 1 to 12 letters or digits'] });
      continue;
    }
    if (
      typeof rate !== 'string' ||
      !/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(rate) ||
      rate.length > 64
    ) {
      problems.push({
        field: code,
        problems: ['a rate is a decimal string such as "1.08" (never a JSON number)'],
      });
      continue;
    }
    try {
      if (parseDecimal(rate).numerator === 0n) throw new Error('zero');
    } catch {
      problems.push({ field: code, problems: ['a rate must be greater than zero'] });
      continue;
    }
    out[code] = rate;
  }
  if (problems.length > 0) {
    throw new ConnectorAdminError(
      Code.InvalidRates,
      problems.map((p) => `${p.field}: ${p.problems.join(', ')}`).join('; '),
      problems,
    );
  }
  return out;
}
