/** The demo wallets' only door to the database: counting wallets and reading their journal. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface JournalRow {
  delta: bigint;
  kind: 'packet' | 'settlement' | 'adjustment';
  reason: string | null;
  createdAt: Date;
}

@Injectable()
export class DemoWalletRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async countWallets(prefix: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM accounts WHERE id LIKE $1`,
      [`${prefix}%`],
    );
    return rows[0].n;
  }

  /** The newest `limit` journal rows of an account, newest first. */
  async journal(accountId: string, limit: number): Promise<JournalRow[]> {
    const rows: {
      delta: string;
      kind: JournalRow['kind'];
      reason: string | null;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT delta::text AS delta, kind, reason, created_at
           FROM balance_journal WHERE account_id = $1 ORDER BY id DESC LIMIT $2`,
      [accountId, limit],
    );
    return rows.map((r) => ({
      delta: BigInt(r.delta),
      kind: r.kind,
      reason: r.reason,
      createdAt: new Date(r.created_at),
    }));
  }
}
