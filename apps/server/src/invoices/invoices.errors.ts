/** Expected failures of the invoices domain, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum InvoiceErrorCode {
  UnknownInvoice = 'unknown_invoice',
  IdempotencyConflict = 'idempotency_conflict',
  InvalidInvoice = 'invalid_invoice',
}

const STATUS: Record<InvoiceErrorCode, HttpStatus> = {
  [InvoiceErrorCode.UnknownInvoice]: HttpStatus.NOT_FOUND,
  [InvoiceErrorCode.IdempotencyConflict]: HttpStatus.CONFLICT,
  [InvoiceErrorCode.InvalidInvoice]: HttpStatus.BAD_REQUEST,
};

export class InvoiceError extends DomainError<InvoiceErrorCode> {
  constructor(code: InvoiceErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
