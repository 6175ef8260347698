/**
 * Merchants and their API keys. Keys are stored as SHA-256 hashes with a short display
 * prefix; a revoked key keeps its row (revoked_at) so the audit trail stays whole.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMerchantsAndApiKeys1763715600000 implements MigrationInterface {
  name = 'CreateMerchantsAndApiKeys1763715600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE merchants (
        id           uuid PRIMARY KEY,
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$'),
        asset_code   text NOT NULL,
        asset_scale  smallint NOT NULL CHECK (asset_scale BETWEEN 0 AND 255),
        created_at   timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id            uuid PRIMARY KEY,
        merchant_id   uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
        name          text NOT NULL DEFAULT '',
        key_hash      text NOT NULL UNIQUE,
        key_prefix    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz,
        revoked_at    timestamptz
      )
    `);
    await queryRunner.query(`CREATE INDEX api_keys_merchant_id_idx ON api_keys (merchant_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE merchants`);
  }
}
