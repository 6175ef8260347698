/** The merchant's invoices: create (idempotent with `Idempotency-Key`), read, list. */
import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { publicBaseUrl } from '../common/public-url';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CurrentMerchant, MerchantAuthGuard } from '../merchants/merchant-auth.guard';
import { Merchant } from '../merchants/merchant.entity';
import { CreateInvoiceDto } from './dto/create-invoice.dto';
import { ListInvoicesQuery } from './dto/list-invoices.query';
import { InvoiceView } from './invoice-view';
import { InvoicesService } from './invoices.service';
import { pageSize } from '../common/dto/page.query';

@Controller('api/invoices')
@UseGuards(MerchantAuthGuard)
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  async create(
    @CurrentMerchant() merchant: Merchant,
    @Body() body: CreateInvoiceDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceView> {
    const { invoice, created } = await this.invoices.create(
      merchant,
      body,
      idempotencyKey,
      publicBaseUrl(this.config, req),
    );
    res.status(created ? 201 : 200);
    if (!created) res.setHeader('Idempotent-Replayed', 'true');
    return invoice;
  }

  @Get(':id')
  get(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: Request,
  ): Promise<InvoiceView> {
    return this.invoices.get(merchant, id, publicBaseUrl(this.config, req));
  }

  @Get()
  list(
    @CurrentMerchant() merchant: Merchant,
    @Query() query: ListInvoicesQuery,
    @Req() req: Request,
  ): Promise<{ data: InvoiceView[]; nextCursor: string | null }> {
    return this.invoices.list(
      merchant,
      pageSize(query.limit),
      query.cursor,
      publicBaseUrl(this.config, req),
      {
        status: query.status,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
      },
    );
  }
}
