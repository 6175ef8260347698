/**
 * The node operator's webhook endpoints, for node-level events (`settlement.completed` and
 * whatever else is published with no merchant): the same operations as merchants have.
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
import { AdminGuard } from '../admin/admin.guard';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';
import { WebhookDeliveryView, WebhookEndpointView, WebhooksService } from './webhooks.service';
import { pageSize } from '../common/dto/page.query';

@Controller('api/admin/webhooks')
@UseGuards(AdminGuard)
export class AdminWebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  create(
    @Body() body: CreateWebhookDto,
  ): Promise<{ webhook: WebhookEndpointView; secret: string }> {
    return this.webhooks.create(null, body);
  }

  @Get()
  list(): Promise<WebhookEndpointView[]> {
    return this.webhooks.list(null);
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEndpointView> {
    return this.webhooks.get(null, id);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.webhooks.remove(null, id);
  }

  @Get(':id/deliveries')
  deliveries(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<{ data: WebhookDeliveryView[]; nextCursor: string | null }> {
    return this.webhooks.deliveries(null, id, pageSize(query.limit), query.cursor);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  resend(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('deliveryId', new ParseUUIDPipe()) deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.resend(null, id, deliveryId);
  }
}
