/** `GET /api/payments` query: page size, cursor, filters. */
import { IsOptional, IsUUID } from 'class-validator';
import { IsIsoDateTime, PageQuery } from '../../common/dto/page.query';

export class ListPaymentsQuery extends PageQuery {
  /** First money at or after (ISO-8601). */
  @IsIsoDateTime('from')
  from?: string;

  /** First money before (ISO-8601). */
  @IsIsoDateTime('to')
  to?: string;

  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be an invoice id (a UUID)' })
  invoiceId?: string;
}
