/** The settlement module's only door to the database: settlements, leftovers, the journal check. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Account } from '../connector/account.entity';
import { Settlement, SettlementDirection, SettlementState } from './settlement.entity';

export interface SettlementFilter {
  accountId?: string;
  state?: SettlementState;
  direction?: SettlementDirection;
}

/** The part of an incoming credit a leftover calculation needs (see SettlementService). */
export type LeftoverMath = (stored: { amount: bigint; scale: number } | undefined) => {
  credit: bigint;
  leftover: { amount: bigint; scale: number };
};

@Injectable()
export class SettlementRepository {
  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    @InjectRepository(Settlement) private readonly settlements: Repository<Settlement>,
  ) {}

  inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findAccount(id: string): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOneBy({ id });
  }

  allAccounts(): Promise<Account[]> {
    return this.dataSource.getRepository(Account).find();
  }

  findById(id: string): Promise<Settlement | null> {
    return this.settlements.findOneBy({ id });
  }

  async insert(row: Settlement): Promise<void> {
    await this.settlements.insert(row);
  }

  /**
   * Records an incoming credit once per (account, idempotency key), and moves the account's
   * leftover in the same transaction. Returns the row and whether this call created it (a
   * repeat returns the first row and credits nothing).
   */
  async recordIncoming(
    row: Settlement,
    math: LeftoverMath,
    onCreated: (tx: EntityManager, row: Settlement) => Promise<void> = async () => {},
  ): Promise<{ settlement: Settlement; created: boolean }> {
    return this.dataSource.transaction(async (tx) => {
      const existing = await tx.getRepository(Settlement).findOneBy({
        accountId: row.accountId,
        direction: 'incoming',
        idempotencyKey: row.idempotencyKey,
      });
      if (existing) return { settlement: existing, created: false };
      // Serialises concurrent credits of one account on its leftover row.
      await tx.query(
        `INSERT INTO settlement_leftovers (account_id, amount, scale) VALUES ($1, 0, 0)
         ON CONFLICT (account_id) DO NOTHING`,
        [row.accountId],
      );
      const [stored] = (await tx.query(
        `SELECT amount, scale FROM settlement_leftovers WHERE account_id = $1 FOR UPDATE`,
        [row.accountId],
      )) as { amount: string; scale: number }[];
      const { credit, leftover } = math(
        stored && BigInt(stored.amount) > 0n
          ? { amount: BigInt(stored.amount), scale: Number(stored.scale) }
          : undefined,
      );
      row.amount = credit;
      row.balanceApplied = credit === 0n;
      await tx.getRepository(Settlement).insert(row);
      await tx.query(
        `UPDATE settlement_leftovers SET amount = $2, scale = $3, updated_at = now()
         WHERE account_id = $1`,
        [row.accountId, leftover.amount.toString(), leftover.scale],
      );
      await onCreated(tx, row);
      return { settlement: row, created: true };
    });
  }

  leftover(accountId: string): Promise<{ amount: bigint; scale: number } | undefined> {
    return this.dataSource
      .query(`SELECT amount, scale FROM settlement_leftovers WHERE account_id = $1`, [accountId])
      .then((rows: { amount: string; scale: number }[]) =>
        rows[0] ? { amount: BigInt(rows[0].amount), scale: Number(rows[0].scale) } : undefined,
      );
  }

  /**
   * Takes an outgoing row for a send attempt: queued/sent → sent, counting the attempt.
   * Undefined when it is already confirmed or failed (a duplicate or late job).
   */
  async claimForSend(id: string): Promise<Settlement | undefined> {
    const rows = await this.transition(
      id,
      ['queued', 'sent'],
      `state = 'sent', attempts = attempts + 1, sent_at = coalesce(sent_at, now())`,
    );
    return rows;
  }

  markConfirmed(id: string, manager?: EntityManager): Promise<Settlement | undefined> {
    return this.transition(
      id,
      ['queued', 'sent'],
      `state = 'confirmed', completed_at = now(), last_error = NULL`,
      [],
      manager,
    );
  }

  /** queued/sent → failed; undefined if another worker got there first. */
  markFailed(id: string, error: string): Promise<Settlement | undefined> {
    return this.transition(
      id,
      ['queued', 'sent'],
      `state = 'failed', completed_at = now(), last_error = $2`,
      [error],
    );
  }

  async recordError(id: string, error: string): Promise<void> {
    await this.settlements.update({ id }, { lastError: error.slice(0, 1000) });
  }

  async markBalanceApplied(id: string): Promise<void> {
    await this.settlements.update({ id }, { balanceApplied: true });
  }

  async markRefundApplied(id: string): Promise<void> {
    await this.settlements.update({ id }, { refundApplied: true });
  }

  /** Rows whose balance entry or refund may not have reached the journal (a crash between). */
  unapplied(): Promise<Settlement[]> {
    return this.settlements
      .createQueryBuilder('s')
      .where(`NOT s.balance_applied OR (s.state = 'failed' AND NOT s.refund_applied)`)
      .orderBy('s.created_at', 'ASC')
      .getMany();
  }

  /** Outgoing rows not finished yet, to put back on the queue at start. */
  open(): Promise<Settlement[]> {
    return this.settlements
      .createQueryBuilder('s')
      .where(`s.state IN ('queued', 'sent')`)
      .orderBy('s.created_at', 'ASC')
      .getMany();
  }

  /** Whether the journal holds a settlement entry with this reason. */
  async journalHas(accountId: string, reason: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM balance_journal WHERE kind = 'settlement' AND reason = $1 AND account_id = $2 LIMIT 1`,
      [reason, accountId],
    );
    return rows.length > 0;
  }

  /** Newest first; `before` is the (created_at, id) cursor of the last row already seen. */
  async list(
    filter: SettlementFilter,
    limit: number,
    before?: { createdAt: Date; id: string },
  ): Promise<Settlement[]> {
    const query = this.settlements
      .createQueryBuilder('s')
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(limit);
    if (filter.accountId)
      query.andWhere('s.account_id = :accountId', { accountId: filter.accountId });
    if (filter.state) query.andWhere('s.state = :state', { state: filter.state });
    if (filter.direction)
      query.andWhere('s.direction = :direction', { direction: filter.direction });
    if (before) {
      query.andWhere('(s.created_at, s.id) < (:createdAt, :id)', before);
    }
    return query.getMany();
  }

  private async transition(
    id: string,
    from: SettlementState[],
    set: string,
    params: unknown[] = [],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Settlement | undefined> {
    const result = (await manager.query(
      `UPDATE settlements SET ${set}, updated_at = now()
       WHERE id = $1 AND state IN (${from.map((s) => `'${s}'`).join(', ')})
       RETURNING id`,
      [id, ...params],
    )) as [{ id: string }[], number];
    if (result[0].length === 0) return undefined;
    return (await manager.getRepository(Settlement).findOneBy({ id })) ?? undefined;
  }
}
