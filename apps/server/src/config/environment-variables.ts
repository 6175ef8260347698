/**
 * Every environment variable Tollgate reads, validated at start by class-validator. This is
 * the only place that knows variable names; the rest of the server sees an `AppConfig`.
 */
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { isValidIlpAddress } from '@tollgate/ilp-core';

@ValidatorConstraint({ name: 'ilpAddress' })
class IlpAddressConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidIlpAddress(value);
  }
  defaultMessage(): string {
    return 'ILP_ADDRESS must be a valid ILP address such as test.tollgate or g.example.node (RFC 15)';
  }
}

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;
const emptyAsUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class EnvironmentVariables {
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  PORT = 8080;

  @Type(() => Number)
  @IsInt({ message: 'WEB_PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'WEB_PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'WEB_PORT must be an integer from 0 to 65535' })
  WEB_PORT = 3000;

  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'HOST must not be empty' })
  HOST = '0.0.0.0';

  /**
   * The settlement engine API of this node (engines credit settlements and relay messages
   * here, RFC 38). It trusts its callers, so it listens on loopback unless told otherwise.
   */
  @Type(() => Number)
  @IsInt({ message: 'SETTLEMENT_PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'SETTLEMENT_PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'SETTLEMENT_PORT must be an integer from 0 to 65535' })
  SETTLEMENT_PORT = 7771;

  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'SETTLEMENT_HOST must not be empty' })
  SETTLEMENT_HOST = '127.0.0.1';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// connection URL',
  })
  DATABASE_URL?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Key prefix of this node's queues in Redis, so several nodes can share one Redis. */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'QUEUE_PREFIX must be 1-64 letters, digits, "-" or "_"',
  })
  QUEUE_PREFIX = 'tollgate';

  /** The merchant (slug) that `$host` itself pays, i.e. GET /.well-known/pay. */
  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, {
    message: 'DEFAULT_MERCHANT must be a merchant slug',
  })
  DEFAULT_MERCHANT?: string;

  /** Where people and wallets reach this server (payment pointers are built on it). */
  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^/\s?#]+$/, {
    message: 'PUBLIC_URL must be an http(s) origin without a path, such as https://pay.example.com',
  })
  PUBLIC_URL?: string;

  @Transform(trimmed)
  @Validate(IlpAddressConstraint)
  ILP_ADDRESS = 'test.tollgate';

  @Transform(trimmed)
  @Matches(/^[A-Za-z0-9]{1,12}$/, {
    message: 'ASSET_CODE must be 1 to 12 letters or digits, such as USD',
  })
  ASSET_CODE = 'USD';

  @Type(() => Number)
  @IsInt({ message: 'ASSET_SCALE must be an integer from 0 to 255' })
  @Min(0, { message: 'ASSET_SCALE must be an integer from 0 to 255' })
  @Max(255, { message: 'ASSET_SCALE must be an integer from 0 to 255' })
  ASSET_SCALE = 2;

  /** Kept by the connector on every currency conversion, as a fraction: "0.002" is 0.2 %. */
  @Transform(trimmed)
  @Matches(/^0(\.[0-9]{1,18})?$/, {
    message: 'FX_SPREAD must be a decimal fraction from 0 up to (not including) 1, such as 0.002',
  })
  FX_SPREAD = '0';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @MinLength(24, {
    message: 'ADMIN_TOKEN must be at least 24 characters (use a long random value)',
  })
  @MaxLength(512, { message: 'ADMIN_TOKEN must be at most 512 characters' })
  ADMIN_TOKEN?: string;

  @Transform(trimmed)
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Where the embedded database (and other local state) lives when DATABASE_URL is unset. */
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'TOLLGATE_DATA_DIR must not be empty' })
  TOLLGATE_DATA_DIR = '.tollgate';

  /**
   * Development and tests only: external payment pointers of paid content may use http://
   * and a port on localhost (`$localhost:9000/alice`).
   */
  @Transform(trimmed)
  @IsIn(['true', 'false'], { message: 'ALLOW_INSECURE_POINTERS must be true or false' })
  ALLOW_INSECURE_POINTERS = 'false';

  /** Serve the web front end on WEB_PORT beside the API (false: an API-only node). */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(['true', 'false'], { message: 'WEB_ENABLED must be true or false' })
  WEB_ENABLED: 'true' | 'false' = 'true';

  /** Demo customer wallets funded by the node, for trying the checkout. Not for production. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(['true', 'false'], { message: 'DEMO_WALLETS must be true or false' })
  DEMO_WALLETS: 'true' | 'false' = 'true';

  @Type(() => Number)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer from 1 to 100' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 100' })
  @Max(100, { message: 'DATABASE_POOL_SIZE must be an integer from 1 to 100' })
  DATABASE_POOL_SIZE = 10;

  /** Longest wait for a webhook receiver's answer; a timeout counts as a failed attempt. */
  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Min(100, { message: 'WEBHOOK_TIMEOUT_MS must be an integer from 100 to 120000' })
  @Max(120_000, { message: 'WEBHOOK_TIMEOUT_MS must be an integer from 100 to 120000' })
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Attempts per delivery before it is given up as failed (a manual re-send allows more). */
  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_MAX_ATTEMPTS must be an integer from 1 to 50' })
  @Min(1, { message: 'WEBHOOK_MAX_ATTEMPTS must be an integer from 1 to 50' })
  @Max(50, { message: 'WEBHOOK_MAX_ATTEMPTS must be an integer from 1 to 50' })
  WEBHOOK_MAX_ATTEMPTS = 10;

  /** First retry delay; doubled per attempt up to WEBHOOK_RETRY_MAX_MS, with jitter. */
  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_RETRY_BASE_MS must be an integer from 1 to 3600000' })
  @Min(1, { message: 'WEBHOOK_RETRY_BASE_MS must be an integer from 1 to 3600000' })
  @Max(3_600_000, { message: 'WEBHOOK_RETRY_BASE_MS must be an integer from 1 to 3600000' })
  WEBHOOK_RETRY_BASE_MS = 5_000;

  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_RETRY_MAX_MS must be an integer from 1 to 86400000' })
  @Min(1, { message: 'WEBHOOK_RETRY_MAX_MS must be an integer from 1 to 86400000' })
  @Max(86_400_000, { message: 'WEBHOOK_RETRY_MAX_MS must be an integer from 1 to 86400000' })
  WEBHOOK_RETRY_MAX_MS = 6 * 60 * 60 * 1000;

  /** How often each instance sweeps for overdue invoices, new payments and lost deliveries. */
  @Type(() => Number)
  @IsInt({ message: 'SWEEP_INTERVAL_MS must be an integer from 10 to 600000' })
  @Min(10, { message: 'SWEEP_INTERVAL_MS must be an integer from 10 to 600000' })
  @Max(600_000, { message: 'SWEEP_INTERVAL_MS must be an integer from 10 to 600000' })
  SWEEP_INTERVAL_MS = 1_000;

  /** A STREAM connection that received nothing for this long is announced as a payment. */
  @Type(() => Number)
  @IsInt({ message: 'PAYMENT_QUIET_MS must be an integer from 0 to 3600000' })
  @Min(0, { message: 'PAYMENT_QUIET_MS must be an integer from 0 to 3600000' })
  @Max(3_600_000, { message: 'PAYMENT_QUIET_MS must be an integer from 0 to 3600000' })
  PAYMENT_QUIET_MS = 5_000;

  /** Token bucket per merchant API key: bucket size (burst) and refill per second. */
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_API_BURST must be an integer from 1 to 1000000' })
  @Min(1, { message: 'RATE_LIMIT_API_BURST must be an integer from 1 to 1000000' })
  @Max(1_000_000, { message: 'RATE_LIMIT_API_BURST must be an integer from 1 to 1000000' })
  RATE_LIMIT_API_BURST = 600;

  @Type(() => Number)
  @IsNumber({}, { message: 'RATE_LIMIT_API_PER_SECOND must be a number from 0.001 to 1000000' })
  @Min(0.001, { message: 'RATE_LIMIT_API_PER_SECOND must be a number from 0.001 to 1000000' })
  @Max(1_000_000, { message: 'RATE_LIMIT_API_PER_SECOND must be a number from 0.001 to 1000000' })
  RATE_LIMIT_API_PER_SECOND = 100;

  /** Token bucket per client IP for unauthenticated public routes (checkout, SPSP). */
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_IP_BURST must be an integer from 1 to 1000000' })
  @Min(1, { message: 'RATE_LIMIT_IP_BURST must be an integer from 1 to 1000000' })
  @Max(1_000_000, { message: 'RATE_LIMIT_IP_BURST must be an integer from 1 to 1000000' })
  RATE_LIMIT_IP_BURST = 600;

  @Type(() => Number)
  @IsNumber({}, { message: 'RATE_LIMIT_IP_PER_SECOND must be a number from 0.001 to 1000000' })
  @Min(0.001, { message: 'RATE_LIMIT_IP_PER_SECOND must be a number from 0.001 to 1000000' })
  @Max(1_000_000, {
    message: 'RATE_LIMIT_IP_PER_SECOND must be a number from 0.001 to 1000000',
  })
  RATE_LIMIT_IP_PER_SECOND = 100;
}
