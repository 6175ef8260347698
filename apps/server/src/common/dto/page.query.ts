/**
 * What every cursor-paged list accepts (`?limit=&cursor=`), and the one rule for ISO-8601
 * date-time filters, so all lists read and fail the same way.
 */
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, IsString } from 'class-validator';

export class PageQuery {
  /** 1 to 200 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** The page size a list uses: `limit` clamped to 1..200, 50 when absent. */
export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? 50, 1), 200);
}

/** An optional ISO-8601 date-time query field, e.g. `from` or `to`. */
export function IsIsoDateTime(field: string): PropertyDecorator {
  const rule = IsDateString(
    { strict: true },
    { message: `${field} must be an ISO-8601 date-time, e.g. 2026-12-01T12:00:00Z` },
  );
  return (target, key) => {
    IsOptional()(target, key);
    rule(target, key);
  };
}
