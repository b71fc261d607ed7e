import { Injectable } from '@nestjs/common';
import { Role } from '../../common/auth/role.js';
import { DisputesService } from '../disputes/disputes.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { PaymentsService } from '../money/payments/payments.service.js';
import { type PaymentEntity, PaymentStatus } from '../money/payments/schemas/payment.schema.js';
import { WalletService } from '../money/wallet/wallet.service.js';
import type { DeletionBlocker } from './deletion-blockers.js';

/** Enough of each kind to say what to settle first; the rest follows once those are done. */
const PER_KIND = 20;

/**
 * What keeps an account from being deleted now (API.md "Privacy and contact"): money in his
 * wallet or held, fees he owes, a job still under way, a dispute not resolved. Read when the
 * deletion is asked for and again when it is due.
 */
@Injectable()
export class DeletionBlockersService {
  constructor(
    private readonly jobsService: JobsService,
    private readonly disputesService: DisputesService,
    private readonly paymentsService: PaymentsService,
    private readonly walletService: WalletService,
  ) {}

  /** Every obstacle, money first; empty when the account may go. */
  async of(user: { id: string; role: Role }): Promise<DeletionBlocker[]> {
    const [wallet, payments, jobs, disputes] = await Promise.all([
      user.role === Role.Craftsman ? this.walletService.balance(user.id) : null,
      this.paymentsService.moneyInPlayOf(user.id),
      this.jobsService.activeOfParty(user.id, PER_KIND),
      this.disputesService.unresolvedOfParty(user.id, PER_KIND),
    ]);
    const blockers: DeletionBlocker[] = [];
    if (wallet && wallet.withdrawableBalance + wallet.pending > 0) {
      blockers.push({
        reason: 'wallet_balance',
        amount: wallet.withdrawableBalance + wallet.pending,
      });
    }
    if (wallet && wallet.feesOwed > 0) {
      blockers.push({ reason: 'fees_owed', amount: wallet.feesOwed });
    }
    for (const payment of payments) {
      blockers.push({
        reason: 'held_payment',
        paymentId: payment.id,
        jobId: payment.job,
        state: stateOf(payment),
        amount: payment.amount,
      });
    }
    for (const job of jobs) {
      blockers.push({ reason: 'active_job', jobId: job.id, status: job.status });
    }
    for (const dispute of disputes) {
      blockers.push({ reason: 'open_dispute', disputeId: dispute.id, jobId: dispute.job });
    }
    return blockers;
  }
}

function stateOf(payment: PaymentEntity): 'held' | 'refunding' | 'parked' {
  if (payment.status === PaymentStatus.Held) {
    return 'held';
  }
  return payment.parked ? 'parked' : 'refunding';
}
