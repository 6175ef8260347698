/** A price: per second of reading, or per view, in base units. */
import { IsIn } from 'class-validator';
import { IsAmount } from '../../common/money/is-amount.decorator';
import type { PricePer } from '../content-item.entity';

export class PricingDto {
  /** `second`: money buys reading time; `view`: money unlocks the article once. */
  @IsIn(['second', 'view'], { message: "per must be 'second' or 'view'" })
  per!: PricePer;

  /**
   * Base units (decimal string) of the merchant's asset per second or per view, more than
   * zero. For an article paid to an external wallet, units of that wallet's asset (receipts
   * count what the wallet received).
   */
  @IsAmount()
  amount!: string;
}

/** A price as readers and merchants see it, with the asset it is in. */
export class PriceViewDto {
  per!: PricePer;
  /** Base units, decimal string. */
  amount!: string;
  assetCode!: string;
  assetScale!: number;
}
