import { plainToInstance, Transform } from 'class-transformer';
import { validateCronExpression } from 'cron';
import {
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  IsString,
  IsTimeZone,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { PHONE_REGIONS } from '../common/identity/phone.js';
import { toBoolean, toNumber } from './env-transforms.js';
import { paymentGatewayProblems, paymobProblems } from './money.env.js';
import { dataEncryptionKeyProblems } from './encryption.config.js';
import { storageProblems } from './files.config.js';
import { OperationsVariables } from './operations.env.js';
import { parseHolidays } from '../common/time/business-days.js';
import { resolveTimeSpans, type TimeSpans } from './time-spans.js';
import { parseTrustProxy } from './trust-proxy.js';
import { redactCredentials } from '../common/logging/redact-credentials.js';
import { MIN_JWT_SECRET_LENGTH, PUBLISHED_JWT_SECRETS } from './jwt-secret.js';

export enum NodeEnv {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables whose value is a secret or holds credentials: a refusal never repeats them. */
const SECRET_VARIABLES = new Set([
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'FIREBASE_SERVICE_ACCOUNT',
  'PAYMOB_PAYOUT_CLIENT_SECRET',
  'PAYMOB_PAYOUT_PASSWORD',
  'DATA_ENCRYPTION_KEY',
  'S3_SECRET_ACCESS_KEY',
  'CLOUDINARY_URL',
]);
const URL_VARIABLES = new Set(['MONGODB_URI', 'REDIS_URL', 'SMTP_URL', 'PAYMOB_PAYOUT_URL']);

/** How a refused value is shown: secrets by length only, URLs without their credentials. */
function shownValue(name: string, value: string | undefined): string {
  if (value !== undefined && SECRET_VARIABLES.has(name)) {
    return `(hidden, ${value.length} characters)`;
  }
  if (value !== undefined && URL_VARIABLES.has(name)) {
    return JSON.stringify(redactCredentials(value));
  }
  return JSON.stringify(value);
}

/**
 * Every environment variable the service reads, with its default. `.env.example` documents
 * each one; `validateEnv` refuses to boot with a message per bad variable. Each time span is an
 * ISO-8601 duration variable with an older one-unit variable beside it (`INVITATION_TTL`,
 * `INVITATION_TTL_DAYS`); their bounds and precedence are in `time-spans.ts`.
 */
export class EnvironmentVariables extends OperationsVariables {
  @IsEnum(NodeEnv)
  NODE_ENV: NodeEnv = NodeEnv.Development;

  @IsInt()
  @Min(0)
  @Max(65535)
  @Transform(toNumber)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Comma-separated origins allowed by CORS (HTTP and Socket.IO); empty disables CORS. */
  @IsString()
  CORS_ORIGINS = '';

  /**
   * Whose X-Forwarded-For to believe for the client's address (rate limits, logs): `false`, a hop
   * count, a comma-separated list of proxy addresses/CIDRs, or `true` (anyone: spoofable).
   * Checked by `parseTrustProxy` in `validateEnv`.
   */
  @IsString()
  TRUST_PROXY = 'false';

  @IsInt()
  @Min(1024)
  @Transform(toNumber)
  BODY_LIMIT_BYTES = 1_048_576;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsString()
  LOG_DIR = 'logs';

  /** Whether log lines also go to stdout (the files under LOG_DIR are always written). */
  @IsBoolean()
  @Transform(toBoolean)
  LOG_TO_STDOUT = true;

  /** A MongoDB connection string; when unset the service starts its own engine. */
  @IsOptional()
  @IsUrl({ protocols: ['mongodb', 'mongodb+srv'], require_tld: false, require_host: false })
  MONGODB_URI?: string;

  /** Where `mongod` or the embedded engine keep their files. */
  @IsString()
  DATA_DIR = '.data';

  /** `file` keeps the embedded engine's data under DATA_DIR; `memory` loses it on stop. */
  @IsIn(['file', 'memory'])
  EMBEDDED_MONGO_STORAGE: 'file' | 'memory' = 'file';

  /** How long a query waits for a reachable database before failing (ISO-8601 duration). */
  @IsString()
  MONGODB_SERVER_SELECTION_TIMEOUT = 'PT5S';

  /** MONGODB_SERVER_SELECTION_TIMEOUT in milliseconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  MONGODB_SERVER_SELECTION_TIMEOUT_MS?: number;

  /** Wins over the database named in MONGODB_URI; without either the database is `craftsmen`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_DB_NAME?: string;

  /**
   * The driver's command monitoring (`monitorCommands`): every command it sends is an event on
   * the connection's client. Off in production (each event costs an allocation); the round-trip
   * budget test turns it on to count each route's commands.
   */
  @IsBoolean()
  @Transform(toBoolean)
  MONGODB_MONITOR_COMMANDS = false;

  /**
   * Signs access tokens (HS256). Required in production, at least 32 characters, and none the
   * project ever published. Unset elsewhere: one is generated and kept under DATA_DIR.
   */
  @IsOptional()
  @IsString()
  @MinLength(MIN_JWT_SECRET_LENGTH)
  JWT_SECRET?: string;

  /** An access token's lifetime (ISO-8601 duration, whole seconds); a socket opened with one is closed when it ends. */
  @IsString()
  JWT_EXPIRES_IN = 'P7D';

  /** JWT_EXPIRES_IN in seconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  JWT_EXPIRES_IN_SECONDS?: number;

  /**
   * How long an instance may reuse what it read of an account's and a token's standing
   * (ISO-8601 duration, at most a minute). Bans, logouts and password changes clear it at once
   * (on every instance, through Redis); `PT0S`: read the database on every request.
   */
  @IsString()
  AUTH_CACHE_TTL = 'PT5S';

  /** AUTH_CACHE_TTL in milliseconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  AUTH_CACHE_TTL_MS?: number;

  /** Seeds the first admin at boot when there is none. */
  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  ADMIN_PASSWORD?: string;

  /** How long an emailed reset link works (ISO-8601 duration). */
  @IsString()
  PASSWORD_RESET_TTL = 'PT1H';

  /** PASSWORD_RESET_TTL in minutes (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  PASSWORD_RESET_TTL_MINUTES?: number;

  /** How long an emailed email-verification link works (ISO-8601 duration). */
  @IsString()
  EMAIL_VERIFICATION_TTL = 'P2D';

  /** EMAIL_VERIFICATION_TTL in hours (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  EMAIL_VERIFICATION_TTL_HOURS?: number;

  /** Verification emails a signed-in user may ask to be sent again, per window. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  RESEND_VERIFICATION_RATE_LIMIT_PER_USER = 3;

  /** The resend limit's window (ISO-8601 duration, whole seconds). */
  @IsString()
  RESEND_VERIFICATION_RATE_LIMIT_WINDOW = 'PT1H';

  /** RESEND_VERIFICATION_RATE_LIMIT_WINDOW in seconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  RESEND_VERIFICATION_RATE_LIMIT_WINDOW_SECONDS?: number;

  /** Where phone numbers without a country code are read: an ISO 3166-1 alpha-2 code (EG). */
  @IsIn(PHONE_REGIONS, { message: 'PHONE_DEFAULT_REGION must be a region code such as EG or SA' })
  PHONE_DEFAULT_REGION = 'EG';

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  LOGIN_RATE_LIMIT_PER_IP = 20;

  /** Failed sign-ins per window for one account from one client address. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  LOGIN_RATE_LIMIT_PER_IDENTIFIER = 10;

  /**
   * Failed sign-ins per window for one account from all addresses together (distributed
   * guessing); reaching it locks the owner out too, so it sits well above the per-address one.
   */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  LOGIN_RATE_LIMIT_PER_ACCOUNT = 100;

  /** The sign-in limits' window (ISO-8601 duration, whole seconds). */
  @IsString()
  LOGIN_RATE_LIMIT_WINDOW = 'PT15M';

  /** LOGIN_RATE_LIMIT_WINDOW in seconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  LOGIN_RATE_LIMIT_WINDOW_SECONDS?: number;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  FORGOT_PASSWORD_RATE_LIMIT_PER_IP = 10;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  FORGOT_PASSWORD_RATE_LIMIT_PER_EMAIL = 3;

  /** The reset-link limits' window (ISO-8601 duration, whole seconds). */
  @IsString()
  FORGOT_PASSWORD_RATE_LIMIT_WINDOW = 'PT1H';

  /** FORGOT_PASSWORD_RATE_LIMIT_WINDOW in seconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  FORGOT_PASSWORD_RATE_LIMIT_WINDOW_SECONDS?: number;

  /** Sign-ups per client address per REGISTER_RATE_LIMIT_WINDOW. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  REGISTER_RATE_LIMIT_PER_IP = 10;

  /** The sign-up limit's window (ISO-8601 duration, whole seconds). */
  @IsString()
  REGISTER_RATE_LIMIT_WINDOW = 'PT1H';

  /** Shared rate-limit counters (and, later, the Socket.IO adapter) across instances. */
  @IsOptional()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false })
  REDIS_URL?: string;

  @IsString()
  REDIS_KEY_PREFIX = 'craftsmen:';

  /** e.g. smtp://user:pass@smtp.example.com:587; unset: mail is written to the log. */
  @IsOptional()
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Craftsmen <no-reply@craftsmen.local>';

  /** A pending invitation expires this long after it was sent (ISO-8601 duration). */
  @IsString()
  INVITATION_TTL = 'P30D';

  /** INVITATION_TTL in days (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  INVITATION_TTL_DAYS?: number;

  /** The invited craftsman is reminded once, this long before expiry (ISO-8601 duration). */
  @IsString()
  INVITATION_REMINDER_BEFORE = 'P3D';

  /** INVITATION_REMINDER_BEFORE in days (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  INVITATION_REMINDER_DAYS_BEFORE?: number;

  /** API.md rule 9: per client and job, per rolling day. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  INVITES_PER_JOB_PER_DAY = 20;

  /** API.md rule 9: per client and email address, per rolling day. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  INVITES_PER_EMAIL_PER_DAY = 1;

  /**
   * Per client across all his jobs, per rolling day: invitations by email or phone, and resends
   * of them (each is a message to an address the client typed).
   */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  INVITES_PER_CLIENT_PER_DAY = 50;

  /**
   * Per client, per rolling day: email/phone invitations whose lookup found no craftsman
   * (404 NOT_FOUND, 422 NOT_A_CRAFTSMAN or CRAFTSMAN_SUSPENDED). Once spent, every email/phone
   * invitation answers 429 before looking anyone up.
   */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  INVITE_LOOKUPS_PER_CLIENT_PER_DAY = 10;

  /** An invitation can be sent again this long after it was last sent (ISO-8601 duration). */
  @IsString()
  INVITATION_RESEND_INTERVAL = 'PT24H';

  /** INVITATION_RESEND_INTERVAL in hours (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  INVITATION_RESEND_INTERVAL_HOURS?: number;

  /** When the expiry sweep and the reminders run (cron syntax, with optional seconds). */
  @IsString()
  INVITATION_SWEEP_CRON = '0 * * * * *';

  /** Invitations expired per batch by the sweep. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  @Transform(toNumber)
  INVITATION_SWEEP_BATCH = 1000;

  /**
   * A Firebase service account (the JSON, or a path to the file) for push notifications.
   * Unset: the push channel is off, and the boot log says so.
   */
  @IsOptional()
  @IsString()
  FIREBASE_SERVICE_ACCOUNT?: string;

  /**
   * Off: domain events store and send no notifications (an operator's switch, e.g. to shed load;
   * the benchmarks compare both).
   */
  @IsBoolean()
  @Transform(toBoolean)
  NOTIFICATIONS_ENABLED = true;

  /** A push or email delivery is retried with exponential backoff, then given up as failed. */
  @IsInt()
  @Min(1)
  @Max(50)
  @Transform(toNumber)
  DELIVERY_MAX_ATTEMPTS = 8;

  /** The first retry's wait, doubled for each next one (ISO-8601 duration). */
  @IsString()
  DELIVERY_BACKOFF_BASE = 'PT2S';

  /** DELIVERY_BACKOFF_BASE in milliseconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  DELIVERY_BACKOFF_BASE_MS?: number;

  /** The longest wait between two attempts (ISO-8601 duration). */
  @IsString()
  DELIVERY_BACKOFF_MAX = 'PT1H';

  /** DELIVERY_BACKOFF_MAX in milliseconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  DELIVERY_BACKOFF_MAX_MS?: number;

  /** How long an instance holds a delivery it is sending before another may take it (ISO-8601). */
  @IsString()
  DELIVERY_LEASE = 'PT1M';

  /** DELIVERY_LEASE in milliseconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  DELIVERY_LEASE_MS?: number;

  /**
   * How often each instance looks for deliveries due while it finds some (ISO-8601 duration;
   * new ones are sent at once anyway).
   */
  @IsString()
  DELIVERY_POLL_INTERVAL = 'PT1S';

  /** DELIVERY_POLL_INTERVAL in milliseconds (the older form). */
  @IsOptional()
  @IsInt()
  @Transform(toNumber)
  DELIVERY_POLL_MS?: number;

  /**
   * The longest wait between two looks that found nothing (ISO-8601 duration): each empty look
   * doubles the wait from DELIVERY_POLL_INTERVAL up to this. Bounds how late a delivery another
   * instance left behind (it crashed) is sent after its lease ends.
   */
  @IsString()
  DELIVERY_POLL_MAX_INTERVAL = 'PT30S';

  /**
   * The time zone (IANA name) of dates written into notifications, pushes and emails for users
   * who have not chosen one (`timezone` on PUT /users/me).
   */
  @IsTimeZone()
  DEFAULT_TIMEZONE = 'Africa/Cairo';

  /** Recommend craftsmen whose documents nobody approved yet (default: verified only). */
  @IsBoolean()
  @Transform(toBoolean)
  RECOMMEND_UNVERIFIED = false;

  /** Craftsmen with this many pending invitations are held back (ranked after the others). */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  RECOMMEND_MAX_PENDING = 5;

  /** How far from the job candidates are looked for. */
  @IsNumber()
  @Min(1)
  @Max(500)
  @Transform(toNumber)
  RECOMMEND_SEARCH_RADIUS_KM = 30;

  /** The most candidates scored per request (the nearest found first). */
  @IsInt()
  @Min(10)
  @Transform(toNumber)
  RECOMMEND_MAX_CANDIDATES = 400;

  /** Weights of the score's parts, `name:weight` comma-separated; they are normalized to sum 1. */
  @Matches(
    /^(skill|distance|rating|performance|availability):\d+(\.\d+)?(,(skill|distance|rating|performance|availability):\d+(\.\d+)?)*$/,
    {
      message:
        'RECOMMEND_WEIGHTS must look like skill:0.25,distance:0.2,rating:0.25,performance:0.2,availability:0.1',
    },
  )
  RECOMMEND_WEIGHTS = 'skill:0.25,distance:0.2,rating:0.25,performance:0.2,availability:0.1';

  /** Where the apps live; links in emails point here. */
  @IsUrl({ require_tld: false })
  PUBLIC_APP_URL = 'http://localhost:3000';
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Unset and empty variables take their defaults. */
function withoutEmpty(raw: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

/** The problem `parse` finds with a text variable, if any, in `validateEnv`'s wording. */
function checkParsed(name: string, value: string, parse: (text: string) => unknown): string[] {
  try {
    parse(value);
    return [];
  } catch (error) {
    return [`${name}=${JSON.stringify(value)}: ${(error as Error).message}`];
  }
}

/** The validated variables, and every time span resolved to milliseconds (`time-spans.ts`). */
export type ValidatedEnv = EnvironmentVariables & { readonly timeSpans: TimeSpans };

/**
 * Validates the environment and gives unset variables their defaults.
 *
 * @throws ConfigValidationError with one problem per bad variable (or pair of variables)
 */
export function validateEnv(raw: NodeJS.ProcessEnv): ValidatedEnv {
  const given = withoutEmpty(raw);
  const env = plainToInstance(EnvironmentVariables, given);
  // whitelist drops everything that is not a variable of ours (PATH, HOME, ...)
  const errors = validateSync(env, { whitelist: true });
  const problems = errors.map((error) => {
    const reasons = Object.values(error.constraints ?? {}).join('; ');
    return `${error.property}=${shownValue(error.property, given[error.property])}: ${reasons}`;
  });
  const timeSpans = resolveTimeSpans({
    env: env as unknown as Record<string, unknown>,
    given,
    refused: new Set(errors.map((error) => error.property)),
  });
  problems.push(...timeSpans.problems);
  if (env.NODE_ENV === NodeEnv.Production && !env.JWT_SECRET) {
    problems.push('JWT_SECRET is required in production (at least 32 characters)');
  }
  if (env.JWT_SECRET && PUBLISHED_JWT_SECRETS.includes(env.JWT_SECRET)) {
    problems.push(
      'JWT_SECRET is a secret published in this project (anyone can sign tokens with it): set a random one, e.g. `openssl rand -base64 48`',
    );
  }
  const cron = validateCronExpression(env.INVITATION_SWEEP_CRON);
  if (!cron.valid) {
    problems.push(
      `INVITATION_SWEEP_CRON="${env.INVITATION_SWEEP_CRON}": not a cron expression (${cron.error?.message})`,
    );
  }
  problems.push(...checkParsed('TRUST_PROXY', env.TRUST_PROXY, parseTrustProxy));
  problems.push(...checkParsed('PUBLIC_HOLIDAYS', env.PUBLIC_HOLIDAYS, parseHolidays));
  problems.push(...paymobProblems(env));
  problems.push(...paymentGatewayProblems(env));
  problems.push(...storageProblems(env));
  problems.push(
    ...dataEncryptionKeyProblems(env.DATA_ENCRYPTION_KEY, env.NODE_ENV === NodeEnv.Production),
  );
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return Object.assign(env, { timeSpans: timeSpans.spans });
}
