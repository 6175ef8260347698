/** `GET /api/payments` query: page size, cursor, filters. */
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, IsString, IsUUID } from 'class-validator';

const DATE_MESSAGE = (field: string) =>
  `${field} must be an ISO-8601 date-time, e.g. 2026-12-01T12:00:00Z`;

export class ListPaymentsQuery {
  /** 1 to 200 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  limit?: number;

  @IsOptional()
  @IsString()
  cursor?: string;

  /** First money at or after (ISO-8601). */
  @IsOptional()
  @IsDateString({ strict: true }, { message: DATE_MESSAGE('from') })
  from?: string;

  /** First money before (ISO-8601). */
  @IsOptional()
  @IsDateString({ strict: true }, { message: DATE_MESSAGE('to') })
  to?: string;

  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be an invoice id (a UUID)' })
  invoiceId?: string;
}
