/** Expected failures of the payments domain, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum PaymentErrorCode {
  InvalidQuery = 'invalid_query',
}

const STATUS: Record<PaymentErrorCode, HttpStatus> = {
  [PaymentErrorCode.InvalidQuery]: HttpStatus.BAD_REQUEST,
};

export class PaymentError extends DomainError<PaymentErrorCode> {
  constructor(code: PaymentErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
