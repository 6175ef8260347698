/** Invoices; exports the service the STREAM receiver uses to accept and settle payments. */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MerchantsModule } from '../merchants/merchants.module';
import { CheckoutController } from './checkout.controller';
import { Invoice } from './invoice.entity';
import { InvoiceEvents } from './invoice-events';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [TypeOrmModule.forFeature([Invoice]), MerchantsModule],
  controllers: [InvoicesController, CheckoutController],
  providers: [InvoicesRepository, InvoicesService, InvoiceEvents],
  exports: [InvoicesService, InvoiceEvents],
})
export class InvoicesModule {}
