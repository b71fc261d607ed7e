import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.js';
import {
  DATA_ENCRYPTION_KEY_FILE,
  dataEncryptionKeyProblems,
  persistedDataEncryptionKey,
} from './encryption.config.js';
import { ConfigValidationError, validateEnv } from './env.validation.js';

const key32 = () => randomBytes(32).toString('base64');
// set, so that loading the config generates no secret under the checkout's DATA_DIR
const JWT_SECRET = 'a-secret-of-this-spec-only-0123456789abcdef';

/** The problems validateEnv refuses `env` with (none: it passed). */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    validateEnv(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error.problems;
    }
    throw error;
  }
}

describe(dataEncryptionKeyProblems.name, () => {
  it('should accept a ring of well-formed keys, newest first, in any environment', () => {
    const ring = `k2:${key32()},k1:${key32()}`;

    expect(problemsOf({ DATA_ENCRYPTION_KEY: ring })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET, DATA_ENCRYPTION_KEY: ring })).toEqual(
      [],
    );
  });

  it('should refuse, through validateEnv, a malformed entry, a repeated id and a key not 32 bytes, one problem each', () => {
    const problems = problemsOf({
      DATA_ENCRYPTION_KEY: `k1:${key32()},k1:${key32()},no-colon,short:${randomBytes(16).toString('base64')}`,
    });

    expect(problems).toEqual([
      'DATA_ENCRYPTION_KEY: key id "k1" is used twice: each key needs an id of its own',
      expect.stringMatching(/^DATA_ENCRYPTION_KEY: entry 3 is not <keyId>:<base64 of 32 bytes>/),
      'DATA_ENCRYPTION_KEY: key "short" is 16 bytes, not 32 (e.g. `openssl rand -base64 32`)',
    ]);
  });

  it('should never repeat a key in a refusal', () => {
    const secret = key32();

    const message = problemsOf({ DATA_ENCRYPTION_KEY: `${secret},k1:${secret.slice(0, 20)}` }).join(
      '\n',
    );

    expect(message).toMatch(/entry 1 is not/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(secret.slice(0, 20));
  });

  it('should require it in production, and only there', () => {
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET })).toEqual([
      expect.stringMatching(/^DATA_ENCRYPTION_KEY is required in production/),
    ]);
    expect(problemsOf({ NODE_ENV: 'development' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'test' })).toEqual([]);
  });
});

describe(persistedDataEncryptionKey.name, () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'craftsmen-encryption-')), 'data');
  });

  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('should generate a key once, owner-only, as <id>:<base64 of 32 bytes>, and reuse it later', () => {
    const first = persistedDataEncryptionKey(dataDir);
    const second = persistedDataEncryptionKey(dataDir);
    const path = join(dataDir, DATA_ENCRYPTION_KEY_FILE);

    expect(first).toMatchObject({ path, created: true });
    expect(first.key.id).toMatch(/^local-[0-9a-f]{8}$/);
    expect(first.key.key).toHaveLength(32);
    expect(readFileSync(path, 'utf8').trim()).toBe(
      `${first.key.id}:${first.key.key.toString('base64')}`,
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(second).toEqual({ ...first, created: false });
  });

  it('should make a key file an older version left readable owner-only again', () => {
    persistedDataEncryptionKey(dataDir);
    const path = join(dataDir, DATA_ENCRYPTION_KEY_FILE);
    const content = readFileSync(path, 'utf8');
    rmSync(path);
    writeFileSync(path, content, { mode: 0o644 });

    persistedDataEncryptionKey(dataDir);

    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('should refuse a key file that holds no usable key, rather than replace it', () => {
    persistedDataEncryptionKey(dataDir);
    const path = join(dataDir, DATA_ENCRYPTION_KEY_FILE);
    writeFileSync(path, 'local-1:tooshort');

    expect(() => persistedDataEncryptionKey(dataDir)).toThrow(
      /holds no usable data encryption key/,
    );
    expect(readFileSync(path, 'utf8')).toBe('local-1:tooshort');
  });

  it('should be what loadConfig uses when DATA_ENCRYPTION_KEY is unset, and not when it is set', () => {
    const generated = loadConfig({ JWT_SECRET, DATA_DIR: dataDir }).encryption;
    const again = loadConfig({ JWT_SECRET, DATA_DIR: dataDir }).encryption;
    const set = loadConfig({
      JWT_SECRET,
      DATA_DIR: dataDir,
      DATA_ENCRYPTION_KEY: `k2:${key32()},k1:${key32()}`,
    }).encryption;

    expect(generated).toMatchObject({
      generated: true,
      generatedKeyPath: join(dataDir, DATA_ENCRYPTION_KEY_FILE),
    });
    expect(again.generated).toBe(false);
    expect(again.keys).toEqual(generated.keys);
    expect(set.generatedKeyPath).toBeUndefined();
    expect(set.keys.map((key) => key.id)).toEqual(['k2', 'k1']);
  });
});
