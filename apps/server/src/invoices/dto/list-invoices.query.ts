/** `GET /api/invoices` query: page size, cursor, and optional filters. */
import { IsIn, IsOptional } from 'class-validator';
import { IsIsoDateTime, PageQuery } from '../../common/dto/page.query';
import type { InvoiceStatus } from '../invoice.entity';

const STATUSES: InvoiceStatus[] = ['open', 'paid', 'expired'];

export class ListInvoicesQuery extends PageQuery {
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: InvoiceStatus;

  /** Created at or after (ISO-8601). */
  @IsIsoDateTime('from')
  from?: string;

  /** Created before (ISO-8601). */
  @IsIsoDateTime('to')
  to?: string;
}
