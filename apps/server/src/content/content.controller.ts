/** The merchant's articles: `POST|GET /api/content`, `GET|PATCH|DELETE /api/content/:id`. */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentMerchant, MerchantAuthGuard } from '../merchants/merchant-auth.guard';
import { Merchant } from '../merchants/merchant.entity';
import { ContentService } from './content.service';
import { CreateContentDto, UpdateContentDto } from './dto/create-content.dto';
import { ContentItemDto, ContentListDto } from './dto/content-views.dto';

@ApiTags('content')
@ApiBearerAuth()
@Controller('api/content')
@UseGuards(MerchantAuthGuard)
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  create(
    @CurrentMerchant() merchant: Merchant,
    @Body() body: CreateContentDto,
  ): Promise<ContentItemDto> {
    return this.content.create(merchant, body);
  }

  @Get()
  list(@CurrentMerchant() merchant: Merchant): Promise<ContentListDto> {
    return this.content.list(merchant);
  }

  @Get(':id')
  get(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ContentItemDto> {
    return this.content.get(merchant, id);
  }

  @Patch(':id')
  update(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateContentDto,
  ): Promise<ContentItemDto> {
    return this.content.update(merchant, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(
    @CurrentMerchant() merchant: Merchant,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    return this.content.remove(merchant, id);
  }
}
