/**
 * Token buckets in Redis, so every instance draws from the same bucket. One Lua script per
 * request refills and takes atomically, on Redis's clock (instances' clocks may disagree);
 * a bucket's key expires once it would be full again, so idle keys cost nothing.
 */
import Redis from 'ioredis';
import { BucketLimits, RateLimitStore, resultOf, TakeResult } from './token-bucket';

const TAKE = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 1000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
local created = 0
if tokens == nil or at == nil then
  tokens = burst
  created = 1
elseif now > at then
  tokens = math.min(burst, tokens + (now - at) * per_ms)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / per_ms) + 1000)
return { allowed, tostring(tokens), created }
`;

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    // Fail fast rather than queue: a request must not wait on a Redis that is away.
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    this.redis.on('error', () => undefined); // reported per request by the guard
    this.redis.defineCommand('tollgateTakeToken', { numberOfKeys: 1, lua: TAKE });
  }

  async take(key: string, limits: BucketLimits): Promise<TakeResult> {
    const [allowed, tokens, created] = (await (
      this.redis as unknown as {
        tollgateTakeToken(
          key: string,
          burst: number,
          perSecond: number,
        ): Promise<[number, string, number]>;
      }
    ).tollgateTakeToken(`${this.prefix}:${key}`, limits.burst, limits.perSecond)) ?? [1, '0', 0];
    return resultOf(allowed === 1, Number(tokens), limits, created === 1);
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:${key}`);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
