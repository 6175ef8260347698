/**
 * Invoices; exports the service the STREAM receiver uses to accept and settle payments, the
 * live update bus, and the transition hooks (webhooks record events in the same transaction).
 */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MerchantsModule } from '../merchants/merchants.module';
import { CheckoutController } from './checkout.controller';
import { Invoice } from './invoice.entity';
import { InvoiceEvents } from './invoice-events';
import { InvoiceExpirySweeper } from './invoice-expiry.sweeper';
import { InvoiceTransitions } from './invoice-transitions';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [TypeOrmModule.forFeature([Invoice]), MerchantsModule],
  controllers: [InvoicesController, CheckoutController],
  providers: [
    InvoicesRepository,
    InvoicesService,
    InvoiceEvents,
    InvoiceTransitions,
    InvoiceExpirySweeper,
  ],
  exports: [InvoicesService, InvoiceEvents, InvoiceTransitions],
})
export class InvoicesModule {}
