/**
 * Paid content. Articles (`content_items`) belong to a merchant and carry their price; a
 * reader's paid session (`content_sessions`) is what money and reading time are counted
 * against. Like invoices, what a hosted session received is never stored twice: it is the sum
 * of the journal credits whose ref names one of its STREAM connections (`s.<session>.<conn>`).
 * Money that goes to an external wallet is only known through RFC 39 receipts: each nonce the
 * node hands out belongs to one session, and the highest verified total per (nonce, stream)
 * is kept, so a replayed or older receipt adds nothing.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateContentAndSessions1763733600000 implements MigrationInterface {
  name = 'CreateContentAndSessions1763733600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE content_items (
        id                uuid PRIMARY KEY,
        merchant_id       uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
        slug              text NOT NULL,
        title             text NOT NULL,
        teaser            jsonb NOT NULL DEFAULT '[]',
        paragraphs        jsonb NOT NULL DEFAULT '[]',
        price_per         text NOT NULL CHECK (price_per IN ('second', 'view')),
        price_amount      numeric(20,0) NOT NULL CHECK (price_amount > 0),
        external_pointer  text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        UNIQUE (merchant_id, slug)
      )
    `);
    await queryRunner.query(`
      CREATE TABLE content_sessions (
        id                uuid PRIMARY KEY,
        content_id        uuid NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
        merchant_id       uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
        token_hash        text NOT NULL,
        price_per         text NOT NULL CHECK (price_per IN ('second', 'view')),
        price_amount      numeric(20,0) NOT NULL CHECK (price_amount > 0),
        external_pointer  text,
        used_ms           bigint NOT NULL DEFAULT 0 CHECK (used_ms >= 0),
        last_beat_ms      bigint,
        created_at        timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(
      `CREATE INDEX content_sessions_content_idx ON content_sessions (content_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE content_receipt_nonces (
        nonce       bytea PRIMARY KEY CHECK (length(nonce) = 16),
        session_id  uuid NOT NULL REFERENCES content_sessions (id) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(`
      CREATE TABLE content_receipt_totals (
        nonce       bytea NOT NULL REFERENCES content_receipt_nonces (nonce) ON DELETE CASCADE,
        stream_id   smallint NOT NULL,
        session_id  uuid NOT NULL REFERENCES content_sessions (id) ON DELETE CASCADE,
        total       numeric(20,0) NOT NULL CHECK (total >= 0),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (nonce, stream_id)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX content_receipt_totals_session_idx ON content_receipt_totals (session_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE content_receipt_totals`);
    await queryRunner.query(`DROP TABLE content_receipt_nonces`);
    await queryRunner.query(`DROP TABLE content_sessions`);
    await queryRunner.query(`DROP TABLE content_items`);
  }
}
