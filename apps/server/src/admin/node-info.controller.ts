/** `GET /api/admin/node`: who this node is on the Interledger, for operators and scripts. */
import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { VERSION } from '../version';
import { AdminGuard } from './admin.guard';

export interface NodeInfo {
  ilpAddress: string;
  assetCode: string;
  assetScale: number;
  embeddedDatabase: boolean;
  queue: 'redis' | 'in-process';
  version: string;
}

@Controller('api/admin/node')
@UseGuards(AdminGuard)
export class NodeInfoController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  get(): NodeInfo {
    return {
      ilpAddress: this.config.ilpAddress,
      assetCode: this.config.assetCode,
      assetScale: this.config.assetScale,
      embeddedDatabase: this.config.embeddedDatabase,
      queue: this.config.redisUrl ? 'redis' : 'in-process',
      version: VERSION,
    };
  }
}
