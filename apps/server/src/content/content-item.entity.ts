/** An article a merchant sells: a free teaser, paid paragraphs, and a price per second or per view. */
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintNumeric } from '../database/bigint-numeric.transformer';

export type PricePer = 'second' | 'view';

@Entity({ name: 'content_items' })
export class ContentItem {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'merchant_id', type: 'uuid' })
  merchantId!: string;

  /** Unique per merchant; the article's path on the reading page. */
  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  title!: string;

  /** Free paragraphs, shown to everyone. */
  @Column({ type: 'jsonb' })
  teaser!: string[];

  /** Paid paragraphs, released only to a session whose money covers its reading. */
  @Column({ type: 'jsonb' })
  paragraphs!: string[];

  @Column({ name: 'price_per', type: 'text' })
  pricePer!: PricePer;

  /** Base units of the merchant's asset (or of the external wallet's, see externalPointer). */
  @Column({ name: 'price_amount', type: 'numeric', transformer: bigintNumeric })
  priceAmount!: bigint;

  /** A wallet hosted elsewhere that receives this article's money (verified by receipts). */
  @Column({ name: 'external_pointer', type: 'text', nullable: true })
  externalPointer!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
