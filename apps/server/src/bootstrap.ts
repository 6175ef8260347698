/**
 * Starts a whole Tollgate server from a validated config: the embedded database when no
 * DATABASE_URL is given, the Nest app, the admin token. `main.ts` and the end-to-end tests
 * both start the server through here, so the tests run what users run.
 */
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { VERSION } from './version';
import { AdminTokenOrigin, AdminTokenService } from './admin/admin-token.service';
import { AppModule } from './app.module';
import { browserCors } from './common/browser-cors';
import { AppConfig } from './config/app-config';
import { EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { createLogger, PinoNestLogger } from './logging/logger';

export interface RunningTollgate {
  app: INestApplication;
  config: AppConfig;
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8080 */
  url: string;
  adminToken: AdminTokenOrigin;
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Log destination (tests pass a sink); default stdout. */
  logger?: Logger;
}

export async function startTollgate(
  config: AppConfig,
  options: StartOptions = {},
): Promise<RunningTollgate> {
  const logger = options.logger ?? createLogger(config.logLevel);
  let embedded: EmbeddedPostgres | undefined;
  let resolved = config;
  if (!config.databaseUrl) {
    const dataDir = join(config.dataDir, 'pgdata');
    embedded = await startEmbeddedPostgres({ dataDir });
    logger.info({ dataDir: embedded.dataDir }, 'embedded Postgres (PGlite) started');
    resolved = { ...config, databaseUrl: embedded.url };
  }
  if (resolved.embeddedDatabase) {
    // One connection: pglite-socket interleaves the extended-protocol messages (Parse, Bind,
    // Execute) of concurrent connections outside transactions, so two connections querying
    // at once can bind each other's statements and get errors or wrong rows
    // (electric-sql/pglite#1046). Background sweepers make that concurrency constant.
    resolved = { ...resolved, databasePoolSize: 1 };
  }

  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(resolved), {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
    });
    app.disable('x-powered-by');
    app.use(
      pinoHttp({
        logger,
        autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      }),
    );
    app.use(browserCors);
    app.enableShutdownHooks();
    mountApiDocs(app);
    const adminToken = await app.get(AdminTokenService).ensure();
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address() as { port: number };
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const url = `http://${shownHost}:${address.port}`;

    const running = app;
    let stopped = false;
    return {
      app: running,
      config: resolved,
      url,
      adminToken,
      logger,
      async stop() {
        if (stopped) return;
        stopped = true;
        await running.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * The OpenAPI document, generated from the controllers and DTOs (never written by hand):
 * Swagger UI at /api/docs, the JSON at /api/docs/json.
 */
function mountApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Tollgate')
    .setDescription(
      'Interledger merchant payments: merchants, invoices and node administration. Amounts are decimal strings of integer base units.',
    )
    .setVersion(VERSION)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'A merchant API key, or the admin token for /api/admin',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs/json',
    yamlDocumentUrl: 'api/docs/yaml',
  });
}
