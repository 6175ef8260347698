/** Merchants and their API keys; exports the service and the guard merchant routes use. */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../admin/admin.module';
import { AdminMerchantsController } from './admin-merchants.controller';
import { ApiKey } from './api-key.entity';
import { MerchantAuthGuard } from './merchant-auth.guard';
import { MerchantKeysController } from './merchant-keys.controller';
import { Merchant } from './merchant.entity';
import { MerchantsRepository } from './merchants.repository';
import { MerchantsService } from './merchants.service';

@Module({
  imports: [TypeOrmModule.forFeature([Merchant, ApiKey]), AdminModule],
  controllers: [AdminMerchantsController, MerchantKeysController],
  providers: [MerchantsRepository, MerchantsService, MerchantAuthGuard],
  exports: [MerchantsService, MerchantAuthGuard],
})
export class MerchantsModule {}
