export enum JobStatus {
  Posted = 'posted',
  Quoted = 'quoted',
  Hired = 'hired',
  OnTheWay = 'on_the_way',
  InProgress = 'in_progress',
  Completed = 'completed',
  Disputed = 'disputed',
  Cancelled = 'cancelled',
}

/** Open jobs take quotes and invitations and can be edited. */
export const OPEN_STATUSES: readonly JobStatus[] = [JobStatus.Posted, JobStatus.Quoted];

/**
 * Jobs still under way: open, hired and not done, or in dispute. A party to one can't delete
 * his account (API.md "Privacy and contact").
 */
export const ACTIVE_STATUSES: readonly JobStatus[] = [
  JobStatus.Posted,
  JobStatus.Quoted,
  JobStatus.Hired,
  JobStatus.OnTheWay,
  JobStatus.InProgress,
  JobStatus.Disputed,
];

export function isOpen(status: JobStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export enum PaymentType {
  Escrow = 'escrow',
  Cash = 'cash',
  CashProtected = 'cash_protected',
}

/** Jobs the client pays through the platform, held in escrow until completion. */
export function isPaidThroughPlatform(paymentType: PaymentType): boolean {
  return paymentType === PaymentType.Escrow || paymentType === PaymentType.CashProtected;
}
