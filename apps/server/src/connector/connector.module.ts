/**
 * The embedded connector and its links, accounts, routes and rates. Exports the service that
 * owns the live connector, for the modules that deliver packets locally (STREAM receivers)
 * and settle balances, and the account administration (demo wallets open accounts).
 */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../admin/admin.module';
import { Account } from './account.entity';
import { AdminConnectorController } from './admin-connector.controller';
import { ConnectorAdminService } from './connector-admin.service';
import { ConnectorRepository } from './connector.repository';
import { ConnectorService } from './connector.service';
import { ExchangeRate } from './exchange-rate.entity';
import { IlpHttpController } from './ilp-http.controller';
import { LinksService } from './links.service';
import { StaticRoute } from './static-route.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Account, StaticRoute, ExchangeRate]), AdminModule],
  controllers: [AdminConnectorController, IlpHttpController],
  providers: [ConnectorRepository, ConnectorService, LinksService, ConnectorAdminService],
  exports: [ConnectorService, ConnectorAdminService],
})
export class ConnectorModule {}
