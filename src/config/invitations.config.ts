import type { RateLimit } from './auth.config.js';
import type { ValidatedEnv } from './env.validation.js';

export interface InvitationsConfig {
  /** A pending invitation's lifetime, in ms. */
  ttlMs: number;
  /** The reminder goes this many ms before expiry. */
  reminderBeforeMs: number;
  perJobPerDay: RateLimit;
  perEmailPerDay: RateLimit;
  /** Email/phone invitations (and their resends) per client across all his jobs. */
  perClientPerDay: RateLimit;
  /** Email/phone lookups that found no invitable craftsman, per client. */
  lookupsPerClientPerDay: RateLimit;
  resendIntervalMs: number;
  sweepCron: string;
  sweepBatch: number;
}

const DAY_SECONDS = 24 * 3600;

export function invitationsConfigFromEnv(env: ValidatedEnv): InvitationsConfig {
  return {
    ttlMs: env.timeSpans.INVITATION_TTL,
    reminderBeforeMs: env.timeSpans.INVITATION_REMINDER_BEFORE,
    perJobPerDay: { points: env.INVITES_PER_JOB_PER_DAY, windowSeconds: DAY_SECONDS },
    perEmailPerDay: { points: env.INVITES_PER_EMAIL_PER_DAY, windowSeconds: DAY_SECONDS },
    perClientPerDay: { points: env.INVITES_PER_CLIENT_PER_DAY, windowSeconds: DAY_SECONDS },
    lookupsPerClientPerDay: {
      points: env.INVITE_LOOKUPS_PER_CLIENT_PER_DAY,
      windowSeconds: DAY_SECONDS,
    },
    resendIntervalMs: env.timeSpans.INVITATION_RESEND_INTERVAL,
    sweepCron: env.INVITATION_SWEEP_CRON,
    sweepBatch: env.INVITATION_SWEEP_BATCH,
  };
}
