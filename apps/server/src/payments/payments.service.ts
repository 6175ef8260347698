/** The merchant's payments (one per STREAM connection), newest first, with filters. */
import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { Merchant } from '../merchants/merchant.entity';
import { PaymentError, PaymentErrorCode as Code } from './payments.errors';
import { paymentView, PaymentView } from './payment-view';
import { PaymentFilter, PaymentsRepository } from './payments.repository';
import { PaymentsSweeper } from './payments.sweeper';

@Injectable()
export class PaymentsService {
  constructor(
    private readonly repository: PaymentsRepository,
    private readonly sweeper: PaymentsSweeper,
  ) {}

  async list(
    merchant: Merchant,
    limit: number,
    cursor: string | undefined,
    filter: PaymentFilter,
  ): Promise<{ data: PaymentView[]; nextCursor: string | null }> {
    const before = cursor === undefined ? undefined : parseCursor(cursor);
    // Bring the table up to the journal first, so a payment that just arrived is listed.
    if (!before) await this.sweeper.sweep();
    const rows = await this.repository.list(merchant.id, limit + 1, before, filter);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(paymentView),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ createdAt: last.firstAt, id: last.ref })
          : null,
    };
  }
}

/** Payments are ordered by (first money, ref): the cursor's position holds those. */
function parseCursor(cursor: string): { firstAt: Date; ref: string } {
  const position = decodeCursor(cursor);
  if (!position) {
    throw new PaymentError(Code.InvalidQuery, 'cursor is not one this API gave out', [
      { field: 'cursor', problems: ['invalid'] },
    ]);
  }
  return { firstAt: position.createdAt, ref: position.id };
}
