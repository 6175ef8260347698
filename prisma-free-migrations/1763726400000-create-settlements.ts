/**
 * Settlements with peers (RFC 38), the leftovers of scale conversions, and the idempotency
 * records of the engine-facing API.
 *
 * A settlement row is written BEFORE its balance entry; the balance entry's journal reason
 * names the row (`settlement:<id>`, and `settlement:<id>:refund` when a refused outgoing
 * settlement is put back). At start the server re-applies any entry a crash left out, so
 * the row and the balance always end up moving together, once.
 *
 * Outgoing: queued (amount moved out of the balance, job waiting) → sent (asked the engine;
 * outcome not known yet) → confirmed (the engine accepted it) | failed (refused for good;
 * the amount was put back). Incoming rows are written confirmed: the engine reports only
 * what its ledger confirmed.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSettlements1763726400000 implements MigrationInterface {
  name = 'CreateSettlements1763726400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE settlements (
        id                uuid PRIMARY KEY,
        account_id        text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        direction         text NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
        state             text NOT NULL CHECK (state IN ('queued', 'sent', 'confirmed', 'failed')),
        -- In the account's asset scale: what moved in (or out of) the balance.
        amount            numeric(39,0) NOT NULL CHECK (amount >= 0),
        asset_code        text NOT NULL,
        asset_scale       smallint NOT NULL,
        -- What the engine was asked to settle / reported, in its own scale.
        engine_amount     numeric(78,0) NOT NULL CHECK (engine_amount >= 0),
        engine_scale      smallint NOT NULL CHECK (engine_scale BETWEEN 0 AND 255),
        idempotency_key   text NOT NULL,
        attempts          integer NOT NULL DEFAULT 0,
        -- Set once the row's balance entry (and, for a failed outgoing one, its refund) is
        -- durable; rows still false at start are checked against the journal and completed.
        balance_applied   boolean NOT NULL DEFAULT false,
        refund_applied    boolean NOT NULL DEFAULT false,
        last_error        text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        sent_at           timestamptz,
        completed_at      timestamptz,
        UNIQUE (account_id, direction, idempotency_key)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX settlements_created_idx ON settlements (created_at DESC, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX settlements_open_idx ON settlements (state) WHERE state IN ('queued', 'sent')`,
    );
    await queryRunner.query(
      `CREATE INDEX settlements_unapplied_idx ON settlements (id)
         WHERE NOT balance_applied OR (state = 'failed' AND NOT refund_applied)`,
    );
    // Finds the balance entry of a settlement row (crash recovery) without scanning packets.
    await queryRunner.query(
      `CREATE INDEX balance_journal_settlement_reason_idx ON balance_journal (reason)
         WHERE kind = 'settlement'`,
    );
    // Incoming credits more precise than the account's scale leave a remainder, kept here
    // (in the scale it arrived in) and added to the next credit (FACTS §11.6).
    await queryRunner.query(`
      CREATE TABLE settlement_leftovers (
        account_id  text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        amount      numeric(78,0) NOT NULL CHECK (amount >= 0),
        scale       smallint NOT NULL CHECK (scale BETWEEN 0 AND 255),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )
    `);
    // Idempotency-Key records of the engine-facing API (@tollgate/settlement's
    // PgIdempotencyStore): the same key and body get the same answer; another body, 409.
    await queryRunner.query(`
      CREATE TABLE settlement_idempotency (
        scope            text NOT NULL,
        key              text NOT NULL,
        fingerprint      text NOT NULL,
        response_status  smallint,
        response_body    text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        touched_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX settlement_idempotency_touched_at_idx ON settlement_idempotency (touched_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE settlement_idempotency`);
    await queryRunner.query(`DROP TABLE settlement_leftovers`);
    await queryRunner.query(`DROP INDEX balance_journal_settlement_reason_idx`);
    await queryRunner.query(`DROP TABLE settlements`);
  }
}
