/**
 * Every SQL statement of the engine: accounts and peer addresses, leftovers, outgoing
 * settlements (recorded before anything touches the chain), incoming transfers (the outbox
 * of credits for the connector) and the chain scan position. Transactions stay short and
 * never wait on another connection (the embedded PGlite runs one transaction at a time).
 */
import type { Pool, PoolClient } from 'pg';
import { convertScale, type Quantity } from '@tollgate/settlement';

export const WEI_SCALE = 18;

export interface AccountRow {
  id: string;
  peerAddress: string | null;
  leftover: Quantity;
}

export type OutgoingState = 'pending' | 'signed' | 'mined' | 'empty';

export interface OutgoingRow {
  key: string;
  accountId: string;
  wei: bigint;
  state: OutgoingState;
  nonce: number | null;
  txHash: string | null;
  rawTx: string | null;
  peerAddress: string | null;
}

export interface IncomingTransfer {
  txHash: string;
  from: string;
  wei: bigint;
  blockNumber: number;
}

export interface DueReport extends IncomingTransfer {
  accountId: string;
  attempts: number;
}

export interface ChainState {
  chainId: string;
  address: string;
  lastScannedBlock: number;
}

export class PeerAddressTakenError extends Error {
  override readonly name = 'PeerAddressTakenError';
}

export type RecordOutcome =
  | { kind: 'recorded'; wei: bigint; leftover: Quantity }
  | { kind: 'existing' }
  | { kind: 'no_account' }
  | { kind: 'too_large' };

/** The largest value an Ethereum transaction can carry. */
const MAX_WEI = 2n ** 256n - 1n;

function toAccount(row: Record<string, unknown>): AccountRow {
  return {
    id: String(row.id),
    peerAddress: (row.peer_address as string | null) ?? null,
    leftover: { amount: BigInt(String(row.leftover_amount)), scale: Number(row.leftover_scale) },
  };
}

function toOutgoing(row: Record<string, unknown>): OutgoingRow {
  return {
    key: String(row.idempotency_key),
    accountId: String(row.account_id),
    wei: BigInt(String(row.wei)),
    state: row.state as OutgoingState,
    nonce: row.nonce === null ? null : Number(row.nonce),
    txHash: (row.tx_hash as string | null) ?? null,
    rawTx: (row.raw_tx as string | null) ?? null,
    peerAddress: (row.peer_address as string | null) ?? null,
  };
}

/** Adds two quantities exactly, in the finer of their scales. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const scale = Math.max(a.scale, b.scale);
  return {
    amount:
      convertScale(a.amount, a.scale, scale).amount + convertScale(b.amount, b.scale, scale).amount,
    scale,
  };
}

export class EngineStore {
  constructor(readonly pool: Pool) {}

  private async transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  // accounts

  /** Creates the account, or revives a deleted one (its peer must prove itself again). */
  async createAccount(id: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO accounts (id) VALUES ($1)
       ON CONFLICT (id) DO UPDATE SET deleted_at = NULL, peer_address = NULL
       WHERE accounts.deleted_at IS NOT NULL`,
      [id],
    );
  }

  async getAccount(id: string): Promise<AccountRow | undefined> {
    const { rows } = await this.pool.query(
      'SELECT * FROM accounts WHERE id = $1 AND deleted_at IS NULL',
      [id],
    );
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  async deleteAccount(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE accounts SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL',
      [id],
    );
    return (rowCount ?? 0) > 0;
  }

  async accountsAwaitingPeer(): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT id FROM accounts WHERE deleted_at IS NULL AND peer_address IS NULL ORDER BY created_at`,
    );
    return rows.map((row) => String(row.id));
  }

  async setPeerAddress(id: string, address: string): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query(
        'UPDATE accounts SET peer_address = $2 WHERE id = $1 AND deleted_at IS NULL',
        [id, address],
      );
      return (rowCount ?? 0) > 0;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new PeerAddressTakenError(`address ${address} already belongs to another account`);
      }
      throw error;
    }
  }

  // outgoing

  /**
   * Records a settlement under its key before anything is sent: converts `q` plus the
   * account's leftover to wei and keeps the new leftover, all in one transaction.
   */
  async recordSettlement(accountId: string, key: string, q: Quantity): Promise<RecordOutcome> {
    return this.transaction(async (client) => {
      const account = await client.query(
        'SELECT * FROM accounts WHERE id = $1 AND deleted_at IS NULL FOR UPDATE',
        [accountId],
      );
      if (!account.rows[0]) return { kind: 'no_account' };
      const existing = await client.query(
        'SELECT 1 FROM outgoing_settlements WHERE idempotency_key = $1',
        [key],
      );
      if (existing.rows.length > 0) return { kind: 'existing' };
      const total = addQuantities(toAccount(account.rows[0]).leftover, q);
      const converted = convertScale(total.amount, total.scale, WEI_SCALE);
      if (converted.amount > MAX_WEI) return { kind: 'too_large' };
      // The leftover stays in the scale it was computed in (finer than wei), exactly.
      const leftover: Quantity =
        converted.leftover === 0n
          ? { amount: 0n, scale: 0 }
          : { amount: converted.leftover, scale: total.scale };
      await client.query(
        `INSERT INTO outgoing_settlements (idempotency_key, account_id, amount, scale, wei, state)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          key,
          accountId,
          q.amount.toString(),
          q.scale,
          converted.amount.toString(),
          converted.amount === 0n ? 'empty' : 'pending',
        ],
      );
      await client.query(
        'UPDATE accounts SET leftover_amount = $2, leftover_scale = $3 WHERE id = $1',
        [accountId, leftover.amount.toString(), leftover.scale],
      );
      return { kind: 'recorded', wei: converted.amount, leftover };
    });
  }

  /**
   * The next settlement to work on: a signed one first (its nonce is taken, later ones must
   * wait for it), else the oldest pending one whose peer address is known.
   */
  async nextOutgoing(): Promise<OutgoingRow | undefined> {
    const { rows } = await this.pool.query(
      `SELECT o.*, a.peer_address FROM outgoing_settlements o JOIN accounts a ON a.id = o.account_id
       WHERE o.state = 'signed' OR (o.state = 'pending' AND a.peer_address IS NOT NULL)
       ORDER BY (o.state = 'signed') DESC, o.seq LIMIT 1`,
    );
    return rows[0] ? toOutgoing(rows[0]) : undefined;
  }

  async getOutgoing(key: string): Promise<OutgoingRow | undefined> {
    const { rows } = await this.pool.query(
      `SELECT o.*, a.peer_address FROM outgoing_settlements o JOIN accounts a ON a.id = o.account_id
       WHERE o.idempotency_key = $1`,
      [key],
    );
    return rows[0] ? toOutgoing(rows[0]) : undefined;
  }

  /** Highest nonce we ever signed, so a crash between signing and sending reuses no nonce. */
  async highestSignedNonce(): Promise<number | undefined> {
    const { rows } = await this.pool.query(
      'SELECT max(nonce) AS nonce FROM outgoing_settlements WHERE nonce IS NOT NULL',
    );
    return rows[0]?.nonce === null || rows[0]?.nonce === undefined
      ? undefined
      : Number(rows[0].nonce);
  }

  async markSigned(key: string, nonce: number, txHash: string, rawTx: string): Promise<void> {
    await this.pool.query(
      `UPDATE outgoing_settlements SET state = 'signed', nonce = $2, tx_hash = $3, raw_tx = $4,
         updated_at = now() WHERE idempotency_key = $1 AND state = 'pending'`,
      [key, nonce, txHash, rawTx],
    );
  }

  async markMined(key: string, blockNumber: number): Promise<void> {
    await this.pool.query(
      `UPDATE outgoing_settlements SET state = 'mined', block_number = $2, updated_at = now()
       WHERE idempotency_key = $1 AND state = 'signed'`,
      [key, blockNumber],
    );
  }

  /** The signed transaction can never be mined (its nonce went to another): sign anew. */
  async resetToPending(key: string): Promise<void> {
    await this.pool.query(
      `UPDATE outgoing_settlements SET state = 'pending', nonce = NULL, tx_hash = NULL,
         raw_tx = NULL, updated_at = now() WHERE idempotency_key = $1 AND state = 'signed'`,
      [key],
    );
  }

  // chain scan and incoming

  async getChainState(): Promise<ChainState | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM chain_state');
    if (!rows[0]) return undefined;
    return {
      chainId: String(rows[0].chain_id),
      address: String(rows[0].address),
      lastScannedBlock: Number(rows[0].last_scanned_block),
    };
  }

  async initChainState(state: ChainState): Promise<void> {
    await this.pool.query(
      `INSERT INTO chain_state (chain_id, address, last_scanned_block) VALUES ($1, $2, $3)
       ON CONFLICT (singleton) DO NOTHING`,
      [state.chainId, state.address, state.lastScannedBlock],
    );
  }

  /** Stores the transfers found up to `block` and moves the scan position, atomically. */
  async saveScan(block: number, transfers: IncomingTransfer[]): Promise<void> {
    await this.transaction(async (client) => {
      for (const t of transfers) {
        await client.query(
          `INSERT INTO incoming_transfers (tx_hash, from_address, wei, block_number)
           VALUES ($1, $2, $3, $4) ON CONFLICT (tx_hash) DO NOTHING`,
          [t.txHash, t.from, t.wei.toString(), t.blockNumber],
        );
      }
      await client.query('UPDATE chain_state SET last_scanned_block = $1', [block]);
    });
  }

  /** Unreported transfers from a peer's proven address whose retry time has come. */
  async dueReports(limit: number): Promise<DueReport[]> {
    const { rows } = await this.pool.query(
      `SELECT t.*, a.id AS account_id_match FROM incoming_transfers t
       JOIN accounts a ON lower(a.peer_address) = lower(t.from_address) AND a.deleted_at IS NULL
       WHERE t.state = 'unreported' AND t.next_attempt_at <= now()
       ORDER BY t.block_number, t.tx_hash LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      txHash: String(row.tx_hash),
      from: String(row.from_address),
      wei: BigInt(String(row.wei)),
      blockNumber: Number(row.block_number),
      accountId: String(row.account_id_match),
      attempts: Number(row.attempts),
    }));
  }

  /** Milliseconds until the next unreported transfer of a known peer is due, if any. */
  async nextReportDelayMs(): Promise<number | undefined> {
    const { rows } = await this.pool.query(
      `SELECT greatest(0, extract(epoch FROM min(t.next_attempt_at) - now()) * 1000) AS ms
       FROM incoming_transfers t
       JOIN accounts a ON lower(a.peer_address) = lower(t.from_address) AND a.deleted_at IS NULL
       WHERE t.state = 'unreported'`,
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? undefined : Math.ceil(Number(ms));
  }

  async markReported(txHash: string, accountId: string): Promise<void> {
    await this.pool.query(
      `UPDATE incoming_transfers SET state = 'reported', account_id = $2, reported_at = now(),
         last_error = NULL WHERE tx_hash = $1`,
      [txHash, accountId],
    );
  }

  async markReportFailed(txHash: string, delayMs: number, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE incoming_transfers SET attempts = attempts + 1, last_error = $3,
         next_attempt_at = now() + ($2::double precision * interval '1 millisecond')
       WHERE tx_hash = $1`,
      [txHash, delayMs, error.slice(0, 500)],
    );
  }
}
