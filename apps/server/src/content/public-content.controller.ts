/**
 * What a reading page calls from the browser (CORS open, see public-cors.middleware.ts):
 * an article's public part, starting a paid session, and the session's routes, which need
 * the session token (`Authorization: Bearer <token>`).
 */
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { publicBaseUrl } from '../common/public-url';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ContentSessionsService } from './content-sessions.service';
import { ContentService } from './content.service';
import {
  CreatedSessionDto,
  PublicContentDto,
  ReceiptAcceptedDto,
  SessionStateDto,
} from './dto/content-views.dto';
import { HeartbeatDto, PostReceiptDto } from './dto/session-requests.dto';

@ApiTags('paid content (public)')
@Controller('api/public')
export class PublicContentController {
  constructor(
    private readonly content: ContentService,
    private readonly sessions: ContentSessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Title, teaser, price and how many paragraphs are paid; never the paid text. */
  @Get('content/:merchant/:slug')
  article(
    @Param('merchant') merchant: string,
    @Param('slug') slug: string,
  ): Promise<PublicContentDto> {
    return this.content.publicView(merchant, slug);
  }

  /** A new paid session with its own payment pointer; the token is shown only here. */
  @Post('content/:merchant/:slug/sessions')
  startSession(
    @Param('merchant') merchant: string,
    @Param('slug') slug: string,
    @Req() req: Request,
  ): Promise<CreatedSessionDto> {
    return this.sessions.create(merchant, slug, publicBaseUrl(this.config, req));
  }

  /** The same, for an article of the node's default merchant (DEFAULT_MERCHANT, or the only one). */
  @Get('content/:slug')
  defaultArticle(@Param('slug') slug: string): Promise<PublicContentDto> {
    return this.content.publicView(undefined, slug);
  }

  /** The same, for an article of the node's default merchant. */
  @Post('content/:slug/sessions')
  startDefaultSession(
    @Param('slug') slug: string,
    @Req() req: Request,
  ): Promise<CreatedSessionDto> {
    return this.sessions.create(undefined, slug, publicBaseUrl(this.config, req));
  }

  /** The session now, with the paid paragraphs if its money covers the time read. A visible beat. */
  @ApiBearerAuth()
  @Get('sessions/:id/content')
  read(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<SessionStateDto> {
    return this.sessions.read(id, authorization);
  }

  /** Page visible (time counts) or hidden (time stops); answers like the content route. */
  @ApiBearerAuth()
  @Post('sessions/:id/heartbeat')
  @HttpCode(200)
  heartbeat(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: HeartbeatDto,
  ): Promise<SessionStateDto> {
    return this.sessions.heartbeat(id, authorization, body.visible);
  }

  /** A STREAM receipt from a `monetization` event; only verified increases count. */
  @ApiBearerAuth()
  @Post('sessions/:id/receipts')
  @HttpCode(200)
  receipt(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: PostReceiptDto,
  ): Promise<ReceiptAcceptedDto> {
    return this.sessions.postReceipt(id, authorization, body.receipt);
  }
}
