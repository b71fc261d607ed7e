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

export enum NodeEnv {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

const toNumber = ({ value }: { value: unknown }): unknown => Number(value);

/**
 * Every environment variable the service reads, with its default. `.env.example` documents
 * each one; `validateEnv` refuses to boot with a message per bad variable.
 */
export class EnvironmentVariables {
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

  @IsBoolean()
  @Transform(toBoolean)
  TRUST_PROXY = false;

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

  @IsInt()
  @Min(100)
  @Transform(toNumber)
  MONGODB_SERVER_SELECTION_TIMEOUT_MS = 5000;

  /** Wins over the database named in MONGODB_URI; without either the database is `craftsmen`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_DB_NAME?: string;

  /** Signs access tokens (HS256). Required in production, at least 32 characters. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  @IsInt()
  @Min(60)
  @Transform(toNumber)
  JWT_EXPIRES_IN_SECONDS = 7 * 24 * 3600;

  /**
   * How long an instance may reuse what it read of an account's and a token's standing. Bans,
   * logouts and password changes clear it at once (on every instance, through Redis); 0: read
   * the database on every request.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  @Transform(toNumber)
  AUTH_CACHE_TTL_MS = 5000;

  /** Seeds the first admin at boot when there is none. */
  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  ADMIN_PASSWORD?: string;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  PASSWORD_RESET_TTL_MINUTES = 60;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  LOGIN_RATE_LIMIT_PER_IP = 20;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  LOGIN_RATE_LIMIT_PER_IDENTIFIER = 10;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  LOGIN_RATE_LIMIT_WINDOW_SECONDS = 900;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  FORGOT_PASSWORD_RATE_LIMIT_PER_IP = 10;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  FORGOT_PASSWORD_RATE_LIMIT_PER_EMAIL = 3;

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  FORGOT_PASSWORD_RATE_LIMIT_WINDOW_SECONDS = 3600;

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

  /** A pending invitation expires this many days after it was sent. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  INVITATION_TTL_DAYS = 30;

  /** The invited craftsman is reminded once, this many days before expiry. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  INVITATION_REMINDER_DAYS_BEFORE = 3;

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

  @IsInt()
  @Min(1)
  @Transform(toNumber)
  INVITATION_RESEND_INTERVAL_HOURS = 24;

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

  @IsInt()
  @Min(10)
  @Transform(toNumber)
  DELIVERY_BACKOFF_BASE_MS = 2000;

  @IsInt()
  @Min(100)
  @Transform(toNumber)
  DELIVERY_BACKOFF_MAX_MS = 3_600_000;

  /** How long an instance holds a delivery it is sending before another may take it. */
  @IsInt()
  @Min(1000)
  @Transform(toNumber)
  DELIVERY_LEASE_MS = 60_000;

  /** How often each instance looks for deliveries due (new ones are sent at once anyway). */
  @IsInt()
  @Min(50)
  @Transform(toNumber)
  DELIVERY_POLL_MS = 1000;

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

export function validateEnv(raw: NodeJS.ProcessEnv): EnvironmentVariables {
  const given = withoutEmpty(raw);
  const env = plainToInstance(EnvironmentVariables, given);
  // whitelist drops everything that is not a variable of ours (PATH, HOME, ...)
  const errors = validateSync(env, { whitelist: true });
  const problems = errors.map((error) => {
    const reasons = Object.values(error.constraints ?? {}).join('; ');
    return `${error.property}=${JSON.stringify(given[error.property])}: ${reasons}`;
  });
  if (env.NODE_ENV === NodeEnv.Production && !env.JWT_SECRET) {
    problems.push('JWT_SECRET is required in production (at least 32 characters)');
  }
  const cron = validateCronExpression(env.INVITATION_SWEEP_CRON);
  if (!cron.valid) {
    problems.push(
      `INVITATION_SWEEP_CRON="${env.INVITATION_SWEEP_CRON}": not a cron expression (${cron.error?.message})`,
    );
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return env;
}
