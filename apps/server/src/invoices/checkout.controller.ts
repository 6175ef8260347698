/**
 * What a checkout page needs, without a merchant key (the invoice id is the capability, as
 * with hosted checkout links): `GET /api/checkout/:id` and its live progress as
 * Server-Sent Events on `GET /api/checkout/:id/events` (a snapshot first, then every change,
 * ending once the invoice is paid or expired). No metadata is exposed.
 */
import {
  Controller,
  Get,
  Inject,
  MessageEvent,
  Param,
  ParseUUIDPipe,
  Req,
  Sse,
} from '@nestjs/common';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { publicBaseUrl } from '../common/public-url';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CheckoutView, EXPIRY_GRACE_MS, InvoicesService } from './invoices.service';
import { InvoiceEvents } from './invoice-events';

@Controller('api/checkout')
export class CheckoutController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly updates: InvoiceEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: Request): Promise<CheckoutView> {
    return this.invoices.checkout(id, publicBaseUrl(this.config, req));
  }

  @Sse(':id/events')
  async events(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: Request,
  ): Promise<Observable<MessageEvent>> {
    const first = await this.invoices.checkout(id, publicBaseUrl(this.config, req));
    return new Observable<MessageEvent>((subscriber) => {
      subscriber.next({ type: 'invoice', data: first });
      if (first.status !== 'open') {
        subscriber.complete();
        return undefined;
      }
      const unsubscribe = this.updates.subscribe(id, (update) => {
        subscriber.next({
          type: 'invoice',
          data: { ...first, status: update.status, received: update.received },
        });
        if (update.status !== 'open') subscriber.complete();
      });
      // Expiry needs no payment to happen: end the stream when the invoice runs out (after
      // the grace in which money accepted in time may still make it paid).
      const expiry = setTimeout(
        () => {
          void this.invoices.checkout(id, publicBaseUrl(this.config, req)).then(
            (now) => {
              subscriber.next({ type: 'invoice', data: now });
              if (now.status !== 'open') subscriber.complete();
            },
            () => undefined,
          );
        },
        Math.max(0, new Date(first.expiresAt).getTime() + EXPIRY_GRACE_MS - Date.now() + 50),
      );
      return () => {
        unsubscribe();
        clearTimeout(expiry);
      };
    });
  }
}
