/** `POST /api/invoices`. */
import { IsDateString, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsAmount } from '../../common/money/is-amount.decorator';

export class CreateInvoiceDto {
  /** In the merchant's asset, base units, e.g. "1250" for 12.50 USD at scale 2. */
  @IsAmount()
  amount!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /** ISO-8601 time; default one hour from now. */
  @IsOptional()
  @IsDateString(
    { strict: true },
    { message: 'expiresAt must be an ISO-8601 date-time, e.g. 2026-12-01T12:00:00Z' },
  )
  expiresAt?: string;

  /** Up to 20 string values the merchant wants back (order numbers…). */
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;
}
