/**
 * Settlement (RFC 38), the connector's side: settlements table and its state machine, the
 * jobs that ask engines to pay, the engine-facing API that credits what peers paid, and the
 * `peer.settle` message relay between engines.
 */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../admin/admin.module';
import { ConnectorModule } from '../connector/connector.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AdminSettlementsController } from './admin-settlements.controller';
import { SettlementAdminService } from './settlement-admin.service';
import { SettlementApiServer } from './settlement-api.server';
import { Settlement } from './settlement.entity';
import { SettlementEvents } from './settlement-events';
import { SettlementMetrics } from './settlement.metrics';
import { SettlementWebhooks } from './settlement-webhooks';
import { SettlementRepository } from './settlement.repository';
import { SettlementService } from './settlement.service';

@Module({
  imports: [TypeOrmModule.forFeature([Settlement]), ConnectorModule, AdminModule, WebhooksModule],
  controllers: [AdminSettlementsController],
  providers: [
    SettlementRepository,
    SettlementService,
    SettlementAdminService,
    SettlementEvents,
    SettlementApiServer,
    SettlementMetrics,
    SettlementWebhooks,
  ],
  exports: [SettlementService, SettlementAdminService, SettlementEvents, SettlementApiServer],
})
export class SettlementModule {}
