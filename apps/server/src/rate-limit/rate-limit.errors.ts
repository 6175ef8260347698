/** Expected failures of rate limiting, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum RateLimitErrorCode {
  RateLimited = 'rate_limited',
}

const STATUS: Record<RateLimitErrorCode, HttpStatus> = {
  [RateLimitErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
};

export class RateLimitError extends DomainError<RateLimitErrorCode> {
  constructor(code: RateLimitErrorCode, message: string) {
    super(code, STATUS[code], message);
  }
}
