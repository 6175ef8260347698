/**
 * Node-wide settings that must survive restarts and be shared by every server instance:
 * today the hash of the admin token (the token itself is never stored).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNodeSettings1763708400000 implements MigrationInterface {
  name = 'CreateNodeSettings1763708400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE node_settings (
        key        text        PRIMARY KEY,
        value      text        NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE node_settings`);
  }
}
