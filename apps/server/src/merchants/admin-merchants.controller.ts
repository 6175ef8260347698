/** Node administration of merchants (contract in DESIGN.md): the first API key is shown once. */
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../admin/admin.guard';
import { CreateMerchantDto } from './dto/create-merchant.dto';
import { MerchantsService, MerchantView } from './merchants.service';

@Controller('api/admin/merchants')
@UseGuards(AdminGuard)
export class AdminMerchantsController {
  constructor(private readonly merchants: MerchantsService) {}

  @Post()
  create(@Body() body: CreateMerchantDto): Promise<{ merchant: MerchantView; apiKey: string }> {
    return this.merchants.create(body);
  }

  @Get()
  list(): Promise<MerchantView[]> {
    return this.merchants.list();
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<MerchantView> {
    return this.merchants.get(id);
  }
}
