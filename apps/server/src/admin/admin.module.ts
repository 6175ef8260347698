import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminGuard } from './admin.guard';
import { AdminTokenService } from './admin-token.service';
import { NodeInfoController } from './node-info.controller';
import { NodeSetting } from './node-setting.entity';

@Module({
  imports: [TypeOrmModule.forFeature([NodeSetting])],
  controllers: [NodeInfoController],
  providers: [AdminTokenService, AdminGuard],
  exports: [AdminTokenService, AdminGuard],
})
export class AdminModule {}
