/**
 * Lets other modules act when a merchant is created (the STREAM receiver attaches its link)
 * without the merchants module depending on them.
 */
import { Injectable } from '@nestjs/common';
import { Merchant } from './merchant.entity';

export type MerchantCreatedListener = (merchant: Merchant) => void | Promise<void>;

@Injectable()
export class MerchantEvents {
  private readonly listeners: MerchantCreatedListener[] = [];

  onCreated(listener: MerchantCreatedListener): void {
    this.listeners.push(listener);
  }

  async created(merchant: Merchant): Promise<void> {
    for (const listener of this.listeners) await listener(merchant);
  }
}
