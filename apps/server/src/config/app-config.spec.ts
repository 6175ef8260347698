import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      webPort: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      embeddedDatabase: true,
      settlementPort: 7771,
      settlementHost: '127.0.0.1',
      redisUrl: undefined,
      queuePrefix: 'tollgate',
      publicUrl: undefined,
      defaultMerchant: undefined,
      ilpAddress: 'test.tollgate',
      assetCode: 'USD',
      assetScale: 2,
      fxSpread: '0',
      adminToken: undefined,
      logLevel: 'info',
      dataDir: '.tollgate',
      databasePoolSize: 10,
      allowInsecurePointers: false,
      webhookTimeoutMs: 10_000,
      webhookMaxAttempts: 10,
      webhookRetryBaseMs: 5_000,
      webhookRetryMaxMs: 21_600_000,
      sweepIntervalMs: 1_000,
      paymentQuietMs: 5_000,
      rateLimit: {
        api: { burst: 600, perSecond: 100 },
        public: { burst: 600, perSecond: 100 },
        redisPrefix: 'tollgate:ratelimit',
      },
      demoWallets: true,
      webEnabled: true,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      WEB_PORT: '9001',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u:p@db:5432/tollgate',
      REDIS_URL: 'redis://cache:6379',
      ILP_ADDRESS: 'g.example.node',
      ASSET_CODE: 'EUR',
      ASSET_SCALE: '6',
      ADMIN_TOKEN: 'x'.repeat(32),
      LOG_LEVEL: 'warn',
      TOLLGATE_DATA_DIR: '/var/lib/tollgate',
      DATABASE_POOL_SIZE: '4',
      ALLOW_INSECURE_POINTERS: 'true',
      DEMO_WALLETS: 'FALSE',
      WEB_ENABLED: 'false',
    });
    expect(config).toMatchObject({
      port: 9000,
      webPort: 9001,
      databaseUrl: 'postgres://u:p@db:5432/tollgate',
      redisUrl: 'redis://cache:6379',
      ilpAddress: 'g.example.node',
      assetCode: 'EUR',
      assetScale: 6,
      logLevel: 'warn',
      databasePoolSize: 4,
      allowInsecurePointers: true,
      demoWallets: false,
      webEnabled: false,
    });
  });

  it('treats empty DATABASE_URL / REDIS_URL / ADMIN_TOKEN as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', REDIS_URL: ' ', ADMIN_TOKEN: '' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.adminToken).toBeUndefined();
  });

  it('lists every bad variable by name, not just the first', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        ASSET_SCALE: '256',
        ILP_ADDRESS: 'tollgate',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        ADMIN_TOKEN: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'PORT',
      'ASSET_SCALE',
      'ILP_ADDRESS',
      'DATABASE_URL',
      'LOG_LEVEL',
      'ADMIN_TOKEN',
    ]) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(6);
  });

  it('never echoes a secret back in its message', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'hunter2' })).toThrow(/<redacted>/);
    try {
      loadConfig({ DATABASE_URL: 'postgres://me:s3cret@/', ADMIN_TOKEN: 'hunter2' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it.each([
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['ASSET_SCALE', '-1'],
    ['ASSET_CODE', ''],
    ['ASSET_CODE', 'US D'],
    ['ILP_ADDRESS', 'test.'],
    ['DATABASE_POOL_SIZE', '0'],
    ['FX_SPREAD', '1'],
    ['PUBLIC_URL', 'https://pay.example.com/path'],
    ['PUBLIC_URL', 'ftp://pay.example.com'],
    ['FX_SPREAD', '-0.1'],
    ['FX_SPREAD', '0.5%'],
    ['WEBHOOK_TIMEOUT_MS', '5'],
    ['WEBHOOK_MAX_ATTEMPTS', '0'],
    ['SWEEP_INTERVAL_MS', 'often'],
    ['RATE_LIMIT_API_BURST', '0'],
    ['RATE_LIMIT_API_PER_SECOND', '-1'],
    ['RATE_LIMIT_IP_PER_SECOND', 'fast'],
    ['DEMO_WALLETS', 'no'],
    ['WEB_ENABLED', 'off'],
  ])('rejects %s=%j', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
