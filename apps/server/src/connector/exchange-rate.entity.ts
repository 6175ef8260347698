/** The value of one unit of an asset in the node's common base, as an exact decimal string. */
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'exchange_rates' })
export class ExchangeRate {
  @PrimaryColumn({ name: 'asset_code', type: 'text' })
  assetCode!: string;

  @Column({ type: 'text' })
  rate!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
