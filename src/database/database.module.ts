import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { forgetReadsOnWrite } from '../common/database/request-reads.js';
import { AllConfig } from '../config/config.js';
import { DatabaseAvailabilityGuard } from './database-availability.guard.js';
import { databaseNameFor } from './database-name.js';
import { DATABASE_ENGINE, DatabaseEngine } from './engine/database-engine.js';
import { startDatabaseEngine } from './engine/start-database-engine.js';

/**
 * What the app does when the supervisor gave up on its database engine (it crashed again and
 * again, or it was in memory and its data is gone): it says so and exits, through the graceful
 * shutdown (SIGTERM), so that whoever runs it (systemd, Docker, Kubernetes, a shell loop)
 * starts it afresh, seeding and indexing a new database if the old one is lost. Staying up
 * with every request answering 503 would look alive to a process manager and never heal.
 */
function exitForGood(reason: string): void {
  new Logger('DatabaseEngine').fatal(
    `The database engine is gone for good (${reason}); the app exits so that it can be started afresh`,
  );
  process.exitCode = 1;
  process.kill(process.pid, 'SIGTERM');
}

/** Starts (or finds) the engine before Mongoose connects, and stops it after the app closes. */
@Module({
  providers: [
    {
      provide: DATABASE_ENGINE,
      inject: [ConfigService],
      useFactory: async (config: ConfigService<AllConfig, true>): Promise<DatabaseEngine> => {
        const database = config.get('database', { infer: true });
        const logger = new Logger('DatabaseEngine');
        const engine = await startDatabaseEngine({
          uri: database.uri,
          storage: database.embeddedStorage,
          dataDir: database.dataDir,
          log: (line) => logger.log(line),
          warn: (line) => logger.warn(line),
          error: (line) => logger.error(line),
          onGiveUp: exitForGood,
        });
        logger.log(`Database engine: ${engine.description}`);
        return engine;
      },
    },
    { provide: APP_GUARD, useClass: DatabaseAvailabilityGuard },
  ],
  exports: [DATABASE_ENGINE],
})
export class DatabaseEngineModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.engine.kind !== 'uri') {
      new Logger('DatabaseEngine').log(`Stopping ${this.engine.kind} database engine`);
    }
    await this.engine.stop();
  }
}

@Module({
  imports: [
    DatabaseEngineModule,
    MongooseModule.forRootAsync({
      imports: [DatabaseEngineModule],
      inject: [DATABASE_ENGINE, ConfigService],
      useFactory: (engine: DatabaseEngine, config: ConfigService<AllConfig, true>) => {
        const database = config.get('database', { infer: true });
        return {
          uri: engine.uri,
          dbName: databaseNameFor(engine.uri, database.dbName),
          serverSelectionTimeoutMS: database.serverSelectionTimeoutMs,
          monitorCommands: database.monitorCommands,
          connectionFactory: (connection: Connection) => connection.plugin(forgetReadsOnWrite),
          // while the database is unreachable, fail after the server selection timeout (503)
          // rather than queue the operation for Mongoose's ten-second buffer
          bufferCommands: false,
        };
      },
    }),
  ],
  exports: [DatabaseEngineModule],
})
export class DatabaseModule {}
