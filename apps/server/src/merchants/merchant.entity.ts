/** A merchant: who gets paid, in which asset, under which slug (its payment pointer path). */
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'merchants' })
export class Merchant {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** URL- and ILP-address-safe: `$host/<slug>` is the merchant's payment pointer. */
  @Column({ type: 'text' })
  slug!: string;

  @Column({ name: 'asset_code', type: 'text' })
  assetCode!: string;

  @Column({ name: 'asset_scale', type: 'smallint' })
  assetScale!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
