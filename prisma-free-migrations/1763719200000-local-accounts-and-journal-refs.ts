/**
 * Merchants receive through the connector like any account: each has an account with the
 * `local` link (its in-process STREAM receiver). Journal rows can say what a credit was for
 * (`ref`: an invoice, a paid session), so per-invoice totals come from the same durable
 * batches as the balances.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class LocalAccountsAndJournalRefs1763719200000 implements MigrationInterface {
  name = 'LocalAccountsAndJournalRefs1763719200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE accounts DROP CONSTRAINT accounts_link_check`);
    await queryRunner.query(
      `ALTER TABLE accounts ADD CONSTRAINT accounts_link_check CHECK (link IN ('btp', 'http', 'local'))`,
    );
    await queryRunner.query(`ALTER TABLE balance_journal ADD COLUMN ref text`);
    await queryRunner.query(
      `CREATE INDEX balance_journal_ref_idx ON balance_journal (ref) WHERE ref IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX balance_journal_ref_idx`);
    await queryRunner.query(`ALTER TABLE balance_journal DROP COLUMN ref`);
    await queryRunner.query(`ALTER TABLE accounts DROP CONSTRAINT accounts_link_check`);
    await queryRunner.query(
      `ALTER TABLE accounts ADD CONSTRAINT accounts_link_check CHECK (link IN ('btp', 'http'))`,
    );
  }
}
