/** Filters and paging of `GET /api/admin/settlements`. */
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../common/dto/page.query';
import type { SettlementDirection, SettlementState } from '../settlement.entity';

export class ListSettlementsQuery extends PageQuery {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_~-]{1,64}$/, { message: 'accountId must be an account id' })
  accountId?: string;

  @IsOptional()
  @IsIn(['queued', 'sent', 'confirmed', 'failed'])
  state?: SettlementState;

  @IsOptional()
  @IsIn(['outgoing', 'incoming'])
  direction?: SettlementDirection;
}
