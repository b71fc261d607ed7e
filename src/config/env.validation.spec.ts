import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { loadConfig } from './config.js';
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
      /must be at least 1 second/,
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

  it('should read phones in Egypt by default and take any region libphonenumber-js knows', () => {
    expect(validateEnv({}).PHONE_DEFAULT_REGION).toBe('EG');
    expect(validateEnv({ PHONE_DEFAULT_REGION: 'SA' }).PHONE_DEFAULT_REGION).toBe('SA');
    expect(() => validateEnv({ PHONE_DEFAULT_REGION: 'Egypt' })).toThrow(
      /PHONE_DEFAULT_REGION="Egypt": PHONE_DEFAULT_REGION must be a region code/,
    );
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

describe('validateEnv: time spans', () => {
  const DAY = 24 * 3600 * 1000;

  /** The problems validateEnv refuses `raw` with (fails the test when it accepts it). */
  function problemsOf(raw: NodeJS.ProcessEnv): string[] {
    try {
      validateEnv(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      return (error as ConfigValidationError).problems;
    }
    throw new Error(`validateEnv accepted ${JSON.stringify(raw)}`);
  }

  it('should give every span its default, in milliseconds', () => {
    expect(validateEnv({}).timeSpans).toEqual({
      MONGODB_SERVER_SELECTION_TIMEOUT: 5000,
      JWT_EXPIRES_IN: 7 * DAY,
      AUTH_CACHE_TTL: 5000,
      PASSWORD_RESET_TTL: 3600_000,
      LOGIN_RATE_LIMIT_WINDOW: 900_000,
      FORGOT_PASSWORD_RATE_LIMIT_WINDOW: 3600_000,
      REGISTER_RATE_LIMIT_WINDOW: 3600_000,
      EMAIL_VERIFICATION_TTL: 2 * DAY,
      RESEND_VERIFICATION_RATE_LIMIT_WINDOW: 3600_000,
      INVITATION_TTL: 30 * DAY,
      INVITATION_REMINDER_BEFORE: 3 * DAY,
      INVITATION_RESEND_INTERVAL: DAY,
      DELIVERY_BACKOFF_BASE: 2000,
      DELIVERY_BACKOFF_MAX: 3600_000,
      DELIVERY_LEASE: 60_000,
      DELIVERY_POLL_INTERVAL: 1000,
      DELIVERY_POLL_MAX_INTERVAL: 30_000,
      FEE_REMINDER_FIRST: 2 * DAY,
      FEE_REMINDER_SECOND: 5 * DAY,
      PAYOUT_TIMEOUT: 15_000,
      LEDGER_LEASE: 30_000,
      PAYMENT_GATEWAY_TIMEOUT: 15_000,
      PAYMENT_EXPIRES_AFTER: 48 * 3_600_000,
      AUTO_COMPLETE_AFTER: 7 * 86_400_000,
      REVIEW_WINDOW: 14 * DAY,
      REVIEW_REMINDER_BEFORE: 3 * DAY,
      DISPUTE_WINDOW: 14 * DAY,
      DISPUTE_RESPONSE_WINDOW: 48 * 3_600_000,
      DISPUTE_RESPONSE_REMINDER_BEFORE: 24 * 3_600_000,
      DISPUTE_UNASSIGNED_ALERT_AFTER: 24 * 3_600_000,
      DISPUTE_UNRESOLVED_ALERT_AFTER: 48 * 3_600_000,
      UPLOAD_ORPHAN_AFTER: 3_600_000,
      UPLOAD_READ_TIMEOUT: 30_000,
      DELETION_GRACE: 14 * DAY,
      CONTACT_RATE_LIMIT_WINDOW: 3_600_000,
    });
  });

  it('should read an ISO-8601 duration for each span', () => {
    const spans = validateEnv({
      INVITATION_TTL: 'PT30S',
      INVITATION_REMINDER_BEFORE: 'PT10S',
      INVITATION_RESEND_INTERVAL: 'PT1M',
      PASSWORD_RESET_TTL: 'PT2M',
      JWT_EXPIRES_IN: 'PT168H',
      LOGIN_RATE_LIMIT_WINDOW: 'PT1M',
      AUTH_CACHE_TTL: 'PT0S',
      DELIVERY_POLL_INTERVAL: 'PT0.1S',
      MONGODB_SERVER_SELECTION_TIMEOUT: 'PT1.5S',
    }).timeSpans;

    expect(spans).toMatchObject({
      INVITATION_TTL: 30_000,
      INVITATION_REMINDER_BEFORE: 10_000,
      INVITATION_RESEND_INTERVAL: 60_000,
      PASSWORD_RESET_TTL: 120_000,
      JWT_EXPIRES_IN: 7 * DAY,
      LOGIN_RATE_LIMIT_WINDOW: 60_000,
      AUTH_CACHE_TTL: 0,
      DELIVERY_POLL_INTERVAL: 100,
      MONGODB_SERVER_SELECTION_TIMEOUT: 1500,
    });
  });

  it('should keep reading the older one-unit variables', () => {
    const spans = validateEnv({
      INVITATION_TTL_DAYS: '14',
      INVITATION_REMINDER_DAYS_BEFORE: '2',
      INVITATION_RESEND_INTERVAL_HOURS: '1',
      PASSWORD_RESET_TTL_MINUTES: '15',
      JWT_EXPIRES_IN_SECONDS: '3600',
      LOGIN_RATE_LIMIT_WINDOW_SECONDS: '60',
      FORGOT_PASSWORD_RATE_LIMIT_WINDOW_SECONDS: '120',
      AUTH_CACHE_TTL_MS: '0',
      DELIVERY_POLL_MS: '100',
      DELIVERY_BACKOFF_BASE_MS: '100',
      DELIVERY_BACKOFF_MAX_MS: '1000',
      DELIVERY_LEASE_MS: '60000',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1500',
    }).timeSpans;

    expect(spans).toEqual({
      INVITATION_TTL: 14 * DAY,
      INVITATION_REMINDER_BEFORE: 2 * DAY,
      INVITATION_RESEND_INTERVAL: 3600_000,
      PASSWORD_RESET_TTL: 15 * 60_000,
      JWT_EXPIRES_IN: 3600_000,
      LOGIN_RATE_LIMIT_WINDOW: 60_000,
      FORGOT_PASSWORD_RATE_LIMIT_WINDOW: 120_000,
      REGISTER_RATE_LIMIT_WINDOW: 3600_000,
      EMAIL_VERIFICATION_TTL: 2 * DAY,
      RESEND_VERIFICATION_RATE_LIMIT_WINDOW: 3600_000,
      AUTH_CACHE_TTL: 0,
      DELIVERY_POLL_INTERVAL: 100,
      DELIVERY_POLL_MAX_INTERVAL: 30_000,
      DELIVERY_BACKOFF_BASE: 100,
      DELIVERY_BACKOFF_MAX: 1000,
      DELIVERY_LEASE: 60_000,
      MONGODB_SERVER_SELECTION_TIMEOUT: 1500,
      FEE_REMINDER_FIRST: 2 * DAY,
      FEE_REMINDER_SECOND: 5 * DAY,
      PAYOUT_TIMEOUT: 15_000,
      LEDGER_LEASE: 30_000,
      PAYMENT_GATEWAY_TIMEOUT: 15_000,
      PAYMENT_EXPIRES_AFTER: 48 * 3_600_000,
      AUTO_COMPLETE_AFTER: 7 * 86_400_000,
      REVIEW_WINDOW: 14 * DAY,
      REVIEW_REMINDER_BEFORE: 3 * DAY,
      DISPUTE_WINDOW: 14 * DAY,
      DISPUTE_RESPONSE_WINDOW: 48 * 3_600_000,
      DISPUTE_RESPONSE_REMINDER_BEFORE: 24 * 3_600_000,
      DISPUTE_UNASSIGNED_ALERT_AFTER: 24 * 3_600_000,
      DISPUTE_UNRESOLVED_ALERT_AFTER: 48 * 3_600_000,
      UPLOAD_ORPHAN_AFTER: 3_600_000,
      UPLOAD_READ_TIMEOUT: 30_000,
      DELETION_GRACE: 14 * DAY,
      CONTACT_RATE_LIMIT_WINDOW: 3_600_000,
    });
  });

  it('should accept both forms of a span when they give the same span', () => {
    expect(
      validateEnv({ INVITATION_TTL: 'PT720H', INVITATION_TTL_DAYS: '30' }).timeSpans.INVITATION_TTL,
    ).toBe(30 * DAY);
  });

  it('should refuse both forms of a span when they disagree, in one message naming both', () => {
    const problems = problemsOf({ INVITATION_TTL: 'P14D', INVITATION_TTL_DAYS: '30' });

    expect(problems).toEqual([
      'INVITATION_TTL="P14D" (14 days) and INVITATION_TTL_DAYS="30" (30 days) disagree: ' +
        'set only INVITATION_TTL (INVITATION_TTL_DAYS is its older form)',
    ]);
  });

  it.each([
    ['INVITATION_TTL', 'P1M', /INVITATION_TTL="P1M": years and months have no fixed length/],
    ['INVITATION_TTL', '30 days', /INVITATION_TTL="30 days": not an ISO-8601 duration/],
    ['PASSWORD_RESET_TTL', '-PT1H', /PASSWORD_RESET_TTL="-PT1H": a time span cannot be negative/],
    ['JWT_EXPIRES_IN', 'PT0S', /JWT_EXPIRES_IN="PT0S": must be at least 1 second/],
    ['JWT_EXPIRES_IN', 'PT90.5S', /JWT_EXPIRES_IN="PT90.5S": must be a whole number of seconds/],
    [
      'LOGIN_RATE_LIMIT_WINDOW',
      'PT0.5S',
      /LOGIN_RATE_LIMIT_WINDOW="PT0.5S": must be at least 1 second/,
    ],
    ['AUTH_CACHE_TTL', 'PT2M', /AUTH_CACHE_TTL="PT2M": must be at most 1 minute/],
    ['INVITATION_TTL_DAYS', 'thirty', /INVITATION_TTL_DAYS="thirty": .*integer/],
    ['INVITATION_TTL_DAYS', '0', /INVITATION_TTL_DAYS="0": must be at least 1 second/],
    ['JWT_EXPIRES_IN_SECONDS', '0', /JWT_EXPIRES_IN_SECONDS="0": must be at least 1 second/],
  ])('should refuse %s=%j with one message naming it', (name, value, message) => {
    const problems = problemsOf({ [name]: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('should refuse a span that Node’s timers would cut to 1 ms (above 2^31 - 1 ms)', () => {
    const problems = problemsOf({ DELIVERY_POLL_MS: '3000000000', DELIVERY_LEASE: 'P30D' });

    expect(problems).toEqual([
      expect.stringMatching(/^DELIVERY_LEASE="P30D": must be at most 24 days, 20 hours/),
      expect.stringMatching(/^DELIVERY_POLL_MS="3000000000": must be at most 24 days, 20 hours/),
    ]);
  });

  it('should name every bad span at once, beside the other bad variables', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      INVITATION_TTL: 'P1M',
      DELIVERY_POLL_INTERVAL: 'soon',
    });

    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT=/);
    expect(problems.join('\n')).toMatch(/INVITATION_TTL="P1M"/);
    expect(problems.join('\n')).toMatch(/DELIVERY_POLL_INTERVAL="soon"/);
  });
});

describe(loadConfig.name, () => {
  // set, so that loading the config generates no secret under the checkout's DATA_DIR
  const JWT_SECRET = 'a-secret-of-this-spec-only-0123456789abcdef';
  const DATA_ENCRYPTION_KEY = `spec:${Buffer.alloc(32, 7).toString('base64')}`;

  it('should give consumers the same milliseconds whichever form set a span', () => {
    const iso = loadConfig({
      JWT_SECRET,
      DATA_ENCRYPTION_KEY,
      INVITATION_TTL: 'PT30S',
      INVITATION_RESEND_INTERVAL: 'PT1H',
      PASSWORD_RESET_TTL: 'PT30M',
      JWT_EXPIRES_IN: 'PT2H',
      LOGIN_RATE_LIMIT_WINDOW: 'PT1M',
      DELIVERY_LEASE: 'PT2M',
    });
    const older = loadConfig({
      JWT_SECRET,
      DATA_ENCRYPTION_KEY,
      INVITATION_TTL_DAYS: '1',
      INVITATION_RESEND_INTERVAL_HOURS: '1',
      PASSWORD_RESET_TTL_MINUTES: '30',
      JWT_EXPIRES_IN_SECONDS: '7200',
      LOGIN_RATE_LIMIT_WINDOW_SECONDS: '60',
      DELIVERY_LEASE_MS: '120000',
    });

    expect(iso.invitations).toMatchObject({ ttlMs: 30_000, resendIntervalMs: 3600_000 });
    expect(older.invitations).toMatchObject({ ttlMs: 24 * 3600_000, resendIntervalMs: 3600_000 });
    for (const config of [iso, older]) {
      expect(config.auth).toMatchObject({
        passwordResetTtlMs: 1800_000,
        jwtExpiresInSeconds: 7200,
      });
      expect(config.auth.rateLimits.loginPerIp.windowSeconds).toBe(60);
      expect(config.notifications.leaseMs).toBe(120_000);
    }
  });
});

describe('validateEnv: money', () => {
  function problemsOf(raw: NodeJS.ProcessEnv): string[] {
    try {
      validateEnv(raw);
      return [];
    } catch (error) {
      return (error as ConfigValidationError).problems;
    }
  }

  it("should shape the money settings, with Egypt's working week and holidays", () => {
    const { money } = loadConfig({ PLATFORM_FEE_BPS: '750', PUBLIC_HOLIDAYS: '01-07,2027-03-10' });
    expect(money).toMatchObject({
      platformFeeBps: 750,
      feeDebtLimit: 50_000,
      withdrawMin: 5_000,
      payoutProvider: 'manual',
      businessCalendar: { timeZone: 'Africa/Cairo', workingWeekdays: [7, 1, 2, 3, 4] },
    });
    expect(money.paymob).toBeUndefined();
  });

  it('should refuse a fee above 100 %, a bad holiday, and Paymob without its credentials', () => {
    expect(problemsOf({ PLATFORM_FEE_BPS: '10001' })).toEqual([
      expect.stringContaining('PLATFORM_FEE_BPS'),
    ]);
    expect(problemsOf({ PUBLIC_HOLIDAYS: '01-07,13-45' })).toEqual([
      expect.stringMatching(/^PUBLIC_HOLIDAYS=.*13-45/),
    ]);
    expect(
      problemsOf({ PAYOUT_PROVIDER: 'paymob', PAYMOB_PAYOUT_URL: 'https://payouts.example.com' }),
    ).toEqual([
      "PAYOUT_PROVIDER=paymob needs PAYMOB_PAYOUT_CLIENT_ID, PAYMOB_PAYOUT_CLIENT_SECRET, PAYMOB_PAYOUT_USERNAME, PAYMOB_PAYOUT_PASSWORD (Paymob's payout credentials)",
    ]);
  });

  it('should never repeat a Paymob secret in a refusal', () => {
    const problems = problemsOf({
      PAYOUT_PROVIDER: 'paymob',
      PAYMOB_PAYOUT_URL: 'not a url',
      PAYMOB_PAYOUT_CLIENT_SECRET: 'very-secret-value',
      PAYMOB_PAYOUT_PASSWORD: 'another-secret',
    });
    expect(problems.join('\n')).not.toContain('very-secret-value');
    expect(problems.join('\n')).not.toContain('another-secret');
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
