/** Filters and paging of `GET /api/admin/settlements`. */
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { SettlementDirection, SettlementState } from '../settlement.entity';

export class ListSettlementsQuery {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_~-]{1,64}$/, { message: 'accountId must be an account id' })
  accountId?: string;

  @IsOptional()
  @IsIn(['queued', 'sent', 'confirmed', 'failed'])
  state?: SettlementState;

  @IsOptional()
  @IsIn(['outgoing', 'incoming'])
  direction?: SettlementDirection;

  /** 1..200, default 50. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  cursor?: string;
}
