/** `GET /api/invoices` query: page size, cursor, and optional filters. */
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import type { InvoiceStatus } from '../invoice.entity';

const STATUSES: InvoiceStatus[] = ['open', 'paid', 'expired'];
const DATE_MESSAGE = (field: string) =>
  `${field} must be an ISO-8601 date-time, e.g. 2026-12-01T12:00:00Z`;

export class ListInvoicesQuery {
  /** 1 to 200 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  limit?: number;

  @IsOptional()
  @IsString()
  cursor?: string;

  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: InvoiceStatus;

  /** Created at or after (ISO-8601). */
  @IsOptional()
  @IsDateString({ strict: true }, { message: DATE_MESSAGE('from') })
  from?: string;

  /** Created before (ISO-8601). */
  @IsOptional()
  @IsDateString({ strict: true }, { message: DATE_MESSAGE('to') })
  to?: string;
}
