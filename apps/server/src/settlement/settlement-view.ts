/** The JSON shape of a settlement: money as decimal strings of base units with its scale. */
import { serializeAmount } from '../common/money/amount';
import { Settlement, SettlementDirection, SettlementState } from './settlement.entity';

export class SettlementView {
  id!: string;
  accountId!: string;
  direction!: SettlementDirection;
  /** queued → sent → confirmed | failed (outgoing); incoming ones are confirmed. */
  state!: SettlementState;
  /** In the account's asset scale. */
  amount!: string;
  assetCode!: string;
  assetScale!: number;
  /** What the engine was asked to pay or reported, in its own scale. */
  engineAmount!: string;
  engineScale!: number;
  attempts!: number;
  lastError!: string | null;
  createdAt!: string;
  updatedAt!: string;
  sentAt!: string | null;
  completedAt!: string | null;
}

export function settlementView(s: Settlement): SettlementView {
  return {
    id: s.id,
    accountId: s.accountId,
    direction: s.direction,
    state: s.state,
    amount: serializeAmount(s.amount),
    assetCode: s.assetCode,
    assetScale: s.assetScale,
    engineAmount: serializeAmount(s.engineAmount),
    engineScale: s.engineScale,
    attempts: s.attempts,
    lastError: s.lastError,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    sentAt: s.sentAt?.toISOString() ?? null,
    completedAt: s.completedAt?.toISOString() ?? null,
  };
}
