/**
 * Settlement trigger: when a committed change leaves an account's balance (what we owe the
 * peer) above its settleThreshold, tell the app once; it queues a settlement job, which ends
 * in `adjustBalance(id, -amount, 'settlement')`. The account is then marked pending so the
 * packets that arrive before the job runs do not each fire the hook again; the mark clears
 * when the balance is back at or under the threshold, or when a settlement entry is applied.
 */
import { AccountState } from '../accounts/account-state';

export type SettlementHook = (accountId: string, balance: bigint) => void;

export class SettlementMonitor {
  constructor(private readonly hooks: readonly SettlementHook[]) {}

  /** Call after every committed balance change of `account`. */
  check(account: AccountState): void {
    const threshold = account.settleThreshold;
    if (threshold === undefined) return;
    if (account.balance <= threshold) {
      account.settlementPending = false;
      return;
    }
    if (account.settlementPending) return;
    account.settlementPending = true;
    for (const hook of this.hooks) {
      try {
        hook(account.id, account.balance);
      } catch {
        // a failing observer must not fail the packet that triggered it
      }
    }
  }
}
