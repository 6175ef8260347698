/** Admin REST for settlements: the list and state of each, settle now, retry. */
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { AdminGuard } from '../admin/admin.guard';
import { ListSettlementsQuery } from './dto/list-settlements.query';
import { SettleNowDto } from './dto/settle-now.dto';
import { SettlementAdminService } from './settlement-admin.service';
import { SettlementView } from './settlement-view';

@Controller('api/admin')
@UseGuards(AdminGuard)
export class AdminSettlementsController {
  constructor(private readonly settlements: SettlementAdminService) {}

  /** Newest first, with `nextCursor` for the next page. */
  @Get('settlements')
  list(
    @Query() query: ListSettlementsQuery,
  ): Promise<{ data: SettlementView[]; nextCursor: string | null }> {
    return this.settlements.list(query);
  }

  @Get('settlements/:id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<SettlementView> {
    return this.settlements.get(id);
  }

  /** Puts a queued or sent settlement back on the queue now (e.g. after its engine was fixed). */
  @Post('settlements/:id/retry')
  @HttpCode(202)
  retry(@Param('id', ParseUUIDPipe) id: string): Promise<SettlementView> {
    return this.settlements.retry(id);
  }

  /** Settles `amount` of what the node owes the account now, whatever its threshold. */
  @Post('accounts/:id/settlements')
  settleNow(@Param('id') id: string, @Body() body: SettleNowDto): Promise<SettlementView> {
    return this.settlements.settleNow(id, BigInt(body.amount));
  }
}
