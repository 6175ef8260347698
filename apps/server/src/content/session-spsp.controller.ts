/**
 * SPSP for paid sessions: `GET /:merchant/sessions/:id` with `Accept:
 * application/spsp4+json`, the href of the reading page's `<link rel="monetization">`.
 * Three path segments with a fixed middle one, so the catch-all `GET /:merchant` of the
 * receiving module never shadows it, nor it anything else.
 */
import { Controller, Get, HttpCode, Options, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SPSP_CORS_HEADERS } from '@tollgate/spsp';
import type { Request, Response } from 'express';
import { ContentSessionsService } from './content-sessions.service';

@ApiExcludeController()
@Controller()
export class SessionSpspController {
  constructor(private readonly sessions: ContentSessionsService) {}

  @Get(':merchant/sessions/:id')
  async spsp(
    @Param('merchant') merchant: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const answer = await this.sessions.spsp(merchant, id, req.headers);
    res.status(answer.status).set(answer.headers).send(JSON.stringify(answer.body));
  }

  @Options(':merchant/sessions/:id')
  @HttpCode(204)
  preflight(@Res({ passthrough: true }) res: Response): void {
    for (const [name, value] of Object.entries(SPSP_CORS_HEADERS)) res.setHeader(name, value);
  }
}
