import type { JobStatus } from '../jobs/job-status.js';

/**
 * Why an account can't be deleted now (API.md "Privacy and contact"), one entry per obstacle,
 * in the `details` of 409 DELETION_BLOCKED. Amounts are integer piastres. The money rules
 * follow from the duty to keep payment records and settle what is owed before a person goes
 * (Egypt's Personal Data Protection Law 151/2020 grants erasure with such exceptions).
 */
export type DeletionBlocker =
  /** Money in his wallet: available, or withdrawals not paid out yet. */
  | { reason: 'wallet_balance'; amount: number }
  /** Platform fees of cash jobs he has not paid. */
  | { reason: 'fees_owed'; amount: number }
  /**
   * A payment of his (paid or paid to him) not settled: held in escrow, a refund not done at
   * the gateway, or parked for an admin.
   */
  | {
      reason: 'held_payment';
      paymentId: string;
      jobId: string | null;
      state: 'held' | 'refunding' | 'parked';
      amount: number;
    }
  /** A job he posted, or was hired for, still under way (open, hired, at work, disputed). */
  | { reason: 'active_job'; jobId: string; status: JobStatus }
  /** A dispute he is a party to, not resolved. */
  | { reason: 'open_dispute'; disputeId: string; jobId: string };

export type DeletionBlockerReason = DeletionBlocker['reason'];
