import { isPaidThroughPlatform, JobStatus, PaymentType } from './job-status.js';
import type { JobEntity } from './schemas/job.schema.js';

/** Setting out on an escrow or cash-protected job waits for its payment (PAYMENT_REQUIRED). */
export function needsPaymentToMove(job: JobEntity, to: JobStatus): boolean {
  return (
    job.status === JobStatus.Hired &&
    to === JobStatus.OnTheWay &&
    isPaidThroughPlatform(job.paymentType)
  );
}

/**
 * What money a move leaves to do, written with the move itself so that a crash loses none of it:
 * a completed cash job's fee (`feeDue`), a completed job's held payment to release
 * (`releaseDue`), a cancelled job's held payment to refund (`refundDue`).
 */
export function moneyFlagsOf(job: JobEntity, to: JobStatus): Record<string, boolean> {
  if (to === JobStatus.Completed) {
    return {
      ...(job.paymentType === PaymentType.Cash && job.jobPrice ? { feeDue: true } : {}),
      ...(job.payment ? { releaseDue: true } : {}),
    };
  }
  if (to === JobStatus.Cancelled && job.payment) {
    return { refundDue: true };
  }
  return {};
}
