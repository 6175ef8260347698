/** A static route configured by the operator: destinations under `prefix` go to `accountId`. */
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'static_routes' })
export class StaticRoute {
  @PrimaryColumn({ type: 'text' })
  prefix!: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
