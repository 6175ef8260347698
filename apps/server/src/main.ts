/**
 * `npm start`: validates the environment, starts the server (and the embedded database when
 * DATABASE_URL is unset) and the web front end on WEB_PORT, prints where they listen and the
 * admin token, and shuts down cleanly on SIGINT/SIGTERM so the embedded database is flushed.
 */
import 'reflect-metadata';
import { AdminTokenOrigin } from './admin/admin-token.service';
import { startTollgate } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { startWebFrontend, webFrontendProblem } from './web/web-frontend';

/** What the banner says about the web front end: its URL, or why it is not there. */
type WebStatus = { url: string } | { problem: string };

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tollgate: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const running = await startTollgate(config);
  // The web front end starts beside the API without holding it up; the banner names its URL
  // (or why there is none), and a failure to start is said on stderr, the API serving on.
  const web = config.webEnabled
    ? startWebFrontend({
        port: config.webPort,
        host: config.host,
        apiUrl: running.url,
        onOutput: (line) => running.logger.debug({ web: line }, 'web front end'),
      })
    : { url: '', ready: Promise.resolve(), stop: async () => undefined };
  const problem = config.webEnabled ? webFrontendProblem() : 'disabled (WEB_ENABLED=false)';
  const webStatus: WebStatus = problem === undefined ? { url: web.url } : { problem };
  web.ready.then(
    () => running.logger.info({ url: web.url }, 'web front end ready'),
    (error: unknown) => {
      if (!('url' in webStatus) || stopping) return;
      running.logger.warn({ err: error }, 'web front end not started');
      process.stderr.write(`tollgate: web front end not started: ${(error as Error).message}\n`);
    },
  );
  // The banner is for the person at the terminal, outside the JSON log stream: the generated
  // admin token appears here once and is never logged.
  process.stdout.write(banner(running.url, running.config, running.adminToken, webStatus));
  running.logger.info({ url: running.url, ilpAddress: config.ilpAddress }, 'tollgate ready');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'shutting down');
    Promise.all([web.stop(), running.stop()]).then(
      () => process.exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function banner(url: string, config: AppConfig, token: AdminTokenOrigin, web: WebStatus): string {
  const lines = [
    '',
    'Tollgate is running',
    `  server        ${url}`,
    'url' in web
      ? `  web           ${web.url}   (demo wallet: ${web.url}/wallet)`
      : `  web           not started: ${web.problem}`,
    `  health        ${url}/health`,
    `  metrics       ${url}/metrics`,
    `  ILP address   ${config.ilpAddress} (${config.assetCode}, scale ${config.assetScale})`,
    `  database      ${config.embeddedDatabase ? `embedded Postgres in ${config.dataDir}/pgdata` : 'DATABASE_URL'}`,
    `  queue         ${config.redisUrl ? 'Redis (REDIS_URL)' : 'in-process'}`,
  ];
  switch (token.kind) {
    case 'generated':
      lines.push(
        `  admin token   ${token.token}`,
        '                (shown this once: only its hash is stored. Set ADMIN_TOKEN to choose your own.)',
      );
      break;
    case 'environment':
      lines.push('  admin token   from ADMIN_TOKEN');
      break;
    case 'stored':
      lines.push('  admin token   the one printed on first start (set ADMIN_TOKEN to replace it)');
      break;
  }
  return `${lines.join('\n')}\n\n`;
}

main().catch((error: unknown) => {
  process.stderr.write(`tollgate: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
