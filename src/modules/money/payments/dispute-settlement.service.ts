import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock/clock.js';
import { CommonErrors, DomainError } from '../../../common/errors/domain.error.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { formatEgp } from '../../../common/money.js';
import type { AllConfig } from '../../../config/config.js';
import type { MoneyConfig } from '../../../config/money.config.js';
import { moneyFlagsOf } from '../../jobs/job-money-flags.js';
import { JobStatus } from '../../jobs/job-status.js';
import type { JobEntity } from '../../jobs/schemas/job.schema.js';
import { platformFee } from '../fees/platform-fee.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import {
  LedgerEntryKind,
  LedgerEntryState,
  type Posting,
  WalletTransactionType,
} from '../ledger/schemas/ledger-entry.schema.js';
import { CashFeesService } from '../wallet/cash-fees.service.js';
import { walletView, WalletService } from '../wallet/wallet.service.js';
import { WithdrawalsService } from '../wallet/withdrawals.service.js';
import { EscrowService } from './escrow.service.js';
import { PaymentsRepository } from './payments.repository.js';
import { type PaymentEntity, PaymentStatus } from './schemas/payment.schema.js';

/** An admin's decision on a dispute (API.md "Disputes and cancellations"). */
export enum DisputeOutcome {
  /** The craftsman is paid: the job completes (a cash job's fee falls due). */
  ReleaseToCraftsman = 'release_to_craftsman',
  /** The client gets back everything he paid: the job is cancelled. */
  RefundClient = 'refund_client',
  /** Part back to the client, the rest to the craftsman: the job completes. */
  Split = 'split',
  /** Nobody pays anybody (a cash job not paid): the job completes, no fee falls due. */
  NoPayment = 'no_payment',
}
export const DISPUTE_OUTCOMES = Object.values(DisputeOutcome);

/** The money a dispute decides on: the job's payment, held in escrow or released already. */
export interface MoneyInPlay {
  /** Piastres: the payment's amount; 0 when the job has no payment through the platform. */
  amount: number;
  paymentId: string | null;
  /**
   * `held`: in the job's escrow; `released`: paid to the craftsman before the dispute (a
   * dispute about a completed job); `none`: a cash job, or a payment already given back.
   */
  state: 'held' | 'released' | 'none';
}

/** What a resolution asks of the money. */
export interface DisputeSettlement {
  disputeId: string;
  job: JobEntity;
  outcome: DisputeOutcome;
  /** Split only: piastres back to the client; with `craftsmanAmount`, sums to the amount in play. */
  clientAmount?: number;
  /** Split only: piastres to the craftsman (the platform's fee is taken from it). */
  craftsmanAmount?: number;
}

/** What the job's move out of `disputed` carries, and where it goes. */
export interface SettledMoney {
  /** `completed` or `cancelled` (refund_client). */
  to: JobStatus.Completed | JobStatus.Cancelled;
  /**
   * Fields set with the move: the flags the existing money machinery acts on (`releaseDue` for
   * a release of held money, `refundDue` for a refund of it, `feeDue` for a cash job completed
   * with pay), written with the move so that a crash loses none of them; false clears a flag a
   * split already settled.
   */
  jobFlags: Record<string, boolean>;
}

const SPLIT_FIELDS = ['clientAmount', 'craftsmanAmount'] as const;

/**
 * The money of a dispute's resolution (API.md "Disputes and cancellations", DESIGN.md "Reviews
 * and disputes": one ledger entry for the money, one job transition).
 *
 * - `release_to_craftsman`: held money is released by the job's move to `completed` with
 *   `releaseDue` (the release entry `release:<jobId>`, fee included, as any completion); a
 *   released payment stays released; a cash job's fee falls due (`fee:<jobId>`).
 * - `refund_client`: held money is refunded by the move to `cancelled` with `refundDue`
 *   (`payment:<id>:refund`, then the gateway); a payment released before the dispute is taken
 *   back from the craftsman here (`payment:<id>:clawback`: what his wallet can't cover he owes).
 * - `split`: one entry `dispute:<disputeId>:split`. Held: escrow → the client's share back to
 *   the gateway, the craftsman's share minus its fee to his wallet, the fee to the platform.
 *   Released: the client's share back to the gateway, taken from the craftsman (as owed) and
 *   from the platform's fee, so each ends as if the craftsman's share alone had been released.
 *   The payment becomes `partially_refunded` (or `refunded` when the craftsman gets nothing)
 *   and the gateway is asked for the client's share (retried until it answers).
 * - `no_payment`: no fee falls due, and a cash job's fee posted at an earlier completion is
 *   given back (`fee:<jobId>:reversal`, as for `refund_client` on a cash job); refused while
 *   money is in play.
 */
@Injectable()
export class DisputeSettlementService {
  private readonly settings: MoneyConfig;

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly escrow: EscrowService,
    private readonly wallet: WalletService,
    private readonly withdrawals: WithdrawalsService,
    private readonly cashFees: CashFeesService,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.settings = config.get('money', { infer: true });
  }

  /** What the job's payment puts in play (read now: a sweep may have moved it meanwhile). */
  async inPlay(job: JobEntity): Promise<MoneyInPlay> {
    return inPlayOf(job.payment ? await this.payments.findById(job.payment) : null);
  }

  /**
   * Checks a resolution's amounts against the money in play, moving nothing.
   * @throws DomainError 400 SPLIT_MISMATCH (a split without money in play, or whose integer
   *   piastre amounts are missing, negative or don't sum exactly to it), 400 VALIDATION_FAILED
   *   (amounts given with another outcome; `no_payment` while money is in play)
   */
  check(settlement: DisputeSettlement, inPlay: MoneyInPlay): void {
    const { outcome, clientAmount, craftsmanAmount } = settlement;
    if (outcome !== DisputeOutcome.Split) {
      const given = SPLIT_FIELDS.filter((field) => settlement[field] !== undefined);
      if (given.length > 0) {
        throw CommonErrors.validation(
          given.map((field) => ({ field, message: `${field} is only for a split` })),
        );
      }
      if (outcome === DisputeOutcome.NoPayment && inPlay.state !== 'none') {
        throw CommonErrors.validation(
          [{ field: 'outcome', message: 'money is in play: release, refund or split it' }],
          `${formatEgp(inPlay.amount)} of this job is ${inPlay.state}: release, refund or split it`,
        );
      }
      return;
    }
    if (inPlay.state === 'none') {
      throw splitMismatch('Nothing was paid through the platform for this job: nothing to split');
    }
    if (
      !isAmount(clientAmount) ||
      !isAmount(craftsmanAmount) ||
      clientAmount + craftsmanAmount !== inPlay.amount
    ) {
      throw splitMismatch(
        `clientAmount and craftsmanAmount must be whole piastres summing to ${inPlay.amount} (${formatEgp(inPlay.amount)}, what the job's payment put in play)`,
      );
    }
  }

  /**
   * Moves the resolution's money, once however often it is called for the same dispute (the
   * ledger's idempotency keys; the payment's moves are guarded on its status), and answers the
   * job's move out of `disputed` with the flags it must carry. Call it again after a crash with
   * the same decision: it finishes what is left.
   * @throws DomainError 400 SPLIT_MISMATCH, 400 VALIDATION_FAILED (see `check`), 409 CONFLICT
   *   (the payment is parked: an admin settles it with the gateway first), 503
   *   SERVICE_UNAVAILABLE (the ledger did not settle the entry in time: retry)
   */
  async settle(settlement: DisputeSettlement): Promise<SettledMoney> {
    const { job, outcome } = settlement;
    const payment = job.payment ? await this.payments.findById(job.payment) : null;
    if (payment?.parked) {
      throw new DomainError(
        ErrorCode.Conflict,
        `Payment ${payment.id} is parked (${payment.parked.reason}): settle it with the gateway first`,
      );
    }
    const inPlay = inPlayOf(payment);
    if (outcome === DisputeOutcome.Split && payment && this.splitDone(payment, settlement)) {
      // settled by an earlier call that crashed before the job moved
      return { to: JobStatus.Completed, jobFlags: { releaseDue: false, refundDue: false } };
    }
    this.check(settlement, inPlay);
    switch (outcome) {
      case DisputeOutcome.ReleaseToCraftsman:
        return { to: JobStatus.Completed, jobFlags: completedFlags(job, true) };
      case DisputeOutcome.NoPayment:
        await this.cashFees.reverse(job, 'a dispute decided the job was not paid');
        return { to: JobStatus.Completed, jobFlags: completedFlags(job, false) };
      case DisputeOutcome.RefundClient:
        if (payment && inPlay.state === 'released') {
          await this.escrow.clawback(payment, 'dispute_refund');
        }
        if (inPlay.state === 'none') {
          await this.cashFees.reverse(job, 'a dispute cancelled the job');
        }
        return {
          to: JobStatus.Cancelled,
          jobFlags: { releaseDue: false, refundDue: inPlay.state === 'held' },
        };
      case DisputeOutcome.Split:
        await this.split(settlement, payment!, inPlay);
        return { to: JobStatus.Completed, jobFlags: { releaseDue: false, refundDue: false } };
    }
  }

  /** A split of a held or released payment: one entry, then the client's share refunded. */
  private async split(
    settlement: DisputeSettlement,
    payment: PaymentEntity,
    inPlay: MoneyInPlay,
  ): Promise<void> {
    const clientAmount = settlement.clientAmount!;
    const craftsmanAmount = settlement.craftsmanAmount!;
    const craftsmanId = payment.payee;
    const fee = this.feeOf(craftsmanAmount);
    const postings: Posting[] =
      inPlay.state === 'held'
        ? [
            { account: LedgerAccount.escrow(settlement.job.id), amount: -payment.amount },
            { account: LedgerAccount.gateway(payment.provider), amount: clientAmount },
            { account: LedgerAccount.available(craftsmanId), amount: craftsmanAmount - fee },
            { account: LedgerAccount.platformRevenue, amount: fee },
          ]
        : this.releasedSplitPostings(payment, craftsmanAmount, clientAmount, fee);
    const craftsmanChange = postings
      .filter((posting) => posting.account.startsWith(`craftsman:${craftsmanId}:`))
      .reduce((sum, posting) => sum + posting.amount, 0);
    const entry = await this.escrow.posted({
      idempotencyKey: `dispute:${settlement.disputeId}:split`,
      kind: LedgerEntryKind.DisputeSplit,
      postings: postings.filter((posting) => posting.amount !== 0),
      links: { job: settlement.job.id, payment: payment.id },
      wallet:
        craftsmanChange === 0
          ? null
          : walletView(
              craftsmanId,
              inPlay.state === 'held'
                ? WalletTransactionType.EscrowRelease
                : WalletTransactionType.Refund,
              craftsmanChange,
              { gateway: payment.provider },
            ),
    });
    if (entry.state === LedgerEntryState.Voided) {
      // the escrow no longer held it (released or refunded meanwhile): nothing was moved
      throw new DomainError(
        ErrorCode.Conflict,
        `The money of job ${settlement.job.id} moved while the decision was made: look again`,
      );
    }
    await this.recordClientShare(payment, clientAmount, craftsmanAmount);
    if (craftsmanChange !== 0) {
      await this.wallet.settleFees(craftsmanId, entry.idempotencyKey);
      if (craftsmanChange < 0) {
        await this.withdrawals.returnForDebt(
          craftsmanId,
          'returned to pay back part of a payment a dispute gave back to its client',
        );
      }
      await this.wallet.changed(
        craftsmanId,
        entry,
        craftsmanChange > 0
          ? `${formatEgp(craftsmanChange)} for "${settlement.job.title}" was released to your wallet by a dispute's decision (${formatEgp(craftsmanAmount)} minus the platform fee of ${formatEgp(fee)})`
          : `${formatEgp(-craftsmanChange)} released to you for "${settlement.job.title}" went back to the client by a dispute's decision: it is taken from your wallet (what it can't cover, you owe)`,
      );
    }
  }

  /**
   * A released payment split afterwards: the craftsman had `amount − fee(amount)`, and keeps
   * `craftsmanAmount − fee(craftsmanAmount)`; the platform keeps `fee(craftsmanAmount)`; the
   * differences go back to the client (their sum is `clientAmount`).
   */
  private releasedSplitPostings(
    payment: PaymentEntity,
    craftsmanAmount: number,
    clientAmount: number,
    fee: number,
  ): Posting[] {
    const feeBefore = this.feeOf(payment.amount);
    const craftsmanBack = payment.amount - feeBefore - (craftsmanAmount - fee);
    return [
      { account: LedgerAccount.gateway(payment.provider), amount: clientAmount },
      { account: LedgerAccount.platformRevenue, amount: -(feeBefore - fee) },
      // owed, then netted from his wallet as far as it goes (as a clawback)
      { account: LedgerAccount.feesOwed(payment.payee), amount: -craftsmanBack },
    ];
  }

  /** The payment's refund of the client's share recorded (once), then sent to the gateway. */
  private async recordClientShare(
    payment: PaymentEntity,
    clientAmount: number,
    craftsmanAmount: number,
  ): Promise<void> {
    if (clientAmount === 0) {
      if (payment.status === PaymentStatus.Held) {
        await this.payments.released(payment.id, this.clock.now());
      }
      return;
    }
    await this.escrow.markRefunded(payment, {
      from: [PaymentStatus.Held, PaymentStatus.Released],
      amount: clientAmount,
      reason: 'dispute_split',
      status: craftsmanAmount === 0 ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded,
    });
  }

  /** Whether this split was already moved (a call that crashed before the job's move). */
  private splitDone(payment: PaymentEntity, settlement: DisputeSettlement): boolean {
    return (
      payment.refund?.reason === 'dispute_split' &&
      payment.refundedAmount === settlement.clientAmount
    );
  }

  private feeOf(amount: number): number {
    return amount === 0
      ? 0
      : platformFee(amount, {
          bps: this.settings.platformFeeBps,
          min: this.settings.platformFeeMin,
        });
  }
}

/** What a job's payment (as read now) puts in play. */
function inPlayOf(payment: PaymentEntity | null): MoneyInPlay {
  if (payment?.status === PaymentStatus.Held) {
    return { amount: payment.amount, paymentId: payment.id, state: 'held' };
  }
  if (payment?.status === PaymentStatus.Released) {
    return { amount: payment.amount, paymentId: payment.id, state: 'released' };
  }
  return { amount: 0, paymentId: payment?.id ?? null, state: 'none' };
}

/** The flags of a completion by a resolution: a release or a cash fee with pay, neither without. */
function completedFlags(job: JobEntity, paid: boolean): Record<string, boolean> {
  const flags = moneyFlagsOf(job, JobStatus.Completed);
  return {
    releaseDue: paid && flags.releaseDue === true,
    feeDue: paid && flags.feeDue === true,
    refundDue: false,
  };
}

function isAmount(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 0;
}

function splitMismatch(message: string): DomainError {
  return new DomainError(ErrorCode.SplitMismatch, message, [{ field: 'clientAmount', message }]);
}
