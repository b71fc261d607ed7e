import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { STATES, type Connection } from 'mongoose';
import request from 'supertest';

type TestAgent = ReturnType<typeof request.agent>;
import { createApp } from '../../src/bootstrap.js';
import { flushLogs } from '../../src/common/logging/create-logger.js';
import type { Clock } from '../../src/common/clock/clock.js';
import type { AllConfig } from '../../src/config/config.js';
import { DATABASE_ENGINE, type DatabaseEngine } from '../../src/database/engine/database-engine.js';
import type { MessagingLike } from '../../src/modules/notifications/push/push.sender.js';
import { CatalogService } from '../../src/modules/catalog/catalog.service.js';
import { FaqSeeder } from '../../src/modules/faq/faq-seeder.js';
import { AdminSeeder } from '../../src/modules/users/admin-seeder.js';

/**
 * The signing secret of every app this test process starts (random per run), so that instances
 * sharing a database accept each other's tokens and no app writes a generated secret into the
 * working tree's DATA_DIR. The tests of the generated secret set JWT_SECRET to '' (unset).
 */
const TEST_JWT_SECRET = randomBytes(32).toString('base64url');

/** Seeded at boot from ADMIN_EMAIL/ADMIN_PASSWORD, and again by `clearDatabase()`. */
export const TEST_ADMIN = { email: 'admin@craftsmen.test', password: 'admin-password-1' };

export interface TestAppOptions {
  /** Environment variables over the test defaults. */
  env?: Record<string, string>;
  /** A clock the test moves (e.g. FakeClock), instead of the system's. */
  clock?: Clock;
  /** Stands in for Firebase Cloud Messaging. */
  firebaseMessaging?: MessagingLike;
  /** A second instance: the same database (and engine) as this app. */
  sameDatabaseAs?: TestApp;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AllConfig;
  /** `http://127.0.0.1:<port>`: the app listens on a real port (for Socket.IO clients too). */
  baseUrl: string;
  /** A supertest agent on the real server. */
  http: TestAgent;
  connection: Connection;
  databaseName: string;
  logDir: string;
  /**
   * The lines of `combined.log` or `error.log`, parsed, once every line logged so far is
   * written (the logger writes asynchronously).
   */
  readLog(file: 'combined.log' | 'error.log'): Promise<Array<Record<string, unknown>>>;
  /** Waits until every line logged so far is in the log files. */
  flushLogs(): Promise<void>;
  /**
   * The mails the app kept in `$DATA_DIR/outbox` (it has no SMTP_URL unless a test gives one),
   * oldest first, each as its text: headers, a blank line, the plain-text body.
   */
  readOutbox(): string[];
  /** Empties every collection (indexes stay) and seeds the admin, catalog and FAQ again. */
  clearDatabase(): Promise<void>;
  /** Drops the database, closes the app, removes the log and data directories. */
  close(): Promise<void>;
}

/**
 * Boots the real application (bootstrap.ts, as `npm start` does) on a database of its own,
 * listening on a random loopback port.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.sameDatabaseAs;
  const databaseName = shared?.databaseName ?? `test_${randomBytes(6).toString('hex')}`;
  const logDir = mkdtempSync(join(tmpdir(), 'craftsmen-logs-'));
  // what the app keeps on disk (without SMTP_URL: the mail outbox) stays out of the checkout
  const dataDir = mkdtempSync(join(tmpdir(), 'craftsmen-data-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_TO_STDOUT: 'false',
    LOG_DIR: logDir,
    DATA_DIR: dataDir,
    // a MongoDB given to the test run is shared (a database per file); without one, each app
    // starts its own engine as `npm start` would, in memory
    MONGODB_URI: process.env.MONGODB_URI ?? '',
    EMBEDDED_MONGO_STORAGE: 'memory',
    MONGODB_DB_NAME: databaseName,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // tests that are about rate limits lower these again
    LOGIN_RATE_LIMIT_PER_IP: '10000',
    LOGIN_RATE_LIMIT_PER_IDENTIFIER: '10000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '10000',
    REGISTER_RATE_LIMIT_PER_IP: '10000',
    FORGOT_PASSWORD_RATE_LIMIT_PER_IP: '10000',
    FORGOT_PASSWORD_RATE_LIMIT_PER_EMAIL: '10000',
    INVITES_PER_JOB_PER_DAY: '10000',
    INVITES_PER_EMAIL_PER_DAY: '10000',
    INVITES_PER_CLIENT_PER_DAY: '10000',
    INVITE_LOOKUPS_PER_CLIENT_PER_DAY: '10000',
    CONTACT_RATE_LIMIT_PER_IP: '10000',
    CONTACT_RATE_LIMIT_PER_EMAIL: '10000',
    UPLOAD_RATE_LIMIT_PER_USER: '10000',
    // the sweep runs when a test says so (or sets a cron of its own)
    INVITATION_SWEEP_CRON: '0 0 0 1 1 *',
    REDIS_KEY_PREFIX: `test:${databaseName}:`,
    ...(shared ? { MONGODB_URI: shared.app.get<DatabaseEngine>(DATABASE_ENGINE).uri } : {}),
    ...options.env,
  };
  const { app, config, logger } = await createApp(env, {
    clock: options.clock,
    firebaseMessaging: options.firebaseMessaging,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address !== 'object') {
    throw new Error('the test app is not listening');
  }
  const connection = app.get<Connection>(getConnectionToken());
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${address.port}`,
    http: request.agent(app.getHttpServer()),
    connection,
    databaseName,
    logDir,
    flushLogs: () => flushLogs(logger),
    readLog: async (file) => {
      await flushLogs(logger);
      return readFileSync(join(logDir, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    readOutbox: () => {
      const outbox = join(dataDir, 'outbox');
      if (!existsSync(outbox)) {
        return [];
      }
      // the names start with the time they were written (MailService)
      return readdirSync(outbox)
        .sort()
        .map((name) => readFileSync(join(outbox, name), 'utf8'));
    },
    clearDatabase: async () => {
      const collections = await connection.db!.collections();
      await Promise.all(collections.map((collection) => collection.deleteMany({})));
      // what a fresh installation has: the boot-time seeds, by the code that seeds them
      await app.get(AdminSeeder).onApplicationBootstrap();
      await app.get(CatalogService).onApplicationBootstrap();
      await app.get(FaqSeeder).onApplicationBootstrap();
    },
    close: async () => {
      if (connection.readyState === STATES.connected) {
        await connection.dropDatabase().catch(() => undefined);
      }
      await app.close();
      rmSync(logDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
