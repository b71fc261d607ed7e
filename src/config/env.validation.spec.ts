import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { ConfigValidationError, EnvironmentVariables, validateEnv } from './env.validation.js';

describe(validateEnv.name, () => {
  it('should give every variable its default when the environment is empty', () => {
    const env = validateEnv({});

    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      EMBEDDED_MONGO_STORAGE: 'file',
    });
    expect(env.MONGODB_URI).toBeUndefined();
  });

  it('should convert numbers and booleans from their text', () => {
    const env = validateEnv({ PORT: '8080', TRUST_PROXY: 'true', LOG_TO_STDOUT: 'false' });

    expect(env.PORT).toBe(8080);
    expect(env.TRUST_PROXY).toBe(true);
    expect(env.LOG_TO_STDOUT).toBe(false);
  });

  it('should treat an empty variable as unset', () => {
    expect(validateEnv({ MONGODB_URI: '', PORT: '' }).PORT).toBe(3000);
  });

  it('should ignore variables that are not the service’s', () => {
    expect(validateEnv({ PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it('should name each bad variable in one error', () => {
    let error: unknown;
    try {
      validateEnv({ PORT: 'eighty', LOG_LEVEL: 'loud', MONGODB_URI: 'postgres://x' });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT="?eighty/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud"/);
    expect(problems.join('\n')).toMatch(/MONGODB_URI="postgres:\/\/x"/);
  });

  it('should refuse, in every environment, a JWT secret the project published', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(() =>
        validateEnv({
          NODE_ENV,
          JWT_SECRET: 'development-only-jwt-secret-do-not-use-in-production',
        }),
      ).toThrow(/JWT_SECRET is a secret published/);
    }
  });

  it('should never repeat a secret or a URL’s credentials in a refusal', () => {
    let error: unknown;
    try {
      validateEnv({
        JWT_SECRET: 'tiny-secret',
        MONGODB_URI: 'postgres://admin:hunter2@db.example.com/app',
      });
    } catch (caught) {
      error = caught;
    }

    const message = (error as ConfigValidationError).message;
    expect(message).toContain('JWT_SECRET=(hidden, 11 characters)');
    expect(message).toContain('MONGODB_URI="postgres://***@db.example.com/app"');
    expect(message).not.toMatch(/tiny-secret|hunter2/);
  });

  it('should accept mongodb and mongodb+srv connection strings', () => {
    expect(validateEnv({ MONGODB_URI: 'mongodb://127.0.0.1:27017/app' }).MONGODB_URI).toBe(
      'mongodb://127.0.0.1:27017/app',
    );
    expect(
      validateEnv({ MONGODB_URI: 'mongodb+srv://user:pw@cluster0.example.net/app' }).MONGODB_URI,
    ).toContain('mongodb+srv://');
  });
});

describe('.env.example', () => {
  it('should list every variable the service reads, and no other', () => {
    const listed = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    const read = getMetadataStorage()
      .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
      .map((metadata) => metadata.propertyName);

    expect([...new Set(listed)].sort()).toEqual([...new Set(read)].sort());
  });

  it('should give, for every variable it lists with a value, the default the service uses', () => {
    const defaults = validateEnv({}) as unknown as Record<string, unknown>;
    const lines = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8').split(
      '\n',
    );

    for (const line of lines) {
      const match = /^([A-Z][A-Z0-9_]*)=(.+)$/.exec(line);
      if (match) {
        expect(String(defaults[match[1]])).toBe(match[2]);
      }
    }
  });
});
