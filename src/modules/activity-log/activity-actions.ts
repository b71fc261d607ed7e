/**
 * The actions the activity log records (API.md "Operations"): stable dotted names, a filter's
 * values (`?action=`), never renamed once recorded.
 */
export enum ActivityAction {
  UserRegistered = 'user.registered',
  StaffCreated = 'staff.created',
  UserBanned = 'user.banned',
  UserUnbanned = 'user.unbanned',
  VerificationApproved = 'verification.approved',
  VerificationRejected = 'verification.rejected',
  ServiceCreated = 'service.created',
  ServiceUpdated = 'service.updated',
  ServiceDeleted = 'service.deleted',
  JobForceCancelled = 'job.force_cancelled',
  JobStatusForced = 'job.status_forced',
  DisputeAssigned = 'dispute.assigned',
  DisputeResolved = 'dispute.resolved',
  PayoutPaid = 'payout.paid',
  PayoutFailed = 'payout.failed',
  WalletAdjusted = 'wallet.adjusted',
  AccountDeletionRequested = 'account.deletion_requested',
  AccountDeletionCancelled = 'account.deletion_cancelled',
  AccountDeleted = 'account.deleted',
  FaqEntryCreated = 'faq.created',
  FaqEntryUpdated = 'faq.updated',
  FaqEntryDeleted = 'faq.deleted',
}

/** What an action was done to (`target.type`). */
export enum ActivityTargetType {
  User = 'user',
  Service = 'service',
  Job = 'job',
  Dispute = 'dispute',
  Withdrawal = 'withdrawal',
  FaqEntry = 'faq_entry',
}

/** The role recorded for what nobody did by hand: sweeps, gateways' answers, boot. */
export const SYSTEM_ROLE = 'system';
