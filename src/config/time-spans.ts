import { describeDuration, parseIsoDuration } from './duration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Node's timers hold at most this many ms; above it they warn and fire after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

interface TimeSpanRule {
  /**
   * The older variable that gives the same span as a whole number of `unitMs`; none for spans
   * that were ISO-8601 from the start.
   */
  legacy?: string;
  unitMs?: number;
  minMs: number;
  maxMs?: number;
  /** Its reader counts whole seconds (a JWT's `exp`, a rate-limit window). */
  wholeSeconds?: boolean;
}

/**
 * Every time span in the configuration, by its ISO-8601 variable (API.md, Conventions), with the
 * older variable in one unit that keeps working beside it, and the bounds of the span whichever
 * of the two gave it. The ISO variables' defaults are `EnvironmentVariables`' own.
 */
export const TIME_SPANS = {
  MONGODB_SERVER_SELECTION_TIMEOUT: {
    legacy: 'MONGODB_SERVER_SELECTION_TIMEOUT_MS',
    unitMs: 1,
    minMs: 100,
    maxMs: MAX_TIMER_MS,
  },
  JWT_EXPIRES_IN: {
    legacy: 'JWT_EXPIRES_IN_SECONDS',
    unitMs: SECOND,
    // short lifetimes are for tests of expiry (a socket is closed when its token ends)
    minMs: SECOND,
    wholeSeconds: true,
  },
  AUTH_CACHE_TTL: { legacy: 'AUTH_CACHE_TTL_MS', unitMs: 1, minMs: 0, maxMs: MINUTE },
  PASSWORD_RESET_TTL: { legacy: 'PASSWORD_RESET_TTL_MINUTES', unitMs: MINUTE, minMs: SECOND },
  LOGIN_RATE_LIMIT_WINDOW: {
    legacy: 'LOGIN_RATE_LIMIT_WINDOW_SECONDS',
    unitMs: SECOND,
    minMs: SECOND,
    wholeSeconds: true,
  },
  FORGOT_PASSWORD_RATE_LIMIT_WINDOW: {
    legacy: 'FORGOT_PASSWORD_RATE_LIMIT_WINDOW_SECONDS',
    unitMs: SECOND,
    minMs: SECOND,
    wholeSeconds: true,
  },
  REGISTER_RATE_LIMIT_WINDOW: { minMs: SECOND, wholeSeconds: true },
  EMAIL_VERIFICATION_TTL: { legacy: 'EMAIL_VERIFICATION_TTL_HOURS', unitMs: HOUR, minMs: SECOND },
  RESEND_VERIFICATION_RATE_LIMIT_WINDOW: {
    legacy: 'RESEND_VERIFICATION_RATE_LIMIT_WINDOW_SECONDS',
    unitMs: SECOND,
    minMs: SECOND,
    wholeSeconds: true,
  },
  INVITATION_TTL: { legacy: 'INVITATION_TTL_DAYS', unitMs: DAY, minMs: SECOND },
  INVITATION_REMINDER_BEFORE: {
    legacy: 'INVITATION_REMINDER_DAYS_BEFORE',
    unitMs: DAY,
    minMs: SECOND,
  },
  INVITATION_RESEND_INTERVAL: {
    legacy: 'INVITATION_RESEND_INTERVAL_HOURS',
    unitMs: HOUR,
    minMs: SECOND,
  },
  DELIVERY_BACKOFF_BASE: { legacy: 'DELIVERY_BACKOFF_BASE_MS', unitMs: 1, minMs: 10 },
  DELIVERY_BACKOFF_MAX: { legacy: 'DELIVERY_BACKOFF_MAX_MS', unitMs: 1, minMs: 100 },
  // the mail sender's timeouts are a quarter of it (MailService)
  DELIVERY_LEASE: { legacy: 'DELIVERY_LEASE_MS', unitMs: 1, minMs: SECOND, maxMs: MAX_TIMER_MS },
  DELIVERY_POLL_INTERVAL: {
    legacy: 'DELIVERY_POLL_MS',
    unitMs: 1,
    minMs: 50,
    maxMs: MAX_TIMER_MS,
  },
  DELIVERY_POLL_MAX_INTERVAL: { unitMs: 1, minMs: 50, maxMs: MAX_TIMER_MS },
  FEE_REMINDER_FIRST: { minMs: SECOND },
  FEE_REMINDER_SECOND: { minMs: SECOND },
  PAYOUT_TIMEOUT: { minMs: 100, maxMs: 10 * MINUTE },
  LEDGER_LEASE: { minMs: 100, maxMs: HOUR },
  PAYMENT_GATEWAY_TIMEOUT: { minMs: 100, maxMs: 10 * MINUTE },
  PAYMENT_EXPIRES_AFTER: { minMs: SECOND },
  AUTO_COMPLETE_AFTER: { minMs: SECOND },
  REVIEW_WINDOW: { minMs: SECOND },
  REVIEW_REMINDER_BEFORE: { minMs: 0 },
  DISPUTE_WINDOW: { minMs: SECOND },
  DISPUTE_RESPONSE_WINDOW: { minMs: SECOND },
  DISPUTE_RESPONSE_REMINDER_BEFORE: { minMs: 0 },
  DISPUTE_UNASSIGNED_ALERT_AFTER: { minMs: SECOND },
  DISPUTE_UNRESOLVED_ALERT_AFTER: { minMs: SECOND },
  UPLOAD_ORPHAN_AFTER: { minMs: SECOND },
  UPLOAD_READ_TIMEOUT: { minMs: SECOND, maxMs: 10 * MINUTE },
  DELETION_GRACE: { minMs: SECOND },
  CONTACT_RATE_LIMIT_WINDOW: { minMs: SECOND, wholeSeconds: true },
} as const satisfies Record<string, TimeSpanRule>;

export type TimeSpanName = keyof typeof TIME_SPANS;

/** Every time span, in milliseconds, whichever variable gave it. */
export type TimeSpans = Readonly<Record<TimeSpanName, number>>;

export interface TimeSpanInput {
  /**
   * The validated variables: each ISO-8601 one a string (given or its default), each older one
   * a number, or undefined when unset.
   */
  env: Readonly<Record<string, unknown>>;
  /** What was actually set (non-empty), as text. */
  given: Readonly<Record<string, string>>;
  /** Variables already refused (e.g. `INVITATION_TTL_DAYS=abc`): no second message for them. */
  refused: ReadonlySet<string>;
}

/**
 * Resolves every time span to milliseconds. The older variable is read when it is set; when both
 * are set they must give the same span, else the boot is refused: they usually come from two
 * layers (an `.env` file and a deployment's environment), and picking either one silently would
 * run with a window the operator did not mean. One problem per span, naming the variable.
 *
 * @returns the spans, and the problems (empty when every span is good)
 */
export function resolveTimeSpans(input: TimeSpanInput): { spans: TimeSpans; problems: string[] } {
  const spans = {} as Record<TimeSpanName, number>;
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(TIME_SPANS) as Array<[TimeSpanName, TimeSpanRule]>) {
    const resolved = resolveOne(name, rule, input);
    if (typeof resolved === 'string') {
      problems.push(resolved);
    } else if (resolved !== undefined) {
      spans[name] = resolved;
    }
  }
  return { spans, problems };
}

/** The span in ms, a problem sentence, or undefined when its variable was refused already. */
function resolveOne(
  name: TimeSpanName,
  rule: TimeSpanRule,
  { env, given, refused }: TimeSpanInput,
): number | string | undefined {
  if (refused.has(name) || (rule.legacy && refused.has(rule.legacy))) {
    return undefined;
  }
  const isoText = String(env[name]);
  let isoMs: number;
  try {
    isoMs = parseIsoDuration(isoText);
  } catch (error) {
    return `${name}=${JSON.stringify(isoText)}: ${(error as Error).message}`;
  }
  const legacyCount = rule.legacy ? (env[rule.legacy] as number | undefined) : undefined;
  if (!rule.legacy || legacyCount === undefined) {
    return checkBounds(name, isoText, isoMs, rule);
  }
  const legacyMs = legacyCount * (rule.unitMs ?? 1);
  if (given[name] !== undefined && isoMs !== legacyMs) {
    return (
      `${name}=${JSON.stringify(isoText)} (${describeDuration(isoMs)}) and ` +
      `${rule.legacy}=${JSON.stringify(given[rule.legacy])} (${describeDuration(legacyMs)}) ` +
      `disagree: set only ${name} (${rule.legacy} is its older form)`
    );
  }
  return checkBounds(rule.legacy, given[rule.legacy], legacyMs, rule);
}

function checkBounds(
  variable: string,
  text: string,
  ms: number,
  rule: TimeSpanRule,
): number | string {
  const problem = (reason: string) => `${variable}=${JSON.stringify(text)}: ${reason}`;
  if (ms < rule.minMs) {
    return problem(`must be at least ${describeDuration(rule.minMs)}`);
  }
  if (rule.maxMs !== undefined && ms > rule.maxMs) {
    return problem(`must be at most ${describeDuration(rule.maxMs)}`);
  }
  if (rule.wholeSeconds && ms % SECOND !== 0) {
    return problem('must be a whole number of seconds');
  }
  return ms;
}
