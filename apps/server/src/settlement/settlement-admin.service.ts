/** What the admin API asks of settlements, in its own errors. */
import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { pageSize } from '../common/dto/page.query';
import { ConnectorService } from '../connector/connector.service';
import { ListSettlementsQuery } from './dto/list-settlements.query';
import { SettlementAdminError, SettlementAdminErrorCode as Code } from './settlement.errors';
import { SettlementRepository } from './settlement.repository';
import { SettlementService } from './settlement.service';
import { SettlementView, settlementView } from './settlement-view';

@Injectable()
export class SettlementAdminService {
  constructor(
    private readonly repository: SettlementRepository,
    private readonly settlement: SettlementService,
    private readonly connectorService: ConnectorService,
  ) {}

  async list(
    query: ListSettlementsQuery,
  ): Promise<{ data: SettlementView[]; nextCursor: string | null }> {
    const limit = pageSize(query.limit);
    let before;
    if (query.cursor !== undefined) {
      before = decodeCursor(query.cursor);
      if (!before) {
        throw new SettlementAdminError(Code.InvalidQuery, 'cursor is not one this API gave out', [
          { field: 'cursor', problems: ['invalid'] },
        ]);
      }
    }
    const rows = await this.repository.list(query, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(settlementView),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async get(id: string): Promise<SettlementView> {
    const row = await this.repository.findById(id);
    if (!row) throw new SettlementAdminError(Code.UnknownSettlement, `no settlement ${id}`);
    return settlementView(row);
  }

  async retry(id: string): Promise<SettlementView> {
    const row = await this.repository.findById(id);
    if (!row) throw new SettlementAdminError(Code.UnknownSettlement, `no settlement ${id}`);
    if (row.direction !== 'outgoing' || (row.state !== 'queued' && row.state !== 'sent')) {
      throw new SettlementAdminError(
        Code.NotRetryable,
        `settlement ${id} is ${row.direction} and ${row.state}: only queued or sent outgoing settlements can be retried`,
      );
    }
    await this.settlement.retry(row.id);
    return settlementView(row);
  }

  async settleNow(accountId: string, amount: bigint): Promise<SettlementView> {
    const account = await this.repository.findAccount(accountId);
    if (!account) throw new SettlementAdminError(Code.UnknownAccount, `no account ${accountId}`);
    if (!account.settlementEngineUrl) {
      throw new SettlementAdminError(
        Code.NoSettlementEngine,
        `account ${accountId} has no settlementEngineUrl`,
      );
    }
    const owed = this.connectorService.connector.getBalance(accountId).balance;
    if (amount <= 0n || amount > owed) {
      throw new SettlementAdminError(
        Code.InvalidAmount,
        `amount must be positive and at most what the node owes the account (${owed})`,
        [{ field: 'amount', problems: [`must be between 1 and ${owed}`] }],
      );
    }
    return settlementView(await this.settlement.settleNow(account, amount));
  }
}
