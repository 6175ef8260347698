/**
 * Webhooks: endpoints (merchant and node-level), the event outbox, signed delivery through
 * the job queue with retries, and the producers of invoice events. Exports `WebhookEvents`,
 * the one way other modules publish an event (e.g. `settlement.completed`).
 */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../admin/admin.module';
import { NodeSetting } from '../admin/node-setting.entity';
import { InvoicesModule } from '../invoices/invoices.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { AdminWebhooksController } from './admin-webhooks.controller';
import { InvoiceWebhooksListener } from './invoice-webhooks.listener';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookEvents } from './webhook-events.service';
import { WebhookSecretsService } from './webhook-secrets.service';
import { WebhookMetrics } from './webhook.metrics';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [TypeOrmModule.forFeature([NodeSetting]), AdminModule, MerchantsModule, InvoicesModule],
  controllers: [WebhooksController, AdminWebhooksController],
  providers: [
    WebhooksRepository,
    WebhooksService,
    WebhookSecretsService,
    WebhookDeliveryProcessor,
    WebhookEvents,
    InvoiceWebhooksListener,
    WebhookMetrics,
  ],
  exports: [WebhookEvents],
})
export class WebhooksModule {}
