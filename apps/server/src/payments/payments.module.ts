/**
 * Payments: one per STREAM connection that paid a merchant, kept from the journal, listed
 * over REST and announced with `payment.received`. Exports the service (the dashboard reads
 * through it).
 */
import { Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { PaymentsSweeper } from './payments.sweeper';

@Module({
  imports: [MerchantsModule, WebhooksModule],
  controllers: [PaymentsController],
  providers: [PaymentsRepository, PaymentsService, PaymentsSweeper],
  exports: [PaymentsService],
})
export class PaymentsModule {}
