/**
 * What the merchant dashboard shows: totals received, invoices by status, revenue over time
 * (all from the journal, exact), and — for the node's owner only — the node's peer, parent
 * and child accounts with their live balances.
 *
 * Who owns the node: the merchant named by DEFAULT_MERCHANT, or the only merchant when there
 * is just one (the same merchant `$host` itself pays). On a node that hosts several
 * merchants without DEFAULT_MERCHANT, no merchant sees the node's accounts: they are the
 * operator's business (the admin API shows them).
 */
import { Inject, Injectable } from '@nestjs/common';
import { serializeAmount } from '../common/money/amount';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConnectorService } from '../connector/connector.service';
import type { InvoiceStatus } from '../invoices/invoice.entity';
import { Merchant } from '../merchants/merchant.entity';
import { MerchantsService } from '../merchants/merchants.service';
import { ListSettlementsQuery } from '../settlement/dto/list-settlements.query';
import { SettlementAdminService } from '../settlement/settlement-admin.service';
import { SettlementView } from '../settlement/settlement-view';
import { DashboardError, DashboardErrorCode as Code } from './dashboard.errors';
import { Bucket, DashboardRepository } from './dashboard.repository';

const BUCKET_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const DEFAULT_BUCKETS = 60;
const MAX_BUCKETS = 1_500;

export interface DashboardSummary {
  assetCode: string;
  assetScale: number;
  received: { total: string; payments: number };
  /** Since 00:00 UTC today. */
  today: { received: string; payments: number; since: string };
  invoices: Record<InvoiceStatus, { count: number; amount: string }>;
}

export interface RevenueSeries {
  bucket: Bucket;
  from: string;
  to: string;
  assetCode: string;
  assetScale: number;
  total: string;
  buckets: { start: string; amount: string; payments: number }[];
}

export interface PeerView {
  id: string;
  relation: string;
  assetCode: string;
  assetScale: number;
  ilpAddress: string | null;
  /** Positive: this node owes the account; negative: the account owes this node. */
  balance: string;
  reservedIncoming: string;
  reservedOutgoing: string;
  connected: boolean;
}

@Injectable()
export class DashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly merchants: MerchantsService,
    private readonly connector: ConnectorService,
    private readonly settlementAdmin: SettlementAdminService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async summary(merchant: Merchant): Promise<DashboardSummary> {
    const now = new Date();
    const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const [total, today, invoices] = await Promise.all([
      this.repository.received(merchant.slug),
      this.repository.received(merchant.slug, midnight),
      this.repository.invoicesByStatus(merchant.id),
    ]);
    const view = (s: { count: number; amount: bigint }) => ({
      count: s.count,
      amount: serializeAmount(s.amount),
    });
    return {
      assetCode: merchant.assetCode,
      assetScale: merchant.assetScale,
      received: { total: serializeAmount(total.amount), payments: total.payments },
      today: {
        received: serializeAmount(today.amount),
        payments: today.payments,
        since: midnight.toISOString(),
      },
      invoices: {
        open: view(invoices.open),
        paid: view(invoices.paid),
        expired: view(invoices.expired),
      },
    };
  }

  async revenue(
    merchant: Merchant,
    bucket: Bucket = 'hour',
    fromText?: string,
    toText?: string,
  ): Promise<RevenueSeries> {
    const to = toText ? new Date(toText) : new Date();
    const from = fromText
      ? new Date(fromText)
      : new Date(to.getTime() - (DEFAULT_BUCKETS - 1) * BUCKET_MS[bucket]);
    if (!(from.getTime() < to.getTime())) {
      throw new DashboardError(Code.InvalidRange, 'from must be before to', [
        { field: 'from', problems: ['must be before to'] },
      ]);
    }
    if ((to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_BUCKETS) {
      throw new DashboardError(
        Code.InvalidRange,
        `from: at most ${MAX_BUCKETS} ${bucket} buckets per request; use a wider bucket`,
        [{ field: 'from', problems: [`at most ${MAX_BUCKETS} buckets`] }],
      );
    }
    const rows = await this.repository.revenue(merchant.slug, bucket, from, to);
    return {
      bucket,
      from: from.toISOString(),
      to: to.toISOString(),
      assetCode: merchant.assetCode,
      assetScale: merchant.assetScale,
      total: serializeAmount(rows.reduce((sum, r) => sum + r.amount, 0n)),
      buckets: rows.map((r) => ({
        start: r.start.toISOString(),
        amount: serializeAmount(r.amount),
        payments: r.payments,
      })),
    };
  }

  async peers(merchant: Merchant): Promise<PeerView[]> {
    if (!(await this.ownsNode(merchant))) {
      throw new DashboardError(
        Code.NotNodeOwner,
        "only the node owner's merchant (DEFAULT_MERCHANT, or the only merchant) sees the node's accounts",
      );
    }
    const merchantAccounts = new Set((await this.merchants.listEntities()).map((m) => m.slug));
    return this.connector.connector
      .accounts()
      .filter((a) => !merchantAccounts.has(a.config.id))
      .map((a) => ({
        id: a.config.id,
        relation: a.config.relation,
        assetCode: a.config.assetCode,
        assetScale: a.config.assetScale,
        ilpAddress: a.address ?? null,
        balance: serializeAmount(a.balance),
        reservedIncoming: serializeAmount(a.reservedIncoming),
        reservedOutgoing: serializeAmount(a.reservedOutgoing),
        connected: a.connected,
      }))
      .sort((x, y) => x.id.localeCompare(y.id));
  }

  /**
   * The node's settlements with its peers (same list, filters and cursor as the admin API):
   * the operator's business, so for the node owner's merchant only.
   */
  async settlements(
    merchant: Merchant,
    query: ListSettlementsQuery,
  ): Promise<{ data: SettlementView[]; nextCursor: string | null }> {
    if (!(await this.ownsNode(merchant))) {
      throw new DashboardError(
        Code.NotNodeOwner,
        "only the node owner's merchant (DEFAULT_MERCHANT, or the only merchant) sees the node's settlements",
      );
    }
    return this.settlementAdmin.list(query);
  }

  private async ownsNode(merchant: Merchant): Promise<boolean> {
    if (this.config.defaultMerchant) return merchant.slug === this.config.defaultMerchant;
    const all = await this.merchants.listEntities();
    return all.length === 1 && all[0].id === merchant.id;
  }
}
