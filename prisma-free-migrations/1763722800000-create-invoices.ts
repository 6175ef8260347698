/**
 * Invoices. What an invoice received is never stored twice: it is the sum of the journal
 * credits whose ref names one of its STREAM connections (`i.<invoice id>.<connection>`), so
 * it moves in the same durable batch as the merchant's balance. `status` moves once:
 * open → paid, or open → expired.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInvoices1763722800000 implements MigrationInterface {
  name = 'CreateInvoices1763722800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE invoices (
        id               uuid PRIMARY KEY,
        merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
        amount           numeric(20,0) NOT NULL CHECK (amount > 0),
        description      text NOT NULL DEFAULT '',
        metadata         jsonb NOT NULL DEFAULT '{}',
        status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'expired')),
        expires_at       timestamptz NOT NULL,
        paid_at          timestamptz,
        idempotency_key  text,
        request_hash     text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (merchant_id, idempotency_key)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX invoices_merchant_created_idx ON invoices (merchant_id, created_at DESC, id)`,
    );
    // Prefix lookups of refs (`i.<invoice id>.%`) for per-invoice and per-connection totals.
    await queryRunner.query(
      `CREATE INDEX balance_journal_ref_prefix_idx ON balance_journal (ref text_pattern_ops) WHERE ref IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX balance_journal_ref_prefix_idx`);
    await queryRunner.query(`DROP TABLE invoices`);
  }
}
