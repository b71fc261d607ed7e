import { canonicalTimeZone } from '../common/time/dates-for-people.js';
import { EnvironmentVariables } from './env.validation.js';

export interface NotificationsConfig {
  enabled: boolean;
  /** The service account JSON or a path to it; unset: no push. */
  firebaseServiceAccount?: string;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  pollMs: number;
  /** IANA name: dates in text for users who chose no time zone. */
  defaultTimeZone: string;
}

export function notificationsConfigFromEnv(env: EnvironmentVariables): NotificationsConfig {
  return {
    enabled: env.NOTIFICATIONS_ENABLED,
    firebaseServiceAccount: env.FIREBASE_SERVICE_ACCOUNT,
    maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
    backoffBaseMs: env.DELIVERY_BACKOFF_BASE_MS,
    backoffMaxMs: env.DELIVERY_BACKOFF_MAX_MS,
    leaseMs: env.DELIVERY_LEASE_MS,
    pollMs: env.DELIVERY_POLL_MS,
    defaultTimeZone: canonicalTimeZone(env.DEFAULT_TIMEZONE) ?? env.DEFAULT_TIMEZONE,
  };
}
