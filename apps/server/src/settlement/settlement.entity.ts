/** A settlement with a peer: what moved, in which direction, and where it stands. */
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintNumeric } from '../database/bigint-numeric.transformer';

export type SettlementDirection = 'outgoing' | 'incoming';

/**
 * queued → sent → confirmed | failed for outgoing settlements (`failed` puts the amount back
 * into the balance); incoming ones are born `confirmed`.
 */
export type SettlementState = 'queued' | 'sent' | 'confirmed' | 'failed';

@Entity({ name: 'settlements' })
export class Settlement {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId!: string;

  @Column({ type: 'text' })
  direction!: SettlementDirection;

  @Column({ type: 'text' })
  state!: SettlementState;

  /** In the account's asset scale. */
  @Column({ type: 'numeric', transformer: bigintNumeric })
  amount!: bigint;

  @Column({ name: 'asset_code', type: 'text' })
  assetCode!: string;

  @Column({ name: 'asset_scale', type: 'smallint' })
  assetScale!: number;

  /** In the engine's scale (may exceed 64 bits: wei). */
  @Column({ name: 'engine_amount', type: 'numeric', transformer: bigintNumeric })
  engineAmount!: bigint;

  @Column({ name: 'engine_scale', type: 'smallint' })
  engineScale!: number;

  /** Outgoing: the key we send the engine (our id). Incoming: the key the engine sent us. */
  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'balance_applied', type: 'boolean' })
  balanceApplied!: boolean;

  @Column({ name: 'refund_applied', type: 'boolean' })
  refundApplied!: boolean;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
