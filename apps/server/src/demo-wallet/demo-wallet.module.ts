/**
 * Demo customer wallets for trying the checkout on one machine (on unless
 * `DEMO_WALLETS=false`; not for production). Adds no tables: a wallet is a connector
 * account, its history the account's balance journal.
 */
import { Module } from '@nestjs/common';
import { ConnectorModule } from '../connector/connector.module';
import { DemoInfoController, DemoWalletController } from './demo-wallet.controller';
import { DemoWalletRepository } from './demo-wallet.repository';
import { DemoWalletService } from './demo-wallet.service';

@Module({
  imports: [ConnectorModule],
  controllers: [DemoInfoController, DemoWalletController],
  providers: [DemoWalletRepository, DemoWalletService],
  exports: [DemoWalletService],
})
export class DemoWalletModule {}
