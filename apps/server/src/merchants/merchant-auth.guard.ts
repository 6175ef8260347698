/**
 * Merchant routes need `Authorization: Bearer <apiKey>`. The merchant the key belongs to is
 * put on the request for `@CurrentMerchant()`; a missing, wrong or revoked key gets 401.
 */
import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken } from '../admin/admin.guard';
import { Merchant } from './merchant.entity';
import { MerchantsService } from './merchants.service';

type MerchantRequest = Request & { merchant?: Merchant };

@Injectable()
export class MerchantAuthGuard implements CanActivate {
  constructor(private readonly merchants: MerchantsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<MerchantRequest>();
    const key = bearerToken(request.headers.authorization);
    const merchant = key ? await this.merchants.authenticate(key) : undefined;
    if (!merchant) {
      throw new UnauthorizedException(
        'a valid merchant API key is required (Authorization: Bearer <apiKey>)',
      );
    }
    request.merchant = merchant;
    return true;
  }
}

export const CurrentMerchant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Merchant => {
    const merchant = context.switchToHttp().getRequest<MerchantRequest>().merchant;
    if (!merchant) throw new UnauthorizedException();
    return merchant;
  },
);
