/**
 * CORS for `/api/public/*`: the reading page calls these routes from the browser, on
 * whatever origin the front end is served from. Nothing there rides on cookies (the
 * session token is a bearer header), so any origin may call; preflights end here.
 */
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

export const PUBLIC_CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '600',
};

@Injectable()
export class PublicCorsMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    res.set(PUBLIC_CORS_HEADERS);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  }
}
