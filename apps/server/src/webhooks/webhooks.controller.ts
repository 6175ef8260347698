/**
 * A merchant's webhook endpoints: register (the signing secret is in the 201 answer, once),
 * list, delete, inspect deliveries with every attempt, and re-send a delivery.
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { CurrentMerchant, MerchantAuthGuard } from '../merchants/merchant-auth.guard';
import { Merchant } from '../merchants/merchant.entity';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';
import { WebhookDeliveryView, WebhookEndpointView, WebhooksService } from './webhooks.service';
import { pageSize } from '../common/dto/page.query';

@Controller('api/webhooks')
@UseGuards(MerchantAuthGuard)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  create(
    @CurrentMerchant() merchant: Merchant,
    @Body() body: CreateWebhookDto,
  ): Promise<{ webhook: WebhookEndpointView; secret: string }> {
    return this.webhooks.create(merchant.id, body);
  }

  @Get()
  list(@CurrentMerchant() merchant: Merchant): Promise<WebhookEndpointView[]> {
    return this.webhooks.list(merchant.id);
  }

  @Get(':id')
  get(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.get(merchant.id, id);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    return this.webhooks.remove(merchant.id, id);
  }

  @Get(':id/deliveries')
  deliveries(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<{ data: WebhookDeliveryView[]; nextCursor: string | null }> {
    return this.webhooks.deliveries(merchant.id, id, pageSize(query.limit), query.cursor);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  resend(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('deliveryId', new ParseUUIDPipe()) deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.resend(merchant.id, id, deliveryId);
  }
}
