/**
 * The connector's durable state: ILP accounts (peers, parents, children) with their link and
 * credit settings, the balance journal the group-commit writer appends to, static routes and
 * exchange rates.
 *
 * Money: UInt64 settings are numeric(20,0); balances are signed sums, so numeric(39,0).
 * Incoming link tokens are stored as SHA-256 hashes. Outgoing tokens must be presented to the
 * peer, so they cannot be hashed; they are never returned by the API or logged.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccountsAndBalanceJournal1763712000000 implements MigrationInterface {
  name = 'CreateAccountsAndBalanceJournal1763712000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        id                            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_~-]{1,64}$'),
        asset_code                    text NOT NULL,
        asset_scale                   smallint NOT NULL CHECK (asset_scale BETWEEN 0 AND 255),
        relation                      text NOT NULL CHECK (relation IN ('parent', 'peer', 'child')),
        link                          text NOT NULL CHECK (link IN ('btp', 'http')),
        incoming_token_hash           text UNIQUE,
        outgoing_url                  text,
        outgoing_token                text,
        max_packet_amount             numeric(20,0) CHECK (max_packet_amount >= 0),
        min_balance                   numeric(39,0),
        max_balance                   numeric(39,0),
        settle_threshold              numeric(39,0),
        settle_to                     numeric(39,0),
        settlement_engine_url         text,
        rate_limit_packets_per_second integer CHECK (rate_limit_packets_per_second > 0),
        rate_limit_amount_per_second  numeric(20,0) CHECK (rate_limit_amount_per_second > 0),
        send_routes                   boolean,
        receive_routes                boolean,
        balance                       numeric(39,0) NOT NULL DEFAULT 0,
        created_at                    timestamptz NOT NULL DEFAULT now(),
        updated_at                    timestamptz NOT NULL DEFAULT now()
      )
    `);
    // Each group-commit batch is recorded once: a retried append whose first attempt did
    // commit (acknowledgement lost) finds its id here and is skipped, never applied twice.
    await queryRunner.query(`
      CREATE TABLE journal_batches (
        id            text PRIMARY KEY,
        committed_at  timestamptz NOT NULL DEFAULT now()
      )
    `);
    // The audit trail behind accounts.balance, which it always sums to: packet deltas of a
    // batch are summed per account (one row), settlements and adjustments keep a row each.
    await queryRunner.query(`
      CREATE TABLE balance_journal (
        id          bigserial PRIMARY KEY,
        batch_id    text NOT NULL REFERENCES journal_batches (id),
        account_id  text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        delta       numeric(39,0) NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('packet', 'settlement', 'adjustment')),
        reason      text,
        created_at  timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(
      `CREATE INDEX balance_journal_account_id_idx ON balance_journal (account_id, id)`,
    );
    await queryRunner.query(`
      CREATE TABLE static_routes (
        prefix      text PRIMARY KEY,
        account_id  text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(`
      CREATE TABLE exchange_rates (
        asset_code  text PRIMARY KEY,
        rate        text NOT NULL CHECK (rate ~ '^[0-9]+(\\.[0-9]+)?$'),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE exchange_rates`);
    await queryRunner.query(`DROP TABLE static_routes`);
    await queryRunner.query(`DROP TABLE balance_journal`);
    await queryRunner.query(`DROP TABLE journal_batches`);
    await queryRunner.query(`DROP TABLE accounts`);
  }
}
