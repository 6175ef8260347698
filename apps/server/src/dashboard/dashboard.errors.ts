/** Expected failures of the dashboard domain, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum DashboardErrorCode {
  InvalidRange = 'invalid_range',
  NotNodeOwner = 'not_node_owner',
}

const STATUS: Record<DashboardErrorCode, HttpStatus> = {
  [DashboardErrorCode.InvalidRange]: HttpStatus.BAD_REQUEST,
  [DashboardErrorCode.NotNodeOwner]: HttpStatus.FORBIDDEN,
};

export class DashboardError extends DomainError<DashboardErrorCode> {
  constructor(code: DashboardErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
