/**
 * The connector module's only door to the database: accounts, static routes and exchange
 * rates. (The balance journal writes through `PgBalanceJournal`, on the hot path's terms.)
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Account } from './account.entity';
import { ExchangeRate } from './exchange-rate.entity';
import { StaticRoute } from './static-route.entity';

@Injectable()
export class ConnectorRepository {
  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(StaticRoute) private readonly routes: Repository<StaticRoute>,
    @InjectRepository(ExchangeRate) private readonly rates: Repository<ExchangeRate>,
  ) {}

  allAccounts(): Promise<Account[]> {
    return this.accounts.find({ order: { id: 'ASC' } });
  }

  findAccount(id: string): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }

  /** Inserts a new account; false when the id or the incoming token is already taken. */
  async insertAccount(account: Account): Promise<'ok' | 'duplicate-id' | 'duplicate-token'> {
    try {
      await this.accounts.insert(account);
      return 'ok';
    } catch (error) {
      const e = error as { code?: string; constraint?: string; detail?: string };
      if (e.code === '23505') {
        return (e.constraint ?? e.detail ?? '').includes('incoming_token')
          ? 'duplicate-token'
          : 'duplicate-id';
      }
      throw error;
    }
  }

  async deleteAccount(id: string): Promise<void> {
    await this.accounts.delete({ id });
  }

  allRoutes(): Promise<StaticRoute[]> {
    return this.routes.find({ order: { prefix: 'ASC' } });
  }

  async upsertRoute(prefix: string, accountId: string): Promise<void> {
    await this.routes.upsert({ prefix, accountId }, ['prefix']);
  }

  /** True when a route was removed. */
  async deleteRoute(prefix: string): Promise<boolean> {
    const result = await this.routes.delete({ prefix });
    return (result.affected ?? 0) > 0;
  }

  allRates(): Promise<ExchangeRate[]> {
    return this.rates.find({ order: { assetCode: 'ASC' } });
  }

  /** Replaces the whole rate table in one transaction (PUT semantics). */
  async replaceRates(rates: Record<string, string>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM exchange_rates');
      const codes = Object.keys(rates);
      if (codes.length > 0) {
        await manager.query(
          `INSERT INTO exchange_rates (asset_code, rate) SELECT * FROM unnest($1::text[], $2::text[])`,
          [codes, codes.map((c) => rates[c])],
        );
      }
    });
  }
}
