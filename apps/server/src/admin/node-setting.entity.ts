/** A node-wide setting row (see the create-node-settings migration). */
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'node_settings' })
export class NodeSetting {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
