/** An invoice: an amount a merchant asks for, payable by STREAM until it expires. */
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumeric } from '../database/bigint-numeric.transformer';

export type InvoiceStatus = 'open' | 'paid' | 'expired';

@Entity({ name: 'invoices' })
export class Invoice {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'merchant_id', type: 'uuid' })
  merchantId!: string;

  /** In the merchant's asset and scale. */
  @Column({ type: 'numeric', transformer: bigintNumeric })
  amount!: bigint;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, string>;

  @Column({ type: 'text' })
  status!: InvoiceStatus;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 of the creating request body, to tell a replay from a conflicting reuse of a key. */
  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
