import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { createApp } from '../../src/bootstrap.js';
import { ConfigValidationError } from '../../src/config/env.validation.js';
import { DATABASE_ENGINE, type DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { newClient } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** What src/config/auth.config.ts signed with when JWT_SECRET was unset, until issue 11. */
const FORMER_DEVELOPMENT_SECRET = 'development-only-jwt-secret-do-not-use-in-production';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every file and directory under `dir` (itself excluded), with its permission bits. */
function modesUnder(dir: string): Array<{ path: string; directory: boolean; mode: number }> {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).map((entry) => {
    const path = join(entry.parentPath, entry.name);
    return { path, directory: entry.isDirectory(), mode: modeOf(path) };
  });
}

/** Issue 11, item 6: no signing secret anyone can read, and owner-only files. */
describe('Secrets and the files the app writes', () => {
  describe('started without JWT_SECRET', () => {
    const root = mkdtempSync(join(tmpdir(), 'craftsmen-secrets-'));
    const dataDir = join(root, 'data');
    const logDir = join(root, 'logs', 'app');
    let first: TestApp;
    let second: TestApp | undefined;

    beforeAll(async () => {
      first = await createTestApp({
        env: {
          NODE_ENV: 'development',
          JWT_SECRET: '',
          DATA_DIR: dataDir,
          LOG_DIR: logDir,
          // the embedded engine's files go to DATA_DIR as well (unless MONGODB_URI is set)
          EMBEDDED_MONGO_STORAGE: 'file',
        },
      });
    });

    afterAll(async () => {
      await second?.close();
      await first.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('should sign with a random secret kept owner-only in DATA_DIR, and say so without the secret', async () => {
      const secretFile = join(dataDir, 'jwt-secret');
      const secret = readFileSync(secretFile, 'utf8').trim();

      expect(secret.length).toBeGreaterThanOrEqual(43);
      expect(secret).not.toBe(FORMER_DEVELOPMENT_SECRET);
      expect(first.config.auth.jwtSecret).toBe(secret);
      expect(modeOf(secretFile)).toBe(0o600);
      await first.flushLogs();
      const log = readFileSync(join(logDir, 'combined.log'), 'utf8');
      expect(log).toContain(`generated a random signing secret and kept it in ${secretFile}`);
      expect(log).not.toContain(secret);
    });

    it('should refuse a token signed with the development secret the source used to carry', async () => {
      const client = await newClient(first);
      const forged = new JwtService({ secret: FORMER_DEVELOPMENT_SECRET }).sign(
        { sub: client.user.id, jti: 'forged', iatMs: Date.now() },
        { expiresIn: 3600 },
      );

      const response = await first.http
        .get('/api/users/me')
        .set('Authorization', `Bearer ${forged}`)
        .expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
      await first.http.get('/api/users/me').set('Authorization', client.bearer).expect(200);
    });

    it('should reuse the kept secret on the next start: tokens stay good', async () => {
      const client = await newClient(first);

      second = await createTestApp({
        sameDatabaseAs: first,
        env: { NODE_ENV: 'development', JWT_SECRET: '', DATA_DIR: dataDir, LOG_DIR: logDir },
      });

      expect(second.config.auth.jwtSecret).toBe(first.config.auth.jwtSecret);
      await second.http.get('/api/users/me').set('Authorization', client.bearer).expect(200);
      await second.flushLogs();
      expect(readFileSync(join(logDir, 'combined.log'), 'utf8')).toContain(
        'signing tokens with the secret generated earlier',
      );
    });

    it('should create DATA_DIR and LOG_DIR, and everything in them, readable by the owner only', () => {
      const written = [...modesUnder(dataDir), ...modesUnder(logDir)];
      const engine = first.app.get<DatabaseEngine>(DATABASE_ENGINE);

      expect(written.map((entry) => entry.path)).toEqual(
        expect.arrayContaining([
          join(dataDir, 'jwt-secret'),
          join(logDir, 'combined.log'),
          join(logDir, 'error.log'),
          ...(engine.kind === 'embedded' ? [join(dataDir, 'embedded-mongo.mv')] : []),
        ]),
      );
      expect(written.filter((entry) => entry.mode !== (entry.directory ? 0o700 : 0o600))).toEqual(
        [],
      );
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(join(root, 'logs'))).toBe(0o700);
      expect(modeOf(logDir)).toBe(0o700);
    });
  });

  describe('in production', () => {
    const logDir = mkdtempSync(join(tmpdir(), 'craftsmen-secrets-prod-'));

    afterAll(() => rmSync(logDir, { recursive: true, force: true }));

    async function bootError(jwtSecret: string): Promise<ConfigValidationError> {
      const booting = createApp({
        NODE_ENV: 'production',
        LOG_DIR: logDir,
        LOG_TO_STDOUT: 'false',
        JWT_SECRET: jwtSecret,
        // production needs one: the refusals looked at here are the JWT secret's alone
        DATA_ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`,
      });
      const error: unknown = await booting.then(
        () => new Error('the app booted'),
        (refusal: unknown) => refusal,
      );
      expect(error).toBeInstanceOf(ConfigValidationError);
      return error as ConfigValidationError;
    }

    it('should refuse to boot with a secret the project published, without repeating it', async () => {
      const error = await bootError(FORMER_DEVELOPMENT_SECRET);

      expect(error.problems).toEqual([expect.stringMatching(/^JWT_SECRET is a secret published/)]);
      expect(error.message).not.toContain(FORMER_DEVELOPMENT_SECRET);
    });

    it('should refuse to boot with a secret shorter than 32 characters, without repeating it', async () => {
      const error = await bootError('short-but-secret');

      expect(error.problems).toEqual([
        expect.stringMatching(/^JWT_SECRET=\(hidden, 16 characters\): .*32/),
      ]);
      expect(error.message).not.toContain('short-but-secret');
    });

    it('should refuse to boot without JWT_SECRET rather than generate one', async () => {
      const error = await bootError('');

      expect(error.problems).toEqual([
        'JWT_SECRET is required in production (at least 32 characters)',
      ]);
    });
  });
});
