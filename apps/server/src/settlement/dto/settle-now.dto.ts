/** `POST /api/admin/accounts/:id/settlements`: settle this much of what we owe the peer now. */
import { IsAmount } from '../../common/money/is-amount.decorator';

export class SettleNowDto {
  /** In the account's asset scale; at most the balance owed to the peer. */
  @IsAmount()
  amount!: string;
}
