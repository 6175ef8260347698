/**
 * Expected failures of the connector admin domain, each with its HTTP status. Services throw
 * `ConnectorAdminError`; the global filter answers with the common error body.
 */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum ConnectorAdminErrorCode {
  AccountExists = 'account_exists',
  TokenInUse = 'token_in_use',
  UnknownAccount = 'unknown_account',
  InvalidAccount = 'invalid_account',
  AccountBusy = 'account_busy',
  InvalidRoute = 'invalid_route',
  UnknownRoute = 'unknown_route',
  InvalidRates = 'invalid_rates',
}

const STATUS: Record<ConnectorAdminErrorCode, HttpStatus> = {
  [ConnectorAdminErrorCode.AccountExists]: HttpStatus.CONFLICT,
  [ConnectorAdminErrorCode.TokenInUse]: HttpStatus.CONFLICT,
  [ConnectorAdminErrorCode.UnknownAccount]: HttpStatus.NOT_FOUND,
  [ConnectorAdminErrorCode.InvalidAccount]: HttpStatus.BAD_REQUEST,
  [ConnectorAdminErrorCode.AccountBusy]: HttpStatus.CONFLICT,
  [ConnectorAdminErrorCode.InvalidRoute]: HttpStatus.BAD_REQUEST,
  [ConnectorAdminErrorCode.UnknownRoute]: HttpStatus.NOT_FOUND,
  [ConnectorAdminErrorCode.InvalidRates]: HttpStatus.BAD_REQUEST,
};

export class ConnectorAdminError extends DomainError<ConnectorAdminErrorCode> {
  constructor(code: ConnectorAdminErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
