/**
 * The node's settlements as its owner's merchant sees them on the dashboard. Settlements
 * are between the node and its peers: the operator's business, so only the merchant that
 * owns the node sees them — the one named by DEFAULT_MERCHANT, or the only merchant when
 * there is just one (the merchant `$host` itself pays). Same list, filters and cursor as
 * the admin API's `GET /api/admin/settlements`.
 */
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Merchant } from '../merchants/merchant.entity';
import { MerchantsService } from '../merchants/merchants.service';
import { ListSettlementsQuery } from '../settlement/dto/list-settlements.query';
import { SettlementAdminService } from '../settlement/settlement-admin.service';
import { SettlementView } from '../settlement/settlement-view';
import {
  DashboardSettlementsError,
  DashboardSettlementsErrorCode as Code,
} from './dashboard-settlements.errors';

@Injectable()
export class DashboardSettlementsService {
  constructor(
    private readonly settlements: SettlementAdminService,
    private readonly merchants: MerchantsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    merchant: Merchant,
    query: ListSettlementsQuery,
  ): Promise<{ data: SettlementView[]; nextCursor: string | null }> {
    if (!(await this.ownsNode(merchant))) {
      throw new DashboardSettlementsError(
        Code.NotNodeOwner,
        "only the node owner's merchant (DEFAULT_MERCHANT, or the only merchant) sees the node's settlements",
      );
    }
    return this.settlements.list(query);
  }

  private async ownsNode(merchant: Merchant): Promise<boolean> {
    if (this.config.defaultMerchant) return merchant.slug === this.config.defaultMerchant;
    const all = await this.merchants.listEntities();
    return all.length === 1 && all[0].id === merchant.id;
  }
}
