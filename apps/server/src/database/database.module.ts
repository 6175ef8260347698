/**
 * Connects TypeORM to Postgres (the real server in DATABASE_URL, or the embedded one the
 * bootstrap started) and applies pending migrations before anything else uses the database.
 */
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { runMigrations } from './run-migrations';
import { typeOrmOptions } from './typeorm-options';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) {
          throw new Error('database URL missing: the bootstrap starts the embedded database first');
        }
        return { ...typeOrmOptions(config.databaseUrl, config.databasePoolSize), retryAttempts: 3 };
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
