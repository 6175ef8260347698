/** `GET /api/dashboard/revenue` query. */
import { IsIn, IsOptional } from 'class-validator';
import { IsIsoDateTime } from '../../common/dto/page.query';
import type { Bucket } from '../dashboard.repository';

export const BUCKETS: Bucket[] = ['minute', 'hour', 'day'];

export class RevenueQuery {
  /** Bucket width (default hour); buckets are aligned to UTC. */
  @IsOptional()
  @IsIn(BUCKETS, { message: `bucket must be one of ${BUCKETS.join(', ')}` })
  bucket?: Bucket;

  /** Start (its bucket is included); default: 60 buckets before `to`. */
  @IsIsoDateTime('from')
  from?: string;

  /** End, exclusive; default now. */
  @IsIsoDateTime('to')
  to?: string;
}
