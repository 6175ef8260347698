/**
 * The typed configuration the server runs with, built once at start from the environment.
 * A bad value stops the process with a message naming every bad variable.
 */
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables, LOG_LEVELS } from './environment-variables';

export interface AppConfig {
  port: number;
  webPort: number;
  host: string;
  /** The engine-facing settlement API (RFC 38); 0 = any free port. */
  settlementPort: number;
  settlementHost: string;
  /**
   * Unset in the environment: the bootstrap starts the embedded Postgres (PGlite) in
   * `dataDir` and puts its URL here, with `embeddedDatabase` true.
   */
  databaseUrl: string | undefined;
  embeddedDatabase: boolean;
  /** Unset: queue jobs run in-process. */
  redisUrl: string | undefined;
  /** Key prefix of this node's BullMQ queues. */
  queuePrefix: string;
  /** Slug of the merchant `/.well-known/pay` serves; unset: the only merchant, if just one. */
  defaultMerchant: string | undefined;
  /** Origin for payment pointers and links; unset: taken from each request's Host. */
  publicUrl: string | undefined;
  ilpAddress: string;
  assetCode: string;
  assetScale: number;
  /** Connector FX spread as a decimal fraction ("0.002" = 0.2 %). */
  fxSpread: string;
  /** Unset: a token is generated on first start, printed once, and only its hash is kept. */
  adminToken: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  dataDir: string;
  databasePoolSize: number;
  /** External content pointers may be http:// on localhost (development and tests only). */
  allowInsecurePointers: boolean;
  webhookTimeoutMs: number;
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** Overdue invoices, new payments and lost webhook deliveries are looked for this often. */
  sweepIntervalMs: number;
  /** A STREAM connection quiet this long is announced with `payment.received`. */
  paymentQuietMs: number;
  rateLimit: {
    /** Per merchant API key. */
    api: { burst: number; perSecond: number };
    /** Per client IP, on unauthenticated public routes. */
    public: { burst: number; perSecond: number };
    /** Redis key prefix of the buckets: `<QUEUE_PREFIX>:ratelimit`. */
    redisPrefix: string;
  };
  /** Demo customer wallets (`/api/demo/wallets`) funded by the node; not for production. */
  demoWallets: boolean;
  /** Whether `npm start` runs the web front end on `webPort`. */
  webEnabled: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Validates the environment; throws `ConfigError` listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const raw: Record<string, unknown> = {};
  for (const name of known) {
    if (env[name] !== undefined) raw[name] = env[name];
  }
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(vars, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const problems = errors.map((e) => {
      const messages = Object.values(e.constraints ?? {});
      return `${e.property}: ${messages[0] ?? 'invalid value'} (got ${JSON.stringify(shown(e.property, raw[e.property]))})`;
    });
    throw new ConfigError(problems);
  }
  return {
    port: vars.PORT,
    webPort: vars.WEB_PORT,
    host: vars.HOST,
    settlementPort: vars.SETTLEMENT_PORT,
    settlementHost: vars.SETTLEMENT_HOST,
    databaseUrl: vars.DATABASE_URL,
    embeddedDatabase: vars.DATABASE_URL === undefined,
    redisUrl: vars.REDIS_URL,
    queuePrefix: vars.QUEUE_PREFIX,
    publicUrl: vars.PUBLIC_URL,
    defaultMerchant: vars.DEFAULT_MERCHANT,
    ilpAddress: vars.ILP_ADDRESS,
    assetCode: vars.ASSET_CODE,
    assetScale: vars.ASSET_SCALE,
    fxSpread: vars.FX_SPREAD,
    adminToken: vars.ADMIN_TOKEN,
    logLevel: vars.LOG_LEVEL,
    dataDir: vars.TOLLGATE_DATA_DIR,
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    allowInsecurePointers: vars.ALLOW_INSECURE_POINTERS === 'true',
    webhookTimeoutMs: vars.WEBHOOK_TIMEOUT_MS,
    webhookMaxAttempts: vars.WEBHOOK_MAX_ATTEMPTS,
    webhookRetryBaseMs: vars.WEBHOOK_RETRY_BASE_MS,
    webhookRetryMaxMs: vars.WEBHOOK_RETRY_MAX_MS,
    sweepIntervalMs: vars.SWEEP_INTERVAL_MS,
    paymentQuietMs: vars.PAYMENT_QUIET_MS,
    rateLimit: {
      api: { burst: vars.RATE_LIMIT_API_BURST, perSecond: vars.RATE_LIMIT_API_PER_SECOND },
      public: { burst: vars.RATE_LIMIT_IP_BURST, perSecond: vars.RATE_LIMIT_IP_PER_SECOND },
      redisPrefix: `${vars.QUEUE_PREFIX}:ratelimit`,
    },
    demoWallets: vars.DEMO_WALLETS === 'true',
    webEnabled: vars.WEB_ENABLED === 'true',
  };
}

/** Never echo secrets back, even when they are wrong. */
function shown(name: string, value: unknown): unknown {
  if (name === 'ADMIN_TOKEN') return '<redacted>';
  if (name === 'DATABASE_URL' || name === 'REDIS_URL') {
    return typeof value === 'string' ? value.replace(/\/\/([^@/]*)@/, '//<credentials>@') : value;
  }
  return value;
}
