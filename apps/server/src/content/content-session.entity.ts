/**
 * A reader's paid session on one article. The price (and where the money goes) is copied
 * from the article when the session starts, so a later price change never alters what a
 * reader already bought. Reading time is kept in milliseconds of the server's clock.
 */
import { Column, CreateDateColumn, Entity, PrimaryColumn, ValueTransformer } from 'typeorm';
import { bigintNumeric } from '../database/bigint-numeric.transformer';
import type { PricePer } from './content-item.entity';

/** Millisecond counters (not money) fit a JS number; pg hands int8 over as a string. */
const int8Number: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'content_sessions' })
export class ContentSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'content_id', type: 'uuid' })
  contentId!: string;

  @Column({ name: 'merchant_id', type: 'uuid' })
  merchantId!: string;

  /** SHA-256 of the session token; the token itself is shown once. */
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'price_per', type: 'text' })
  pricePer!: PricePer;

  @Column({ name: 'price_amount', type: 'numeric', transformer: bigintNumeric })
  priceAmount!: bigint;

  @Column({ name: 'external_pointer', type: 'text', nullable: true })
  externalPointer!: string | null;

  /** Reading time charged so far. */
  @Column({ name: 'used_ms', type: 'bigint', transformer: int8Number })
  usedMs!: number;

  /** When the reader last reported a visible page; null while paused (hidden or new). */
  @Column({ name: 'last_beat_ms', type: 'bigint', nullable: true, transformer: int8Number })
  lastBeatMs!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
