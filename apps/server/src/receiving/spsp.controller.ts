/**
 * SPSP (RFC 9) for merchants and invoices: `GET /.well-known/pay` (the default merchant),
 * `GET /:merchant` and `GET /:merchant/invoices/:id` with `Accept: application/spsp4+json`.
 * Each query mints a fresh STREAM address and secret; nothing is stored until money arrives.
 */
import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Options,
  Param,
  Req,
  Res,
} from '@nestjs/common';
import { handleSpspRequest, SPSP_CORS_HEADERS } from '@tollgate/spsp';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { InvoicesService } from '../invoices/invoices.service';
import { Merchant } from '../merchants/merchant.entity';
import { MerchantsService } from '../merchants/merchants.service';
import { StreamReceiverService } from './stream-receiver.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller()
export class SpspController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly invoices: InvoicesService,
    private readonly receiver: StreamReceiverService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('.well-known/pay')
  wellKnown(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.serve(req, res, async () => {
      const merchant = await this.defaultMerchant();
      return merchant && { merchant };
    });
  }

  @Get(':merchant')
  merchant(
    @Param('merchant') slug: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.serve(req, res, async () => {
      const merchant = await this.merchants.findBySlug(slug);
      return merchant ? { merchant } : undefined;
    });
  }

  @Get(':merchant/invoices/:id')
  invoice(
    @Param('merchant') slug: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.serve(req, res, async () => {
      if (!UUID.test(id)) return undefined;
      const merchant = await this.merchants.findBySlug(slug);
      if (!merchant) return undefined;
      const found = await this.invoices.forPayment(id);
      // A paid or expired invoice no longer takes payments: it is not a receiver any more
      // (nor is one past its expiry that is open only until its in-time money is counted).
      if (
        !found ||
        found.invoice.merchantId !== merchant.id ||
        found.invoice.status !== 'open' ||
        found.invoice.expiresAt.getTime() <= Date.now()
      ) {
        return undefined;
      }
      return { merchant, invoiceId: id };
    });
  }

  @Options(['.well-known/pay', ':merchant', ':merchant/invoices/:id'])
  @HttpCode(204)
  preflight(
    @Headers('origin') _origin: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): void {
    for (const [name, value] of Object.entries(SPSP_CORS_HEADERS)) res.setHeader(name, value);
  }

  /** Answers one SPSP query for the receiver `find` names (undefined: 404). */
  private async serve(
    req: Request,
    res: Response,
    find: () => Promise<{ merchant: Merchant; invoiceId?: string } | undefined>,
  ): Promise<void> {
    const answer = await handleSpspRequest({ headers: req.headers }, async (receipts) => {
      const receiver = await find();
      if (!receiver) return undefined;
      const credentials = await this.receiver.credentials(
        receiver.merchant,
        receiver.invoiceId,
        receipts,
      );
      return {
        destinationAccount: credentials.destinationAddress,
        sharedSecret: credentials.sharedSecret,
      };
    });
    res.status(answer.status).set(answer.headers).send(JSON.stringify(answer.body));
  }

  /** DEFAULT_MERCHANT, or the only merchant when there is exactly one. */
  private async defaultMerchant(): Promise<Merchant | undefined> {
    if (this.config.defaultMerchant)
      return (await this.merchants.findBySlug(this.config.defaultMerchant)) ?? undefined;
    const all = await this.merchants.listEntities();
    return all.length === 1 ? all[0] : undefined;
  }
}
