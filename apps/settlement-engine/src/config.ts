/**
 * The engine's configuration, read from the environment in this one place and validated at
 * start: every bad variable is listed in one error. Secret values are never echoed.
 */
import { isHexString } from 'ethers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Anvil's well-known dev accounts: 10 are funded by default. */
export const DEV_ACCOUNT_COUNT = 10;

export interface EngineConfig {
  /** Port of the RFC 38 API (0 = any free port). */
  port: number;
  /** Interface the API listens on; loopback by default because the API has no auth. */
  host: string;
  connectorUrl: string;
  /** Undefined: start our own anvil. */
  rpcUrl?: string;
  /** Port for our own anvil (0 = any free port). */
  anvilPort: number;
  /** Where our own anvil keeps its chain between runs ('' = nowhere: a new chain each run). */
  anvilStatePath: string;
  /** A hex private key; undefined: use the dev account `devAccountIndex` (anvil only). */
  privateKey?: string;
  devAccountIndex: number;
  confirmations: number;
  pollIntervalMs: number;
  /** Undefined: embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Connections to ENGINE_DATABASE_URL; the embedded database always gets one. */
  databasePoolSize: number;
  logLevel: LogLevel;
  /** First delay and cap of the back-off for connector reports and ledger retries. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid settlement engine configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): EngineConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const httpUrl = (name: string, fallback?: string): string | undefined => {
    const raw = text(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
    } catch {
      // reported below
    }
    problems.push(`${name} must be an http:// or https:// URL`);
    return fallback;
  };

  const privateKeyRaw = text('ETH_PRIVATE_KEY');
  let privateKey: string | undefined;
  if (privateKeyRaw !== undefined) {
    const key = privateKeyRaw.startsWith('0x') ? privateKeyRaw : `0x${privateKeyRaw}`;
    if (isHexString(key, 32) && !/^0x0+$/.test(key)) privateKey = key;
    else problems.push('ETH_PRIVATE_KEY must be a 32-byte hex private key (value not shown)');
  }

  const databaseUrl = text('ENGINE_DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    problems.push('ENGINE_DATABASE_URL must be a postgres:// URL (value not shown)');
  }

  const logLevel = (text('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const config: EngineConfig = {
    port: int('ENGINE_PORT', 3001, 0, 65535),
    host: text('ENGINE_HOST') ?? '127.0.0.1',
    connectorUrl: httpUrl('CONNECTOR_URL', 'http://127.0.0.1:7771')!,
    rpcUrl: httpUrl('ETH_RPC_URL'),
    anvilPort: int('ANVIL_PORT', 0, 0, 65535),
    anvilStatePath: env.ANVIL_STATE ?? '.tollgate/engine-anvil-state.json',
    privateKey,
    devAccountIndex: int('ETH_DEV_ACCOUNT', 0, 0, DEV_ACCOUNT_COUNT - 1),
    confirmations: int('ETH_CONFIRMATIONS', 1, 1, 1000),
    pollIntervalMs: int('ETH_POLL_INTERVAL_MS', 1000, 10, 600_000),
    databaseUrl,
    dataDir: text('ENGINE_DATA_DIR') ?? '.tollgate/engine-db',
    databasePoolSize: int('ENGINE_DATABASE_POOL_SIZE', 8, 1, 100),
    logLevel,
    retryBaseMs: int('ENGINE_RETRY_BASE_MS', 500, 1, 3_600_000),
    retryMaxMs: int('ENGINE_RETRY_MAX_MS', 60_000, 1, 3_600_000),
  };
  if (config.retryMaxMs < config.retryBaseMs) {
    problems.push('ENGINE_RETRY_MAX_MS must not be below ENGINE_RETRY_BASE_MS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
