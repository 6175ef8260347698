/** `GET /api/dashboard/settlements`: the node's settlements, for the node owner's merchant. */
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentMerchant, MerchantAuthGuard } from '../merchants/merchant-auth.guard';
import { Merchant } from '../merchants/merchant.entity';
import { ListSettlementsQuery } from '../settlement/dto/list-settlements.query';
import { SettlementView } from '../settlement/settlement-view';
import { DashboardSettlementsService } from './dashboard-settlements.service';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('api/dashboard/settlements')
@UseGuards(MerchantAuthGuard)
export class DashboardSettlementsController {
  constructor(private readonly settlements: DashboardSettlementsService) {}

  @Get()
  list(
    @CurrentMerchant() merchant: Merchant,
    @Query() query: ListSettlementsQuery,
  ): Promise<{ data: SettlementView[]; nextCursor: string | null }> {
    return this.settlements.list(merchant, query);
  }
}
