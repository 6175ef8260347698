/** TypeORM settings shared by the server and the tests: Postgres, hand-written migrations, no sync. */
import { DataSourceOptions } from 'typeorm';
import { migrations } from '@tollgate/migrations';
import { NodeSetting } from '../admin/node-setting.entity';
import { Account } from '../connector/account.entity';
import { ExchangeRate } from '../connector/exchange-rate.entity';
import { ContentItem } from '../content/content-item.entity';
import { ContentSession } from '../content/content-session.entity';
import { StaticRoute } from '../connector/static-route.entity';
import { Invoice } from '../invoices/invoice.entity';
import { ApiKey } from '../merchants/api-key.entity';
import { Merchant } from '../merchants/merchant.entity';
import { Settlement } from '../settlement/settlement.entity';

export const ENTITIES = [
  NodeSetting,
  Account,
  StaticRoute,
  ExchangeRate,
  Merchant,
  ApiKey,
  Invoice,
  Settlement,
  ContentItem,
  ContentSession,
];

export function typeOrmOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    applicationName: 'tollgate',
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
