/**
 * Rate limiting for the REST API and public routes: a global guard over a token-bucket
 * store in Redis (REDIS_URL set: shared by every instance) or in memory.
 */
import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RATE_LIMIT_STORE, RateLimitGuard } from './rate-limit.guard';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { MemoryRateLimitStore, RateLimitStore } from './token-bucket';

@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): RateLimitStore =>
        config.redisUrl
          ? new RedisRateLimitStore(config.redisUrl, config.rateLimit.redisPrefix)
          : new MemoryRateLimitStore(),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class RateLimitModule implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close?.();
  }
}
