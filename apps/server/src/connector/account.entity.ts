/** An ILP account: one peer, parent or child link and its credit settings (see the migration). */
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintNumeric } from '../database/bigint-numeric.transformer';

export type AccountRelation = 'parent' | 'peer' | 'child';
/** `local`: an in-process receiver on this node (a merchant's STREAM server). */
export type AccountLinkType = 'btp' | 'http' | 'local';

const money = { type: 'numeric', transformer: bigintNumeric, nullable: true } as const;

@Entity({ name: 'accounts' })
export class Account {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'asset_code', type: 'text' })
  assetCode!: string;

  @Column({ name: 'asset_scale', type: 'smallint' })
  assetScale!: number;

  @Column({ type: 'text' })
  relation!: AccountRelation;

  @Column({ type: 'text' })
  link!: AccountLinkType;

  /** SHA-256 (hex) of the token the peer presents to us; the token itself is never stored. */
  @Column({ name: 'incoming_token_hash', type: 'text', nullable: true })
  incomingTokenHash!: string | null;

  @Column({ name: 'outgoing_url', type: 'text', nullable: true })
  outgoingUrl!: string | null;

  /** Presented to the peer, so kept as is; never returned by the API, never logged. */
  @Column({ name: 'outgoing_token', type: 'text', nullable: true })
  outgoingToken!: string | null;

  @Column({ name: 'max_packet_amount', ...money })
  maxPacketAmount!: bigint | null;

  @Column({ name: 'min_balance', ...money })
  minBalance!: bigint | null;

  @Column({ name: 'max_balance', ...money })
  maxBalance!: bigint | null;

  @Column({ name: 'settle_threshold', ...money })
  settleThreshold!: bigint | null;

  @Column({ name: 'settle_to', ...money })
  settleTo!: bigint | null;

  @Column({ name: 'settlement_engine_url', type: 'text', nullable: true })
  settlementEngineUrl!: string | null;

  @Column({ name: 'rate_limit_packets_per_second', type: 'integer', nullable: true })
  rateLimitPacketsPerSecond!: number | null;

  @Column({ name: 'rate_limit_amount_per_second', ...money })
  rateLimitAmountPerSecond!: bigint | null;

  @Column({ name: 'send_routes', type: 'boolean', nullable: true })
  sendRoutes!: boolean | null;

  @Column({ name: 'receive_routes', type: 'boolean', nullable: true })
  receiveRoutes!: boolean | null;

  /** Durable balance as of the last committed journal batch; the live one is in the connector. */
  @Column({ type: 'numeric', transformer: bigintNumeric })
  balance!: bigint;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
