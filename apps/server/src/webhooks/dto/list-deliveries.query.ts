/** `GET /api/webhooks/:id/deliveries` query. */
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';

export class ListDeliveriesQuery {
  /** 1 to 200 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  limit?: number;

  @IsOptional()
  @IsString()
  cursor?: string;
}
