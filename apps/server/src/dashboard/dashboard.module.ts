/**
 * The merchant dashboard's data: summary, revenue series, and for the node owner's merchant
 * the node's accounts and settlements.
 */
import { Module } from '@nestjs/common';
import { ConnectorModule } from '../connector/connector.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { SettlementModule } from '../settlement/settlement.module';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';

@Module({
  imports: [MerchantsModule, ConnectorModule, SettlementModule],
  controllers: [DashboardController],
  providers: [DashboardRepository, DashboardService],
})
export class DashboardModule {}
