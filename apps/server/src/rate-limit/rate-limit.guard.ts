/**
 * Rate limits, before any other guard or handler:
 * - requests carrying a bearer key on `/api/*` draw from that key's bucket (the key is
 *   hashed, never stored), RATE_LIMIT_API_*; a key whose bucket this request opens (one not
 *   seen, or idle until full) also takes a token from its IP's bucket of new keys
 *   (RATE_LIMIT_IP_*), or made-up tokens would each buy a full bucket past the IP's limit;
 * - requests without one (checkout pages, SPSP queries, and anything unauthenticated) draw
 *   from their client IP's bucket, RATE_LIMIT_PUBLIC_*;
 * - the admin API, health, metrics and the ILP links are not limited here (the operator's
 *   own calls; links have per-account packet limits in the connector).
 * Every limited answer carries `RateLimit-Limit`, `-Remaining`, `-Reset` (seconds until the
 * bucket is full) and `RateLimit-Policy`; a refusal is 429 with `Retry-After` (seconds until
 * one request is allowed). If the shared store (Redis) is unreachable the request is let
 * through and the failure logged: an outage of the limiter must not take the API down.
 */
import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { bearerToken } from '../admin/admin.guard';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RateLimitError, RateLimitErrorCode as Code } from './rate-limit.errors';
import { BucketLimits, RateLimitStore } from './token-bucket';

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

const UNLIMITED = /^\/(api\/admin(\/|$)|health$|metrics$|ilp$|api\/docs)/;

@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');
  private lastStoreError = 0;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (UNLIMITED.test(req.path)) return true;
    const token = req.path.startsWith('/api/') ? bearerToken(req.headers.authorization) : undefined;
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const [key, limits]: [string, BucketLimits] = token
      ? [
          `key:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`,
          this.config.rateLimit.api,
        ]
      : [`ip:${ip}`, this.config.rateLimit.public];
    let result;
    let newKey;
    try {
      result = await this.store.take(key, limits);
      if (token && result.created) {
        newKey = await this.store.take(`new-key:ip:${ip}`, this.config.rateLimit.public);
        // Refused: the key stays new, so trying it again costs the IP again.
        if (!newKey.allowed) await this.store.forget(key);
      }
    } catch (error) {
      if (Date.now() - this.lastStoreError > 10_000) {
        this.lastStoreError = Date.now();
        this.logger.error({
          err: error,
          msg: 'rate-limit store unavailable: letting requests through',
        });
      }
      return true;
    }
    res.setHeader('RateLimit-Limit', String(limits.burst));
    res.setHeader('RateLimit-Remaining', String(result.remaining));
    res.setHeader('RateLimit-Reset', String(Math.ceil(result.resetMs / 1000)));
    res.setHeader(
      'RateLimit-Policy',
      `${limits.burst};w=${Math.max(1, Math.ceil(limits.burst / limits.perSecond))}`,
    );
    const refusal = !result.allowed ? result : newKey && !newKey.allowed ? newKey : undefined;
    if (refusal) {
      const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
      res.setHeader('Retry-After', String(seconds));
      throw new RateLimitError(Code.RateLimited, `too many requests: retry after ${seconds} s`);
    }
    return true;
  }
}
