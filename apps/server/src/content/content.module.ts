/**
 * Paid content: merchants' articles, readers' paid sessions, their SPSP endpoints, and the
 * paywall rule. Money reaches sessions through the receiving module's STREAM receivers.
 */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MerchantsModule } from '../merchants/merchants.module';
import { ReceivingModule } from '../receiving/receiving.module';
import { ContentItem } from './content-item.entity';
import { ContentSession } from './content-session.entity';
import { ContentSessionsService } from './content-sessions.service';
import { ContentController } from './content.controller';
import { ContentRepository } from './content.repository';
import { ContentService } from './content.service';
import { PublicContentController } from './public-content.controller';
import { SessionClock } from './session-clock';
import { SessionSpspController } from './session-spsp.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([ContentItem, ContentSession]),
    MerchantsModule,
    ReceivingModule,
  ],
  controllers: [ContentController, PublicContentController, SessionSpspController],
  providers: [ContentRepository, ContentService, ContentSessionsService, SessionClock],
  exports: [ContentService, ContentSessionsService],
})
export class ContentModule {}
