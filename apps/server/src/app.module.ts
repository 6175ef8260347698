/**
 * The root module: configuration, database, and one module per domain. Global providers
 * (validation pipe, error filter) are registered here so they apply to every route and test.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConnectorModule } from './connector/connector.module';
import { ContentModule } from './content/content.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DatabaseModule } from './database/database.module';
import { DemoWalletModule } from './demo-wallet/demo-wallet.module';
import { HealthModule } from './health/health.module';
import { InvoicesModule } from './invoices/invoices.module';
import { MerchantsModule } from './merchants/merchants.module';
import { MetricsModule } from './metrics/metrics.module';
import { PaymentsModule } from './payments/payments.module';
import { QueueModule } from './queue/queue.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ReceivingModule } from './receiving/receiving.module';
import { SettlementModule } from './settlement/settlement.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        MetricsModule,
        QueueModule,
        RateLimitModule,
        HealthModule,
        AdminModule,
        ConnectorModule,
        MerchantsModule,
        InvoicesModule,
        SettlementModule,
        ContentModule,
        WebhooksModule,
        PaymentsModule,
        DashboardModule,
        // Demo customer wallets for the checkout (DEMO_WALLETS=false turns them off).
        ...(config.demoWallets ? [DemoWalletModule] : []),
        // Last: its catch-all GET /:merchant must not shadow any other route.
        ReceivingModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
