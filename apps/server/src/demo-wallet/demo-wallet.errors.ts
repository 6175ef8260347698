/** Expected failures of the demo wallets, each with its HTTP status. */
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum DemoWalletErrorCode {
  UnknownWallet = 'unknown_wallet',
  BadWalletToken = 'bad_wallet_token',
  WalletFull = 'wallet_full',
  TooManyWallets = 'too_many_wallets',
  TopUpTooLarge = 'top_up_too_large',
}

const STATUS: Record<DemoWalletErrorCode, HttpStatus> = {
  [DemoWalletErrorCode.UnknownWallet]: HttpStatus.NOT_FOUND,
  [DemoWalletErrorCode.BadWalletToken]: HttpStatus.UNAUTHORIZED,
  [DemoWalletErrorCode.WalletFull]: HttpStatus.CONFLICT,
  [DemoWalletErrorCode.TooManyWallets]: HttpStatus.TOO_MANY_REQUESTS,
  [DemoWalletErrorCode.TopUpTooLarge]: HttpStatus.BAD_REQUEST,
};

export class DemoWalletError extends DomainError<DemoWalletErrorCode> {
  constructor(code: DemoWalletErrorCode, message: string, details?: unknown) {
    super(code, STATUS[code], message, details);
  }
}
