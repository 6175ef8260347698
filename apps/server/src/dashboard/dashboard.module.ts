/** The merchant dashboard's data: summary, revenue series, and the node's accounts for its owner. */
import { Module } from '@nestjs/common';
import { ConnectorModule } from '../connector/connector.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';

@Module({
  imports: [MerchantsModule, ConnectorModule],
  controllers: [DashboardController],
  providers: [DashboardRepository, DashboardService],
})
export class DashboardModule {}
