/** Expected failures of the invoices domain, each with its HTTP status. */
import { HttpException, HttpStatus } from '@nestjs/common';

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

export class InvoiceError extends HttpException {
  constructor(
    readonly code: InvoiceErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(details === undefined ? { message } : { message, details }, STATUS[code]);
  }
}
