/** Expected failures of the merchants domain, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum MerchantErrorCode {
  SlugTaken = 'slug_taken',
  SlugReserved = 'slug_reserved',
  UnknownMerchant = 'unknown_merchant',
  UnknownKey = 'unknown_key',
  LastKey = 'last_key',
}

const STATUS: Record<MerchantErrorCode, HttpStatus> = {
  [MerchantErrorCode.SlugTaken]: HttpStatus.CONFLICT,
  [MerchantErrorCode.SlugReserved]: HttpStatus.BAD_REQUEST,
  [MerchantErrorCode.UnknownMerchant]: HttpStatus.NOT_FOUND,
  [MerchantErrorCode.UnknownKey]: HttpStatus.NOT_FOUND,
  [MerchantErrorCode.LastKey]: HttpStatus.CONFLICT,
};

export class MerchantError extends DomainError<MerchantErrorCode> {
  constructor(code: MerchantErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
