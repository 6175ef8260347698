/**
 * The engine's schema: committed, ordered SQL steps applied once each and recorded in
 * `engine_migrations`, inside one transaction per step. Never edit a step that shipped;
 * add the next one.
 */
import { idempotencyTableDdl } from '@tollgate/settlement';
import type { Pool } from 'pg';

export const IDEMPOTENCY_TABLE = 'engine_idempotency_keys';

interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'accounts, settlements, chain scan state, idempotency keys',
    sql: `
      -- Amounts are plain numeric: wei needs up to 78 digits, and a leftover kept in a
      -- high scale (up to 255) can need more.
      CREATE TABLE accounts (
        id text PRIMARY KEY,
        -- Checksummed address the peer proved it controls; null until the handshake.
        peer_address text,
        leftover_amount numeric NOT NULL DEFAULT 0,
        leftover_scale smallint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      );
      -- One live account per peer address: incoming transfers are matched by sender.
      CREATE UNIQUE INDEX accounts_peer_address_key ON accounts (lower(peer_address))
        WHERE deleted_at IS NULL AND peer_address IS NOT NULL;

      -- state: pending (recorded, nothing signed) -> signed (nonce + raw tx stored, maybe
      -- broadcast) -> mined; or empty (amount below one wei, carried as leftover).
      CREATE TABLE outgoing_settlements (
        idempotency_key text PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        account_id text NOT NULL REFERENCES accounts (id),
        amount numeric NOT NULL,
        scale smallint NOT NULL,
        wei numeric NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'signed', 'mined', 'empty')),
        nonce bigint,
        tx_hash text,
        raw_tx text,
        block_number bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outgoing_settlements_open_idx ON outgoing_settlements (seq)
        WHERE state IN ('pending', 'signed');

      -- Every confirmed ETH transfer to our address; reported to the connector once its
      -- sender is a peer's proven address (the outbox).
      CREATE TABLE incoming_transfers (
        tx_hash text PRIMARY KEY,
        from_address text NOT NULL,
        wei numeric NOT NULL,
        block_number bigint NOT NULL,
        state text NOT NULL DEFAULT 'unreported' CHECK (state IN ('unreported', 'reported')),
        account_id text,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        reported_at timestamptz
      );
      CREATE INDEX incoming_transfers_unreported_idx ON incoming_transfers (lower(from_address))
        WHERE state = 'unreported';

      CREATE TABLE chain_state (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        chain_id text NOT NULL,
        address text NOT NULL,
        last_scanned_block bigint NOT NULL
      );

      ${idempotencyTableDdl(IDEMPOTENCY_TABLE)}
    `,
  },
];

export async function migrate(pool: Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS engine_migrations (
    id integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  for (const migration of MIGRATIONS) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // The lock makes two engines starting on one database apply each step once.
      await client.query('LOCK TABLE engine_migrations IN EXCLUSIVE MODE');
      const done = await client.query('SELECT 1 FROM engine_migrations WHERE id = $1', [
        migration.id,
      ]);
      if (done.rows.length === 0) {
        await client.query(migration.sql);
        await client.query('INSERT INTO engine_migrations (id, name) VALUES ($1, $2)', [
          migration.id,
          migration.name,
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
