import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { migrationStatus } from '../database/run-migrations';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: {
    status: 'up' | 'down';
    embedded: boolean;
    latencyMs?: number;
    migrations?: { applied: number; pending: number };
    error?: string;
  };
  uptimeSeconds: number;
}

/** A health probe must answer even when the database hangs. */
const PROBE_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private readonly started = Date.now();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const uptimeSeconds = Math.floor((Date.now() - this.started) / 1000);
    const embedded = this.config.embeddedDatabase;
    const t0 = performance.now();
    try {
      const migrations = await withTimeout(migrationStatus(this.dataSource), PROBE_TIMEOUT_MS);
      const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
      const ok = migrations.pending === 0;
      return {
        status: ok ? 'ok' : 'unavailable',
        database: { status: 'up', embedded, latencyMs, migrations },
        uptimeSeconds,
      };
    } catch (error) {
      return {
        status: 'unavailable',
        database: { status: 'down', embedded, error: (error as Error).message },
        uptimeSeconds,
      };
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
