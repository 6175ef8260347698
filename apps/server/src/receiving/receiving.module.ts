/** Receiving money: SPSP endpoints and the merchants' STREAM receivers on the connector. */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NodeSetting } from '../admin/node-setting.entity';
import { ConnectorModule } from '../connector/connector.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { NodeSecretsService } from './node-secrets.service';
import { SpspController } from './spsp.controller';
import { StreamReceiverService } from './stream-receiver.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([NodeSetting]),
    ConnectorModule,
    MerchantsModule,
    InvoicesModule,
  ],
  controllers: [SpspController],
  providers: [NodeSecretsService, StreamReceiverService],
  exports: [StreamReceiverService, NodeSecretsService],
})
export class ReceivingModule {}
