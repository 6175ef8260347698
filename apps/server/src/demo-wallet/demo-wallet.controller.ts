/**
 * `POST /api/demo/wallets` (a new wallet and its token, shown once), and with
 * `Authorization: Bearer <wallet token>`: `GET /api/demo/wallets/:id` (balance, history)
 * and `POST /api/demo/wallets/:id/top-up`.
 */
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken } from '../admin/admin.guard';
import { TopUpDto } from './dto/top-up.dto';
import { DemoInfo, DemoWalletService, DemoWalletView } from './demo-wallet.service';

/** `GET /api/demo`: whether this node offers demo wallets (a 404 when it does not), and on what terms. */
@Controller('api/demo')
export class DemoInfoController {
  constructor(private readonly wallets: DemoWalletService) {}

  @Get()
  info(): DemoInfo {
    return this.wallets.info();
  }
}

@Controller('api/demo/wallets')
export class DemoWalletController {
  constructor(private readonly wallets: DemoWalletService) {}

  @Post()
  create(@Req() req: Request): Promise<{ wallet: DemoWalletView; token: string }> {
    return this.wallets.create(req.ip ?? 'unknown');
  }

  @Get(':id')
  get(
    @Param('id') id: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<DemoWalletView> {
    return this.wallets.get(id, bearerToken(authorization));
  }

  @Post(':id/top-up')
  @HttpCode(200)
  topUp(
    @Param('id') id: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: TopUpDto,
  ): Promise<DemoWalletView> {
    return this.wallets.topUp(id, bearerToken(authorization), body.amount);
  }
}
