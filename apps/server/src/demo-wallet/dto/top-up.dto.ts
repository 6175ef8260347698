/** `POST /api/demo/wallets/:id/top-up`. */
import { IsOptional } from 'class-validator';
import { IsAmount } from '../../common/money/is-amount.decorator';

export class TopUpDto {
  /** Base units of the node's asset; default (and at most) one standard top-up. */
  @IsOptional()
  @IsAmount()
  amount?: string;
}
