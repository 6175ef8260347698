/** The calling merchant's dashboard data (its own only). */
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { CurrentMerchant, MerchantAuthGuard } from '../merchants/merchant-auth.guard';
import { Merchant } from '../merchants/merchant.entity';
import { DashboardService, DashboardSummary, PeerView, RevenueSeries } from './dashboard.service';
import { RevenueQuery } from './dto/revenue.query';
import { ListSettlementsQuery } from '../settlement/dto/list-settlements.query';
import { SettlementView } from '../settlement/settlement-view';

@Controller('api/dashboard')
@UseGuards(MerchantAuthGuard)
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('summary')
  summary(@CurrentMerchant() merchant: Merchant): Promise<DashboardSummary> {
    return this.dashboard.summary(merchant);
  }

  @Get('revenue')
  revenue(
    @CurrentMerchant() merchant: Merchant,
    @Query() query: RevenueQuery,
  ): Promise<RevenueSeries> {
    return this.dashboard.revenue(merchant, query.bucket, query.from, query.to);
  }

  @Get('peers')
  peers(@CurrentMerchant() merchant: Merchant): Promise<PeerView[]> {
    return this.dashboard.peers(merchant);
  }

  /** The node's settlements, for the node owner's merchant (403 `not_node_owner` otherwise). */
  @Get('settlements')
  settlements(
    @CurrentMerchant() merchant: Merchant,
    @Query() query: ListSettlementsQuery,
  ): Promise<{ data: SettlementView[]; nextCursor: string | null }> {
    return this.dashboard.settlements(merchant, query);
  }
}
