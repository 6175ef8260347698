/**
 * `POST /ilp`: ILP over HTTP (synchronous mode). The body is streamed with a size cap by the
 * ilp-http adapter; no body parser touches `application/octet-stream`.
 */
import { Controller, Post, Req, Res } from '@nestjs/common';
import { handleNodeRequest } from '@tollgate/ilp-http';
import type { Request, Response } from 'express';
import { LinksService } from './links.service';

@Controller('ilp')
export class IlpHttpController {
  constructor(private readonly links: LinksService) {}

  @Post()
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    await handleNodeRequest(this.links.ilpHttp, req, res);
  }
}
