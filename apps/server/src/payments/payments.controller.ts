/** `GET /api/payments`: the calling merchant's payments, newest first. */
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { CurrentMerchant, MerchantAuthGuard } from '../merchants/merchant-auth.guard';
import { Merchant } from '../merchants/merchant.entity';
import { ListPaymentsQuery } from './dto/list-payments.query';
import { PaymentView } from './payment-view';
import { PaymentsService } from './payments.service';
import { pageSize } from '../common/dto/page.query';

@Controller('api/payments')
@UseGuards(MerchantAuthGuard)
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  list(
    @CurrentMerchant() merchant: Merchant,
    @Query() query: ListPaymentsQuery,
  ): Promise<{ data: PaymentView[]; nextCursor: string | null }> {
    return this.payments.list(merchant, pageSize(query.limit), query.cursor, {
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      invoiceId: query.invoiceId,
    });
  }
}
