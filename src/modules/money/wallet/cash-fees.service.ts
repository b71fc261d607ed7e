import { Injectable, Logger } from '@nestjs/common';
import { formatEgp } from '../../../common/money.js';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock/clock.js';
import type { AllConfig } from '../../../config/config.js';
import type { MoneyConfig } from '../../../config/money.config.js';
import { PaymentType } from '../../jobs/job-status.js';
import type { JobEntity } from '../../jobs/schemas/job.schema.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import { FeeDebtPolicy } from '../fees/fee-debt.policy.js';
import { platformFee } from '../fees/platform-fee.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import { LedgerService } from '../ledger/ledger.service.js';
import {
  LedgerEntryKind,
  LedgerEntryState,
  WalletTransactionType,
} from '../ledger/schemas/ledger-entry.schema.js';
import { FeeRemindersRepository } from './fee-reminders.repository.js';
import { walletView, WalletService } from './wallet.service.js';

/** The most completed cash jobs one sweep charges (the next sweep takes the rest). */
const SWEEP_BATCH = 100;
/** How long one instance holds a reminder it is sending. */
const REMINDER_CLAIM_MS = 60_000;

/**
 * The platform fee of cash jobs (API.md "Money"): the client paid the craftsman in cash, so on
 * completion the fee becomes his debt (`fees_owed`), netted against money he gets later; he is
 * reminded 2 and 5 days after, and at FEE_DEBT_LIMIT he can't take cash jobs.
 */
@Injectable()
export class CashFeesService {
  private readonly logger = new Logger(CashFeesService.name);
  private readonly settings: MoneyConfig;

  constructor(
    private readonly wallet: WalletService,
    private readonly ledger: LedgerService,
    private readonly feeDebts: FeeDebtPolicy,
    private readonly reminders: FeeRemindersRepository,
    private readonly jobsService: JobsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.settings = config.get('money', { infer: true });
  }

  /**
   * Posts the fee of a completed cash job once (`fee:<jobId>`), however often it is called: by
   * the completion's event and by the sweep that catches what a crash left (`feeDue`).
   */
  async charge(job: JobEntity): Promise<void> {
    if (job.paymentType !== PaymentType.Cash || !job.craftsman || !job.jobPrice) {
      await this.jobsService.feePosted(job.id);
      return;
    }
    const craftsmanId = job.craftsman;
    const fee = platformFee(job.jobPrice, {
      bps: this.settings.platformFeeBps,
      min: this.settings.platformFeeMin,
    });
    if (fee > 0) {
      await this.postFee(job, craftsmanId, fee);
    }
    await this.jobsService.feePosted(job.id);
  }

  /**
   * Posts the fee, then what follows it; every step is safe to run again (a replay after a
   * crash finishes what the first run did not: the reminders, the notices, the netting).
   */
  private async postFee(job: JobEntity, craftsmanId: string, fee: number): Promise<void> {
    const { entry } = await this.ledger.post({
      idempotencyKey: `fee:${job.id}`,
      kind: LedgerEntryKind.CashJobFee,
      postings: [
        { account: LedgerAccount.feesOwed(craftsmanId), amount: -fee },
        { account: LedgerAccount.platformRevenue, amount: fee },
      ],
      links: { job: job.id },
      wallet: walletView(craftsmanId, WalletTransactionType.Fee, -fee),
    });
    if (entry.state !== LedgerEntryState.Posted) {
      throw new Error(`The fee of job ${job.id} is ${entry.state}, not posted`);
    }
    const now = this.clock.now();
    await this.reminders.schedule(
      craftsmanId,
      job.id,
      this.settings.feeReminderAfterMs.map((after) => new Date(now.getTime() + after)),
    );
    await this.wallet.changed(
      craftsmanId,
      entry,
      `The platform fee of "${job.title}" (${formatEgp(fee)}) was added to the fees you owe`,
    );
    await this.wallet.settleFees(craftsmanId, entry.idempotencyKey);
    // this fee took him to the limit (its notice is sent once, by its key)
    const owed = await this.feeDebts.owedBy(craftsmanId);
    if (this.feeDebts.isOverLimit(owed) && !this.feeDebts.isOverLimit(owed - fee)) {
      await this.notifications.notify({
        recipientId: craftsmanId,
        type: 'wallet.fee_debt_limit',
        context: { price: owed, limit: this.feeDebts.limit },
        data: { deepLink: '/wallet', jobId: job.id },
        dedupeKey: `wallet.fee_debt_limit:${job.id}`,
      });
    }
  }

  /**
   * Gives back the fee of a cash job a dispute decided was not paid (`no_payment`, or the client
   * refunded): the fee (`fee:<jobId>`), if it was posted, goes from the platform's revenue to the
   * craftsman's wallet (`fee:<jobId>:reversal`, once), where it pays what he still owes first;
   * nothing when it was never posted.
   * @returns the piastres given back (0 when there was no fee)
   */
  async reverse(job: JobEntity, reason: string): Promise<number> {
    const charged = await this.ledger.findByKey(`fee:${job.id}`);
    const craftsmanId = job.craftsman;
    if (!charged || charged.state !== LedgerEntryState.Posted || !craftsmanId) {
      return 0;
    }
    const fee =
      charged.postings.find((posting) => posting.account === LedgerAccount.platformRevenue)
        ?.amount ?? 0;
    if (fee <= 0) {
      return 0;
    }
    const { entry } = await this.ledger.post({
      idempotencyKey: `fee:${job.id}:reversal`,
      kind: LedgerEntryKind.FeeReversal,
      postings: [
        { account: LedgerAccount.platformRevenue, amount: -fee },
        { account: LedgerAccount.available(craftsmanId), amount: fee },
      ],
      links: { job: job.id },
      wallet: walletView(craftsmanId, WalletTransactionType.Fee, fee),
    });
    if (entry.state !== LedgerEntryState.Posted) {
      throw new Error(`The fee reversal of job ${job.id} is ${entry.state}, not posted`);
    }
    await this.wallet.settleFees(craftsmanId, entry.idempotencyKey);
    await this.wallet.changed(
      craftsmanId,
      entry,
      `The platform fee of "${job.title}" (${formatEgp(fee)}) was given back: ${reason}`,
    );
    return fee;
  }

  /**
   * Charges completed cash jobs whose fee a crash left unposted (`feeDue`).
   * @returns how many were charged
   */
  async chargeDue(): Promise<number> {
    const due = await this.jobsService.findWithFeeDue(SWEEP_BATCH);
    for (const job of due) {
      await this.charge(job);
    }
    return due.length;
  }

  /**
   * Sends the fee reminders that are due, to craftsmen who still owe fees.
   * @returns how many were sent
   */
  async sendReminders(): Promise<number> {
    let sent = 0;
    for (;;) {
      const now = this.clock.now();
      const reminder = await this.reminders.claimDue(
        now,
        new Date(now.getTime() + REMINDER_CLAIM_MS),
      );
      if (!reminder) {
        return sent;
      }
      const owed = await this.feeDebts.owedBy(reminder.craftsman);
      if (owed > 0) {
        await this.notifications.notify({
          recipientId: reminder.craftsman,
          type: 'wallet.fee_reminder',
          context: { price: owed, limit: this.feeDebts.limit },
          data: { deepLink: '/wallet', jobId: reminder.job },
          dedupeKey: `wallet.fee_reminder:${reminder.job}:${reminder.step}`,
        });
        sent += 1;
      }
      await this.reminders.markDone(reminder.id);
      this.logger.log(
        `Fee reminder ${reminder.step} of job ${reminder.job}: ${owed > 0 ? 'sent' : 'not needed'}`,
      );
    }
  }
}
