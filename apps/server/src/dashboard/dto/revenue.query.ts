/** `GET /api/dashboard/revenue` query. */
import { IsDateString, IsIn, IsOptional } from 'class-validator';
import type { Bucket } from '../dashboard.repository';

export const BUCKETS: Bucket[] = ['minute', 'hour', 'day'];
const DATE_MESSAGE = (field: string) =>
  `${field} must be an ISO-8601 date-time, e.g. 2026-12-01T12:00:00Z`;

export class RevenueQuery {
  /** Bucket width (default hour); buckets are aligned to UTC. */
  @IsOptional()
  @IsIn(BUCKETS, { message: `bucket must be one of ${BUCKETS.join(', ')}` })
  bucket?: Bucket;

  /** Start (its bucket is included); default: 60 buckets before `to`. */
  @IsOptional()
  @IsDateString({ strict: true }, { message: DATE_MESSAGE('from') })
  from?: string;

  /** End, exclusive; default now. */
  @IsOptional()
  @IsDateString({ strict: true }, { message: DATE_MESSAGE('to') })
  to?: string;
}
