/**
 * Demo wallets: customer accounts on this node (BTP children) funded from the node's demo
 * money, so the checkout can be tried on one machine. Not for production: the money is
 * made up by the node (an `adjustment` in the journal), bounded per top-up and per wallet,
 * and wallet creation is rate-limited per client address with a cap on wallets overall.
 *
 * Money moves only through the connector (`adjustBalance` for top-ups, packets for
 * payments), so balances, journal and credit limits stay exact: a wallet's `minBalance`
 * is 0, so it can never spend more than it holds.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { generateToken } from '../admin/secret-hash';
import { MAX_UINT64, parseAmount, serializeAmount } from '../common/money/amount';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConnectorAdminService } from '../connector/connector-admin.service';
import { ConnectorService } from '../connector/connector.service';
import { CreationLimiter } from './creation-limiter';
import { DemoWalletError, DemoWalletErrorCode as Code } from './demo-wallet.errors';
import { DemoWalletRepository, JournalRow } from './demo-wallet.repository';

/** Every demo wallet's account id starts with this; the demo API serves no other account. */
export const DEMO_WALLET_PREFIX = 'demo-';
/** Whole units of the node's asset in one top-up (also the first funding). */
const TOP_UP_UNITS = 20n;
/** Whole units a wallet may hold at most. */
const MAX_BALANCE_UNITS = 100n;
const MAX_WALLETS = 1_000;
const CREATIONS_PER_CLIENT = 10;
const CREATION_WINDOW_MS = 10 * 60 * 1000;
const HISTORY_ROWS = 200;
const HISTORY_ENTRIES = 50;
/** Packet rows closer together than this are one payment in the history. */
const PAYMENT_GAP_MS = 10_000;

export type WalletEntryKind = 'top-up' | 'payment' | 'received' | 'adjustment';

export interface WalletHistoryEntry {
  kind: WalletEntryKind;
  /** Signed base units: negative when money left the wallet. */
  amount: string;
  /** When it happened (the last packet of a payment). */
  at: string;
}

export interface DemoWalletView {
  id: string;
  ilpAddress: string;
  assetCode: string;
  assetScale: number;
  /** Base units the wallet holds (what the node owes it). */
  balance: string;
  /** What one top-up adds, and the most a wallet may hold. */
  topUpAmount: string;
  maxBalance: string;
  history: WalletHistoryEntry[];
}

/** `GET /api/demo`; a node with demo wallets off has no such route (404). */
export interface DemoInfo {
  enabled: true;
  assetCode: string;
  assetScale: number;
  topUpAmount: string;
  maxBalance: string;
}

@Injectable()
export class DemoWalletService {
  private readonly limiter = new CreationLimiter(CREATIONS_PER_CLIENT, CREATION_WINDOW_MS);
  private readonly topUpAmount: bigint;
  private readonly maxBalance: bigint;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connectorService: ConnectorService,
    private readonly accounts: ConnectorAdminService,
    private readonly repository: DemoWalletRepository,
  ) {
    const unit = 10n ** BigInt(config.assetScale);
    this.topUpAmount = min(TOP_UP_UNITS * unit, MAX_UINT64 / 8n);
    this.maxBalance = min(MAX_BALANCE_UNITS * unit, MAX_UINT64 / 2n);
  }

  /** What a page needs to offer a demo wallet: its asset and the demo limits. */
  info(): DemoInfo {
    return {
      enabled: true,
      assetCode: this.config.assetCode,
      assetScale: this.config.assetScale,
      topUpAmount: serializeAmount(this.topUpAmount),
      maxBalance: serializeAmount(this.maxBalance),
    };
  }

  /** A new wallet with one top-up; the token is returned here once and stored hashed. */
  async create(client: string): Promise<{ wallet: DemoWalletView; token: string }> {
    if (!this.limiter.tryTake(client)) {
      throw new DemoWalletError(
        Code.TooManyWallets,
        `at most ${CREATIONS_PER_CLIENT} demo wallets per ${CREATION_WINDOW_MS / 60_000} minutes from one address`,
      );
    }
    if ((await this.repository.countWallets(DEMO_WALLET_PREFIX)) >= MAX_WALLETS) {
      throw new DemoWalletError(
        Code.TooManyWallets,
        'this node has made all the demo wallets it will',
      );
    }
    const id = `${DEMO_WALLET_PREFIX}${randomBytes(9).toString('base64url')}`;
    const token = generateToken('wallet');
    await this.accounts.createAccount({
      id,
      assetCode: this.config.assetCode,
      assetScale: this.config.assetScale,
      relation: 'child',
      link: 'btp',
      incomingToken: token,
      minBalance: '0',
    });
    await this.connectorService.connector.adjustBalance(id, this.topUpAmount, 'demo top-up');
    return { wallet: await this.view(id), token };
  }

  async get(id: string, token: string | undefined): Promise<DemoWalletView> {
    this.authorize(id, token);
    return this.view(id);
  }

  /** Adds up to one top-up, never past the wallet's cap (409 when it is already full). */
  async topUp(id: string, token: string | undefined, amount?: string): Promise<DemoWalletView> {
    this.authorize(id, token);
    const wanted = amount === undefined ? this.topUpAmount : parseAmount(amount);
    if (wanted === 0n || wanted > this.topUpAmount) {
      throw new DemoWalletError(
        Code.TopUpTooLarge,
        `amount must be from 1 to ${this.topUpAmount} base units`,
        [{ field: 'amount', problems: [`must be from 1 to ${this.topUpAmount}`] }],
      );
    }
    const connector = this.connectorService.connector;
    // Read and adjust with no await between them: two concurrent top-ups cannot both pass the cap.
    const room = this.maxBalance - connector.getBalance(id).balance;
    if (room <= 0n) {
      throw new DemoWalletError(
        Code.WalletFull,
        `a demo wallet holds at most ${this.maxBalance} base units`,
      );
    }
    await connector.adjustBalance(id, min(wanted, room), 'demo top-up');
    return this.view(id);
  }

  private authorize(id: string, token: string | undefined): void {
    if (!id.startsWith(DEMO_WALLET_PREFIX) || !this.exists(id)) {
      throw new DemoWalletError(Code.UnknownWallet, `no demo wallet ${id}`);
    }
    if (!token || this.connectorService.authenticate(id, token) !== id) {
      throw new DemoWalletError(Code.BadWalletToken, 'the wallet token does not match this wallet');
    }
  }

  private exists(id: string): boolean {
    try {
      this.connectorService.connector.getBalance(id);
      return true;
    } catch {
      return false;
    }
  }

  private async view(id: string): Promise<DemoWalletView> {
    const connector = this.connectorService.connector;
    // The history is read from Postgres: wait for what is applied in memory to be durable.
    await connector.flushed();
    const balance = connector.getBalance(id).balance;
    const rows = await this.repository.journal(id, HISTORY_ROWS);
    return {
      id,
      ilpAddress: `${this.config.ilpAddress}.${id}`,
      assetCode: this.config.assetCode,
      assetScale: this.config.assetScale,
      balance: serializeAmount(balance),
      topUpAmount: serializeAmount(this.topUpAmount),
      maxBalance: serializeAmount(this.maxBalance),
      history: history(rows).slice(0, HISTORY_ENTRIES),
    };
  }
}

/**
 * Journal rows (newest first) as a person reads them: top-ups one by one, and the packet
 * rows of one payment (the journal sums packets per batch) merged into one entry.
 */
export function history(rows: JournalRow[]): WalletHistoryEntry[] {
  const entries: WalletHistoryEntry[] = [];
  let open: { kind: WalletEntryKind; amount: bigint; at: Date; earliest: Date } | undefined;
  const flush = () => {
    if (open)
      entries.push({ kind: open.kind, amount: open.amount.toString(), at: open.at.toISOString() });
    open = undefined;
  };
  for (const row of rows) {
    if (row.kind !== 'packet') {
      flush();
      entries.push({
        kind: row.reason === 'demo top-up' ? 'top-up' : 'adjustment',
        amount: row.delta.toString(),
        at: row.createdAt.toISOString(),
      });
      continue;
    }
    const kind: WalletEntryKind = row.delta < 0n ? 'payment' : 'received';
    if (
      open &&
      open.kind === kind &&
      open.earliest.getTime() - row.createdAt.getTime() < PAYMENT_GAP_MS
    ) {
      open.amount += row.delta;
      open.earliest = row.createdAt;
      continue;
    }
    flush();
    open = { kind, amount: row.delta, at: row.createdAt, earliest: row.createdAt };
  }
  flush();
  return entries;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
