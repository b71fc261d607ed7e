import type { ValidatedEnv } from './env.validation.js';

/** Trust settings (API.md "Reviews (double-blind)", "Disputes and cancellations"); spans in ms. */
export interface TrustConfig {
  /** From a job's completion to `revealAt`, the end of its reviews' window. */
  reviewWindowMs: number;
  /** A side that hasn't reviewed is reminded this long before `revealAt`. */
  reviewReminderBeforeMs: number;
  /** From a job's completion to the last moment a dispute may be opened about it. */
  disputeWindowMs: number;
  /** The other party's time to answer (`respondBy`). */
  disputeResponseWindowMs: number;
  /** The other party is reminded this long before `respondBy`. */
  disputeResponseReminderBeforeMs: number;
  /** Admins hear of a dispute nobody took after this long. */
  disputeUnassignedAlertAfterMs: number;
  /** Admins hear of a dispute still open after this long. */
  disputeUnresolvedAlertAfterMs: number;
}

export function trustConfigFromEnv(env: ValidatedEnv): TrustConfig {
  return {
    reviewWindowMs: env.timeSpans.REVIEW_WINDOW,
    reviewReminderBeforeMs: env.timeSpans.REVIEW_REMINDER_BEFORE,
    disputeWindowMs: env.timeSpans.DISPUTE_WINDOW,
    disputeResponseWindowMs: env.timeSpans.DISPUTE_RESPONSE_WINDOW,
    disputeResponseReminderBeforeMs: env.timeSpans.DISPUTE_RESPONSE_REMINDER_BEFORE,
    disputeUnassignedAlertAfterMs: env.timeSpans.DISPUTE_UNASSIGNED_ALERT_AFTER,
    disputeUnresolvedAlertAfterMs: env.timeSpans.DISPUTE_UNRESOLVED_ALERT_AFTER,
  };
}
