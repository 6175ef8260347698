/** The calling merchant's own profile and API keys. */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { CurrentMerchant, MerchantAuthGuard } from './merchant-auth.guard';
import { Merchant } from './merchant.entity';
import { ApiKeyView, merchantView, MerchantsService, MerchantView } from './merchants.service';

@Controller('api')
@UseGuards(MerchantAuthGuard)
export class MerchantKeysController {
  constructor(private readonly merchants: MerchantsService) {}

  @Get('me')
  me(@CurrentMerchant() merchant: Merchant): MerchantView {
    return merchantView(merchant);
  }

  @Get('keys')
  listKeys(@CurrentMerchant() merchant: Merchant): Promise<ApiKeyView[]> {
    return this.merchants.listKeys(merchant.id);
  }

  @Post('keys')
  createKey(
    @CurrentMerchant() merchant: Merchant,
    @Body() body: CreateApiKeyDto,
  ): Promise<{ key: ApiKeyView; apiKey: string }> {
    return this.merchants.createKey(merchant.id, body.name);
  }

  @Delete('keys/:id')
  @HttpCode(204)
  revokeKey(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    return this.merchants.revokeKey(merchant.id, id);
  }
}
