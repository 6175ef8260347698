/** The merchant dashboard's read-only view of the node's settlements (node owner only). */
import { Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module';
import { SettlementModule } from '../settlement/settlement.module';
import { DashboardSettlementsController } from './dashboard-settlements.controller';
import { DashboardSettlementsService } from './dashboard-settlements.service';

@Module({
  imports: [MerchantsModule, SettlementModule],
  controllers: [DashboardSettlementsController],
  providers: [DashboardSettlementsService],
})
export class DashboardSettlementsModule {}
