/** Expected failures of the merchant-facing settlement list, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum DashboardSettlementsErrorCode {
  NotNodeOwner = 'not_node_owner',
}

const STATUS: Record<DashboardSettlementsErrorCode, HttpStatus> = {
  [DashboardSettlementsErrorCode.NotNodeOwner]: HttpStatus.FORBIDDEN,
};

export class DashboardSettlementsError extends DomainError<DashboardSettlementsErrorCode> {
  constructor(code: DashboardSettlementsErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
