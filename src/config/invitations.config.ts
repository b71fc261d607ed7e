import type { RateLimit } from './auth.config.js';
import { EnvironmentVariables } from './env.validation.js';

export interface InvitationsConfig {
  ttlDays: number;
  reminderDaysBefore: number;
  perJobPerDay: RateLimit;
  perEmailPerDay: RateLimit;
  /** Email/phone invitations (and their resends) per client across all his jobs. */
  perClientPerDay: RateLimit;
  /** Email/phone lookups that found no invitable craftsman, per client. */
  lookupsPerClientPerDay: RateLimit;
  resendIntervalHours: number;
  sweepCron: string;
  sweepBatch: number;
}

const DAY_SECONDS = 24 * 3600;

export function invitationsConfigFromEnv(env: EnvironmentVariables): InvitationsConfig {
  return {
    ttlDays: env.INVITATION_TTL_DAYS,
    reminderDaysBefore: env.INVITATION_REMINDER_DAYS_BEFORE,
    perJobPerDay: { points: env.INVITES_PER_JOB_PER_DAY, windowSeconds: DAY_SECONDS },
    perEmailPerDay: { points: env.INVITES_PER_EMAIL_PER_DAY, windowSeconds: DAY_SECONDS },
    perClientPerDay: { points: env.INVITES_PER_CLIENT_PER_DAY, windowSeconds: DAY_SECONDS },
    lookupsPerClientPerDay: {
      points: env.INVITE_LOOKUPS_PER_CLIENT_PER_DAY,
      windowSeconds: DAY_SECONDS,
    },
    resendIntervalHours: env.INVITATION_RESEND_INTERVAL_HOURS,
    sweepCron: env.INVITATION_SWEEP_CRON,
    sweepBatch: env.INVITATION_SWEEP_BATCH,
  };
}
