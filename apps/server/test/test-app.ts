/** Starts a whole server for an end-to-end test, quietly, on a free port. */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startTollgate, RunningTollgate } from '../src/bootstrap';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { createLogger } from '../src/logging/logger';

/** Log lines written by the server under test, kept for assertions (e.g. nothing secret). */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(String(chunk));
    done();
  }
}

/**
 * A quiet config on a free port. Queues run on the real Redis when REDIS_URL is set (as in
 * CI), under a prefix of this app's own so test files never see each other's jobs.
 */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SETTLEMENT_PORT: '0',
      REDIS_URL: process.env.REDIS_URL,
      QUEUE_PREFIX: `tollgate-test-${randomBytes(6).toString('hex')}`,
    }),
    ...overrides,
  };
}

export async function startTestApp(
  overrides: Partial<AppConfig>,
  sink = new LogSink(),
): Promise<RunningTollgate & { logs: LogSink }> {
  const config = testConfig({
    ...overrides,
    // Without DATABASE_URL, createTestDatabase serves a PGlite: the server must treat it as
    // the embedded database it is (one connection; see bootstrap.ts).
    embeddedDatabase:
      overrides.embeddedDatabase ??
      (overrides.databaseUrl === undefined || !process.env.DATABASE_URL),
  });
  const running = await startTollgate(config, { logger: createLogger('info', sink) });
  return Object.assign(running, { logs: sink });
}
