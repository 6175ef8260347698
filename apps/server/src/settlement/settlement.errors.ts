/** Expected failures of the settlement admin API, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum SettlementAdminErrorCode {
  UnknownAccount = 'unknown_account',
  UnknownSettlement = 'unknown_settlement',
  NoSettlementEngine = 'no_settlement_engine',
  InvalidAmount = 'invalid_amount',
  InvalidQuery = 'invalid_query',
  NotRetryable = 'not_retryable',
}

const STATUS: Record<SettlementAdminErrorCode, HttpStatus> = {
  [SettlementAdminErrorCode.UnknownAccount]: HttpStatus.NOT_FOUND,
  [SettlementAdminErrorCode.UnknownSettlement]: HttpStatus.NOT_FOUND,
  [SettlementAdminErrorCode.NoSettlementEngine]: HttpStatus.CONFLICT,
  [SettlementAdminErrorCode.InvalidAmount]: HttpStatus.BAD_REQUEST,
  [SettlementAdminErrorCode.InvalidQuery]: HttpStatus.BAD_REQUEST,
  [SettlementAdminErrorCode.NotRetryable]: HttpStatus.CONFLICT,
};

export class SettlementAdminError extends DomainError<SettlementAdminErrorCode> {
  constructor(code: SettlementAdminErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
