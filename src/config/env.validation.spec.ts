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
    const env = validateEnv({
      PORT: '8080',
      NOTIFICATIONS_ENABLED: 'false',
      LOG_TO_STDOUT: 'false',
    });

    expect(env.PORT).toBe(8080);
    expect(env.NOTIFICATIONS_ENABLED).toBe(false);
    expect(env.LOG_TO_STDOUT).toBe(false);
  });

  it.each(['false', 'true', '1', '2', '10.0.0.5', '10.0.0.0/8, 192.168.1.10', 'loopback,::1/128'])(
    'should accept TRUST_PROXY=%s (one of Fastify’s trustProxy forms)',
    (value) => {
      expect(validateEnv({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
    },
  );

  it.each(['yes', '-1', '10.0.0.0/33', '10.0.0.5,proxy.local', '1.5'])(
    'should refuse TRUST_PROXY=%s, naming it',
    (value) => {
      expect(() => validateEnv({ TRUST_PROXY: value })).toThrow(`TRUST_PROXY="${value}"`);
    },
  );

  it('should take REGISTER_RATE_LIMIT_WINDOW as an ISO-8601 duration of a second or more', () => {
    expect(validateEnv({ REGISTER_RATE_LIMIT_WINDOW: 'PT30S' }).REGISTER_RATE_LIMIT_WINDOW).toBe(
      'PT30S',
    );
    expect(() => validateEnv({ REGISTER_RATE_LIMIT_WINDOW: '3600' })).toThrow(
      /REGISTER_RATE_LIMIT_WINDOW="3600"/,
    );
    expect(() => validateEnv({ REGISTER_RATE_LIMIT_WINDOW: 'PT0.5S' })).toThrow(
      /at least one second/,
    );
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
