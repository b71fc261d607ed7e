import { canonicalTimeZone } from '../common/time/dates-for-people.js';
import type { ValidatedEnv } from './env.validation.js';

export interface NotificationsConfig {
  enabled: boolean;
  /** The service account JSON or a path to it; unset: no push. */
  firebaseServiceAccount?: string;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  /** The poll's interval while it finds work (DELIVERY_POLL_INTERVAL). */
  pollMs: number;
  /** The longest wait between polls that find nothing (DELIVERY_POLL_MAX_INTERVAL). */
  pollMaxMs: number;
  /** IANA name: dates in text for users who chose no time zone. */
  defaultTimeZone: string;
}

export function notificationsConfigFromEnv(env: ValidatedEnv): NotificationsConfig {
  return {
    enabled: env.NOTIFICATIONS_ENABLED,
    firebaseServiceAccount: env.FIREBASE_SERVICE_ACCOUNT,
    maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
    backoffBaseMs: env.timeSpans.DELIVERY_BACKOFF_BASE,
    backoffMaxMs: env.timeSpans.DELIVERY_BACKOFF_MAX,
    leaseMs: env.timeSpans.DELIVERY_LEASE,
    pollMs: env.timeSpans.DELIVERY_POLL_INTERVAL,
    pollMaxMs: env.timeSpans.DELIVERY_POLL_MAX_INTERVAL,
    defaultTimeZone: canonicalTimeZone(env.DEFAULT_TIMEZONE) ?? env.DEFAULT_TIMEZONE,
  };
}
