/** The calling merchant's dashboard data (its own only). */
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { CurrentMerchant, MerchantAuthGuard } from '../merchants/merchant-auth.guard';
import { Merchant } from '../merchants/merchant.entity';
import { DashboardService, DashboardSummary, PeerView, RevenueSeries } from './dashboard.service';
import { RevenueQuery } from './dto/revenue.query';

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
}
