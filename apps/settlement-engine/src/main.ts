/**
 * `npm run engine`: the settlement engine process. Reads and validates its environment,
 * starts, and stops cleanly (its anvil included) on SIGINT / SIGTERM.
 */
import { ConfigError, loadConfig } from './config';
import { startEngine } from './engine';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      // EX_CONFIG, as the server uses for the same failure.
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const engine = await startEngine(config, { logger: log });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    engine.stop().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`settlement engine failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
