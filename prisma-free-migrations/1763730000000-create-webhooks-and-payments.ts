/**
 * Webhooks and payments.
 *
 * - `webhook_endpoints`: where a merchant (or, with merchant_id NULL, the node operator) wants
 *   events. The signing secret must be usable to sign, so it is stored encrypted (AES-256-GCM
 *   under a node key in node_settings), never in the clear.
 * - `webhook_events`: every event once (`dedup_key` unique: `invoice.paid:<id>`…), with the
 *   exact body that is signed and sent, so retries send the same bytes.
 * - `webhook_deliveries`: one per (event, endpoint); its `state` decides whether an attempt
 *   may run: pending → delivered | failed (failed → pending again on a manual re-send).
 * - `webhook_attempts`: every HTTP attempt, for the merchant to inspect.
 * - `payments`: what each STREAM connection delivered (ref = the journal ref of its
 *   credits), kept from the journal by a sweeper, and how much of it was already announced
 *   with `payment.received`.
 * - `sweep_cursors`: how far a journal-reading sweeper has read (a row lock claims it).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooksAndPayments1763730000000 implements MigrationInterface {
  name = 'CreateWebhooksAndPayments1763730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id                uuid PRIMARY KEY,
        merchant_id       uuid REFERENCES merchants (id) ON DELETE CASCADE,
        url               text NOT NULL,
        events            text[] NOT NULL DEFAULT '{}',
        secret_encrypted  text NOT NULL,
        secret_prefix     text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(
      `CREATE INDEX webhook_endpoints_merchant_idx ON webhook_endpoints (merchant_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_events (
        id           uuid PRIMARY KEY,
        merchant_id  uuid REFERENCES merchants (id) ON DELETE CASCADE,
        type         text NOT NULL,
        dedup_key    text NOT NULL UNIQUE,
        body         text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id               uuid PRIMARY KEY,
        event_id         uuid NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
        endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        attempt_limit    integer NOT NULL,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        lease_until      timestamptz,
        last_status      integer,
        last_error       text,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (event_id, endpoint_id)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_attempts (
        id           bigserial PRIMARY KEY,
        delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt      integer NOT NULL,
        status_code  integer,
        error        text,
        duration_ms  integer NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(
      `CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id)`,
    );
    await queryRunner.query(`
      CREATE TABLE payments (
        ref              text PRIMARY KEY,
        merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
        invoice_id       uuid,
        amount           numeric(39,0) NOT NULL,
        announced        numeric(39,0) NOT NULL DEFAULT 0,
        first_at         timestamptz NOT NULL,
        last_at          timestamptz NOT NULL
      )
    `);
    await queryRunner.query(
      `CREATE INDEX payments_merchant_idx ON payments (merchant_id, first_at DESC, ref)`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_unannounced_idx ON payments (last_at) WHERE amount > announced`,
    );
    await queryRunner.query(`
      CREATE TABLE sweep_cursors (
        name        text PRIMARY KEY,
        read_until  timestamptz NOT NULL
      )
    `);
    // Journal rows with a ref, by time: the payments sweeper reads what is new since its cursor.
    await queryRunner.query(
      `CREATE INDEX balance_journal_ref_created_idx ON balance_journal (created_at) WHERE ref IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX invoices_open_expiry_idx ON invoices (expires_at) WHERE status = 'open'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX invoices_open_expiry_idx`);
    await queryRunner.query(`DROP INDEX balance_journal_ref_created_idx`);
    await queryRunner.query(`DROP TABLE sweep_cursors`);
    await queryRunner.query(`DROP TABLE payments`);
    await queryRunner.query(`DROP TABLE webhook_attempts`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_events`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
  }
}
