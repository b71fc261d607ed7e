import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock/clock.js';
import { DomainEvents } from '../../../common/events/domain-events.js';
import { formatEgp } from '../../../common/money.js';
import type { AllConfig } from '../../../config/config.js';
import type { MoneyConfig } from '../../../config/money.config.js';
import { JobStatus } from '../../jobs/job-status.js';
import { JobsService } from '../../jobs/jobs.service.js';
import type { JobEntity } from '../../jobs/schemas/job.schema.js';
import { platformFee } from '../fees/platform-fee.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import { LedgerService } from '../ledger/ledger.service.js';
import {
  type LedgerEntryEntity,
  LedgerEntryKind,
  LedgerEntryState,
  type Posting,
  WalletTransactionType,
} from '../ledger/schemas/ledger-entry.schema.js';
import { WalletErrors } from '../wallet/wallet.errors.js';
import { walletView, WalletService } from '../wallet/wallet.service.js';
import { WithdrawalsService } from '../wallet/withdrawals.service.js';
import { PaymentChangedEvent } from './events/payment-changed.event.js';
import { GatewayRefundsService } from './gateway-refunds.service.js';
import { PaymentsRepository } from './payments.repository.js';
import { type PaymentEntity, PaymentStatus, RefundState } from './schemas/payment.schema.js';

/** The most jobs one sweep step takes (the next sweep takes the rest). */
const SWEEP_BATCH = 100;

/**
 * The money of a client's payment on the ledger (API.md "Money", DESIGN.md "Money"): held in
 * the job's escrow when the gateway confirms it, released to the craftsman's wallet minus the
 * platform's fee when the job completes, given back through the gateway when a hired job is
 * cancelled, and taken back from the craftsman when the gateway refunds it after release. Each
 * move is one ledger entry keyed by its trigger, so it happens once however often it is replayed.
 */
@Injectable()
export class EscrowService {
  private readonly logger = new Logger(EscrowService.name);
  private readonly settings: MoneyConfig;

  constructor(
    private readonly ledger: LedgerService,
    private readonly payments: PaymentsRepository,
    private readonly jobsService: JobsService,
    private readonly wallet: WalletService,
    private readonly withdrawals: WithdrawalsService,
    private readonly gatewayRefunds: GatewayRefundsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.settings = config.get('money', { infer: true });
  }

  /**
   * The gateway confirmed the money came in: gateway → the job's escrow (`payment:<id>:hold`),
   * the payment `held` and recorded on the job. Money the job does not want (it was cancelled,
   * or another payment of it was held first) is refunded straight away. Without `announce`
   * nobody is told (money the gateway already gave back when we first heard of it).
   *
   * @returns the payment as it ends
   * @throws DomainError SERVICE_UNAVAILABLE when the ledger could not settle the entry in time
   */
  async hold(
    payment: PaymentEntity,
    transactionId: string | null,
    { announce = true }: { announce?: boolean } = {},
  ): Promise<PaymentEntity> {
    if (payment.job === null) {
      return this.creditTopUp(payment, transactionId);
    }
    const jobId = payment.job;
    const entry = await this.posted({
      idempotencyKey: `payment:${payment.id}:hold`,
      kind: LedgerEntryKind.EscrowHold,
      postings: [
        { account: LedgerAccount.gateway(payment.provider), amount: -payment.amount },
        { account: LedgerAccount.escrow(jobId), amount: payment.amount },
      ],
      links: linksOf(payment),
      wallet: null,
    });
    const ours = await this.jobsService.recordPayment(jobId, payment.id);
    const held = await this.payments.held(payment.id, this.clock.now(), transactionId);
    if (held) {
      this.logger.log(`Payment ${payment.id} held in escrow (entry ${entry.id})`);
      if (announce) {
        await this.publish(held, PaymentStatus.Held, held.amount);
      }
    }
    const current = held ?? (await this.payments.findById(payment.id)) ?? payment;
    return this.settleHeld(current, ours);
  }

  /**
   * What a held job payment needs once held: refunded when its job does not want it (cancelled,
   * or another payment of it was held first), released when the job completed before the money
   * came in. Also run when the gateway's "paid" is heard again for a payment already held, so
   * that a failure between the hold and this step is finished by the gateway's retry or the
   * payer's confirm (no sweep revisits a held payment). Each move is once-only.
   *
   * @param ours whether the job's payment is this one (the hold just recorded it); read from the
   *   job when not given
   * @returns the payment as it ends
   */
  async settleHeld(current: PaymentEntity, ours?: boolean): Promise<PaymentEntity> {
    if (current.status !== PaymentStatus.Held || current.job === null) {
      return current;
    }
    const job = await this.jobsService.getById(current.job);
    if (!(ours ?? job.payment === current.id)) {
      return this.refund(current, 'duplicate_payment');
    }
    if (job.status === JobStatus.Cancelled) {
      return this.refund(current, 'job_cancelled');
    }
    if (job.status === JobStatus.Completed) {
      // completed by staff before the money came in: released now
      await this.release(job);
    }
    return current;
  }

  /**
   * A craftsman's top-up came in: gateway → his wallet (`payment:<id>:hold`, a `deposit`), the
   * payment `released`, then the fees he owes are paid from it first (API.md `POST
   * /wallet/top-up`).
   *
   * @returns the payment as it ends
   */
  private async creditTopUp(
    payment: PaymentEntity,
    transactionId: string | null,
  ): Promise<PaymentEntity> {
    const craftsmanId = payment.payee;
    const entry = await this.posted({
      idempotencyKey: `payment:${payment.id}:hold`,
      kind: LedgerEntryKind.TopUp,
      postings: [
        { account: LedgerAccount.gateway(payment.provider), amount: -payment.amount },
        { account: LedgerAccount.available(craftsmanId), amount: payment.amount },
      ],
      links: linksOf(payment),
      wallet: {
        ...walletView(craftsmanId, WalletTransactionType.Deposit, payment.amount, {
          gateway: payment.provider,
        }),
        gatewayTransactionId: transactionId,
      },
    });
    const credited = await this.payments.toppedUp(payment.id, this.clock.now(), transactionId);
    if (credited) {
      this.logger.log(`Top-up ${payment.id} paid into the wallet (entry ${entry.id})`);
    }
    // also on a replay: what a crash after the posting left undone (both are once-only)
    await this.wallet.changed(
      craftsmanId,
      entry,
      `Your top-up of ${formatEgp(payment.amount)} through ${payment.provider} was paid into your wallet`,
    );
    await this.wallet.settleFees(craftsmanId, entry.idempotencyKey);
    return credited ?? (await this.payments.findById(payment.id)) ?? payment;
  }

  /**
   * The job completed: its held payment goes from escrow to the craftsman's wallet minus the
   * platform's fee (PLATFORM_FEE_BPS, PLATFORM_FEE_MIN), once (`release:<jobId>`); fees he owes
   * are netted from it. Clears the job's `releaseDue`. Nothing moves while the job is not
   * `completed` (disputed since: the release waits for the dispute's outcome, API.md
   * "Disputes"); the flag stays for when it completes again.
   */
  async release(stale: JobEntity): Promise<void> {
    // read again: the sweep's batch, or the completion's event, may be older than a dispute
    const job = await this.jobsService.getById(stale.id);
    if (job.status !== JobStatus.Completed) {
      this.logger.warn(`Release of job ${job.id} waits: the job is ${job.status}`);
      return;
    }
    const payment = job.payment ? await this.payments.findById(job.payment) : null;
    if (!payment || !job.craftsman || payment.status !== PaymentStatus.Held) {
      // nothing held (refunded meanwhile), or released by an earlier run
      await this.jobsService.clearFlag(job.id, 'releaseDue');
      return;
    }
    if (payment.parked) {
      // part of it went back at the gateway: an admin decides what is released
      this.logger.warn(
        `Release of job ${job.id} left to an admin: payment ${payment.id} is parked`,
      );
      await this.jobsService.clearFlag(job.id, 'releaseDue');
      return;
    }
    const craftsmanId = job.craftsman;
    const fee = platformFee(payment.amount, {
      bps: this.settings.platformFeeBps,
      min: this.settings.platformFeeMin,
    });
    const net = payment.amount - fee;
    const postings: Posting[] = [
      { account: LedgerAccount.escrow(job.id), amount: -payment.amount },
      { account: LedgerAccount.available(craftsmanId), amount: net },
      { account: LedgerAccount.platformRevenue, amount: fee },
    ].filter((posting) => posting.amount !== 0);
    const { entry } = await this.ledger.post({
      idempotencyKey: `release:${job.id}`,
      kind: LedgerEntryKind.EscrowRelease,
      postings,
      links: { job: job.id, payment: payment.id },
      wallet: walletView(craftsmanId, WalletTransactionType.EscrowRelease, net, {
        gateway: payment.provider,
      }),
    });
    if (entry.state === LedgerEntryState.Voided) {
      this.logger.warn(`Release of job ${job.id} voided: the escrow no longer holds the payment`);
      await this.jobsService.clearFlag(job.id, 'releaseDue');
      return;
    }
    if (entry.state !== LedgerEntryState.Posted) {
      throw new Error(`The release of job ${job.id} is ${entry.state}, not posted`);
    }
    await this.payments.released(payment.id, this.clock.now());
    await this.wallet.changed(
      craftsmanId,
      entry,
      `${formatEgp(net)} for "${job.title}" was released to your wallet (${formatEgp(payment.amount)} minus the platform fee of ${formatEgp(fee)})`,
    );
    await this.wallet.settleFees(craftsmanId, entry.idempotencyKey);
    await this.jobsService.clearFlag(job.id, 'releaseDue');
  }

  /**
   * Gives a held payment back to its client: escrow → gateway (`payment:<id>:refund`), the
   * payment `refunded`, then the gateway asked to pay it back (retried until it does; a failure
   * shows on the payment for admins). With `atGateway`, the gateway refunded it already (its
   * dashboard, a chargeback): nothing is asked of it.
   *
   * @returns the payment as it ends
   */
  async refund(
    payment: PaymentEntity,
    reason: string,
    { atGateway = false }: { atGateway?: boolean } = {},
  ): Promise<PaymentEntity> {
    if (payment.parked && !atGateway) {
      // what the gateway holds of it is uncertain: an admin refunds it
      this.logger.warn(
        `Refund of payment ${payment.id} (${reason}) left to an admin: it is parked`,
      );
      return payment;
    }
    if (payment.job === null) {
      // a top-up is never in escrow: it was paid into the wallet
      return this.clawback(payment, reason, { atGateway });
    }
    const amount = payment.amount;
    const entry = await this.posted({
      idempotencyKey: `payment:${payment.id}:refund`,
      kind: LedgerEntryKind.EscrowRefund,
      postings: [
        { account: LedgerAccount.escrow(payment.job), amount: -amount },
        { account: LedgerAccount.gateway(payment.provider), amount },
      ],
      links: linksOf(payment),
      wallet: null,
    });
    if (entry.state === LedgerEntryState.Voided) {
      // the escrow does not hold it: released meanwhile, so it is taken back from the craftsman
      const released = await this.payments.findById(payment.id);
      return released?.status === PaymentStatus.Released
        ? this.clawback(released, reason, { atGateway })
        : (released ?? payment);
    }
    return this.markRefunded(payment, { from: [PaymentStatus.Held], amount, reason, atGateway });
  }

  /**
   * A released payment is refunded (the gateway refunded it, or a decision to): the gateway gets
   * it back (`payment:<id>:clawback`), from the platform's fee and from the craftsman, whose
   * share becomes money he owes (`feesOwed`, netted from his wallet as far as it goes). Nothing
   * goes below zero silently: what he can't cover shows as owed.
   */
  async clawback(
    payment: PaymentEntity,
    reason: string,
    { atGateway = false }: { atGateway?: boolean } = {},
  ): Promise<PaymentEntity> {
    const release = await this.releaseEntryOf(payment);
    const fee = release
      ? (release.postings.find((p) => p.account === LedgerAccount.platformRevenue)?.amount ?? 0)
      : 0;
    const net = payment.amount - fee;
    const entry = await this.posted({
      idempotencyKey: `payment:${payment.id}:clawback`,
      kind: LedgerEntryKind.PaymentClawback,
      postings: [
        { account: LedgerAccount.gateway(payment.provider), amount: payment.amount },
        { account: LedgerAccount.platformRevenue, amount: -fee },
        { account: LedgerAccount.feesOwed(payment.payee), amount: -net },
      ].filter((posting) => posting.amount !== 0),
      links: linksOf(payment),
      wallet: walletView(payment.payee, WalletTransactionType.Refund, -net, {
        gateway: payment.provider,
      }),
    });
    const refunded = await this.markRefunded(payment, {
      from: [PaymentStatus.Released],
      amount: payment.amount,
      reason,
      atGateway,
    });
    if (net > 0) {
      // paid from his available money first; only what that can't cover takes back his
      // withdrawals not paid out yet (before anyone pays out money he now owes)
      await this.wallet.settleFees(payment.payee, entry.idempotencyKey);
      await this.withdrawals.returnForDebt(
        payment.payee,
        'returned to pay back a payment refunded to its client',
      );
      await this.wallet.changed(
        payment.payee,
        entry,
        payment.job === null
          ? `Your top-up of ${formatEgp(net)} was refunded to you by ${payment.provider}: it is taken back from your wallet (what it can't cover, you owe)`
          : `${formatEgp(net)} released to you for a job was refunded to the client: it is taken back from your wallet (what it can't cover, you owe)`,
      );
    }
    return refunded;
  }

  /**
   * The payment `refunded` (or `partially_refunded`: a dispute's split) with its gateway refund
   * of `amount` piastres recorded, once (guarded on `from`), announced, then sent unless done.
   * @returns the payment as it ends
   */
  async markRefunded(
    payment: PaymentEntity,
    {
      from,
      amount,
      reason,
      atGateway = false,
      status = PaymentStatus.Refunded,
    }: {
      from: PaymentStatus[];
      amount: number;
      reason: string;
      atGateway?: boolean;
      status?: PaymentStatus.Refunded | PaymentStatus.PartiallyRefunded;
    },
  ): Promise<PaymentEntity> {
    const now = this.clock.now();
    const refunded = await this.payments.refunded(payment.id, from, status, amount, {
      state: atGateway ? RefundState.Done : RefundState.Due,
      amount,
      reason,
      attempts: 0,
      lastError: null,
      nextAttemptAt: atGateway ? null : now,
      refundId: null,
      doneAt: atGateway ? now : null,
    });
    if (atGateway && payment.job !== null) {
      // given back at the gateway while the job may still be hired: it waits for a new payment
      // (also on a replay: a crash may have come between the two writes)
      await this.jobsService.paymentRefunded(payment.job, payment.id);
    }
    if (!refunded) {
      // refunded by an earlier run: it sends what is still to send
      const current = (await this.payments.findById(payment.id)) ?? payment;
      return current.refund && current.refund.state !== RefundState.Done
        ? ((await this.gatewayRefunds.send(current.id)) ?? current)
        : current;
    }
    this.logger.log(`Payment ${payment.id} refunded (${reason})`);
    await this.publish(refunded, PaymentStatus.Refunded, amount);
    return atGateway ? refunded : ((await this.gatewayRefunds.send(refunded.id)) ?? refunded);
  }

  /**
   * What a crash or a failure left undone: releases of completed jobs and refunds of cancelled
   * ones (the gateway refunds themselves: `GatewayRefundsService.sweep`).
   *
   * @returns how many it moved
   */
  async sweep(): Promise<number> {
    let moved = 0;
    for (const job of await this.jobsService.findFlagged('releaseDue', SWEEP_BATCH)) {
      await this.release(job);
      moved += 1;
    }
    for (const job of await this.jobsService.findFlagged('refundDue', SWEEP_BATCH)) {
      await this.refundCancelled(job);
      moved += 1;
    }
    return moved;
  }

  /** A hired job was cancelled with its payment held: refunded in full. Clears `refundDue`. */
  async refundCancelled(job: JobEntity): Promise<void> {
    const payment = job.payment ? await this.payments.findById(job.payment) : null;
    if (payment?.status === PaymentStatus.Held) {
      await this.refund(payment, 'job_cancelled');
    }
    await this.jobsService.clearFlag(job.id, 'refundDue');
  }

  /** The release entry of a payment's job, if it was released (a top-up has none). */
  private async releaseEntryOf(payment: PaymentEntity): Promise<LedgerEntryEntity | null> {
    return payment.job === null ? null : this.ledger.findByKey(`release:${payment.job}`);
  }

  /**
   * Posts an entry that no guard can refuse for a reason the caller can fix, and expects it
   * settled (posted, or voided when a guard refused it).
   * @throws DomainError SERVICE_UNAVAILABLE when it could not be settled in time
   */
  async posted(input: Parameters<LedgerService['post']>[0]): Promise<LedgerEntryEntity> {
    const { entry } = await this.ledger.post(input);
    if (entry.state !== LedgerEntryState.Posted && entry.state !== LedgerEntryState.Voided) {
      throw WalletErrors.ledgerBusy();
    }
    return entry;
  }

  private async publish(
    payment: PaymentEntity,
    change: PaymentChangedEvent['change'],
    amount: number,
  ): Promise<void> {
    await this.events.publish(
      new PaymentChangedEvent(
        payment.id,
        payment.job,
        payment.payer,
        payment.payee,
        change,
        amount,
      ),
    );
  }
}

/** What a payment's ledger entries link to: the payment, and its job (none for a top-up). */
function linksOf(payment: PaymentEntity): { job?: string; payment: string } {
  return payment.job === null ? { payment: payment.id } : { job: payment.job, payment: payment.id };
}
