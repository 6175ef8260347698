/** Merchants and their API keys; exports the service and the guard merchant routes use. */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../admin/admin.module';
import { ConnectorModule } from '../connector/connector.module';
import { Account } from '../connector/account.entity';
import { AdminMerchantsController } from './admin-merchants.controller';
import { ApiKey } from './api-key.entity';
import { MerchantAuthGuard } from './merchant-auth.guard';
import { MerchantEvents } from './merchant-events';
import { MerchantKeysController } from './merchant-keys.controller';
import { Merchant } from './merchant.entity';
import { MerchantsRepository } from './merchants.repository';
import { MerchantsService } from './merchants.service';

@Module({
  imports: [TypeOrmModule.forFeature([Merchant, ApiKey, Account]), AdminModule, ConnectorModule],
  controllers: [AdminMerchantsController, MerchantKeysController],
  providers: [MerchantsRepository, MerchantsService, MerchantAuthGuard, MerchantEvents],
  exports: [MerchantsService, MerchantAuthGuard, MerchantEvents],
})
export class MerchantsModule {}
