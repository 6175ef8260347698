/**
 * CORS for the API routes the web front end calls from the browser (it is served on its own
 * port, so another origin): checkout views and events, the demo wallets, and the public
 * content and paid-session routes of the reading page. Any origin may call them because
 * they carry no ambient authority: the checkout and articles are public, and wallets and
 * sessions use a bearer token the page holds, never cookies. Merchant and admin routes stay
 * same-origin only.
 */
import type { NextFunction, Request, Response } from 'express';

const BROWSER_ROUTES = /^\/api\/(checkout|demo|public)(\/|$)/;

export function browserCors(req: Request, res: Response, next: NextFunction): void {
  if (!BROWSER_ROUTES.test(req.path)) {
    next();
    return;
  }
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
    return;
  }
  next();
}
