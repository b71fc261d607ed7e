import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Cron, CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { AllConfig } from '../../config/config.js';
import { AuthService } from '../auth/auth.service.js';
import { DisputeResolutionService } from '../disputes/dispute-resolution.service.js';
import { DisputesService } from '../disputes/disputes.service.js';
import { InvitationExpiryService } from '../invitations/invitation-expiry.service.js';
import { LedgerSweeper } from '../money/ledger/ledger.sweeper.js';
import { CashFeesService } from '../money/wallet/cash-fees.service.js';
import { WithdrawalsService } from '../money/wallet/withdrawals.service.js';
import { EscrowService } from '../money/payments/escrow.service.js';
import { UploadsService } from '../files/uploads.service.js';
import { GatewayRefundsService } from '../money/payments/gateway-refunds.service.js';
import { PaymentsService } from '../money/payments/payments.service.js';
import { JobCompletionService } from '../jobs/job-completion.service.js';
import { AccountDeletionService } from '../privacy/account-deletion.service.js';
import { ReviewPublicationService } from '../reviews/review-publication.service.js';
import { UsersService } from '../users/users.service.js';

export const INVITATION_SWEEP_JOB = 'invitation-sweep';

/**
 * Every schedule of the app, each delegating to the service that owns the work. Each job is
 * safe to run on several instances at once; within one instance a run never overlaps itself.
 */
@Injectable()
export class CronService implements OnModuleInit {
  private readonly logger = new Logger(CronService.name);
  private sweeping = false;
  private publishingReviews = false;
  private sweepingDisputes = false;
  private sweepingUploads = false;
  private deletingAccounts = false;

  constructor(
    private readonly authService: AuthService,
    private readonly invitationExpiry: InvitationExpiryService,
    private readonly usersService: UsersService,
    private readonly ledgerSweeper: LedgerSweeper,
    private readonly cashFees: CashFeesService,
    private readonly withdrawals: WithdrawalsService,
    private readonly escrow: EscrowService,
    private readonly gatewayRefunds: GatewayRefundsService,
    private readonly payments: PaymentsService,
    private readonly jobCompletion: JobCompletionService,
    private readonly reviewPublication: ReviewPublicationService,
    private readonly disputes: DisputesService,
    private readonly disputeResolutions: DisputeResolutionService,
    private readonly uploads: UploadsService,
    private readonly accountDeletions: AccountDeletionService,
    private readonly schedulerRegistry: SchedulerRegistry,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  /** The invitation sweep runs on INVITATION_SWEEP_CRON (every minute by default). */
  onModuleInit(): void {
    const expression = this.config.get('invitations', { infer: true }).sweepCron;
    const job = CronJob.from({
      cronTime: expression,
      onTick: () => this.sweepInvitations(),
      start: false,
    });
    this.schedulerRegistry.addCronJob(INVITATION_SWEEP_JOB, job);
    job.start();
  }

  /** Expires due invitations, then reminds the craftsmen of those about to expire. */
  async sweepInvitations(): Promise<void> {
    if (this.sweeping) {
      return;
    }
    this.sweeping = true;
    try {
      await this.invitationExpiry.expireDue();
      await this.invitationExpiry.sendReminders();
    } catch (error) {
      this.logger.error(`Invitation sweep failed: ${String(error)}`, (error as Error)?.stack);
    } finally {
      this.sweeping = false;
    }
  }

  /** Bans whose effects a crash or a failure left incomplete (UsersService.settleBans). */
  @Cron(CronExpression.EVERY_MINUTE, { name: 'settle-bans' })
  async settleBans(): Promise<void> {
    try {
      const settled = await this.usersService.settleBans();
      if (settled > 0) {
        this.logger.log(`Settled ${settled} bans whose effects were incomplete`);
      }
    } catch (error) {
      this.logger.error(`Settling bans failed: ${String(error)}`, (error as Error)?.stack);
    }
  }

  /**
   * Money's time rules, in order: ledger entries a crash left half-applied, then fees of
   * completed cash jobs still to post, fee reminders due, payouts to send or settle, jobs that
   * complete by themselves (and their clients' reminders), escrow releases and refunds a crash
   * left undone, gateway refunds to (re)send, and payments never paid.
   */
  @Cron(CronExpression.EVERY_MINUTE, { name: 'money-sweep' })
  async sweepMoney(): Promise<void> {
    const steps: Array<[string, () => Promise<number>]> = [
      ['ledger entries finished', () => this.ledgerSweeper.sweep()],
      ['cash-job fees posted', () => this.cashFees.chargeDue()],
      ['fee reminders sent', () => this.cashFees.sendReminders()],
      ['withdrawals moved', () => this.withdrawals.sweep()],
      ['jobs completed by themselves', () => this.jobCompletion.autoCompleteDue()],
      ['auto-completion reminders sent', () => this.jobCompletion.sendAutoCompleteReminders()],
      ['escrow releases and refunds moved', () => this.escrow.sweep()],
      ['gateway refunds attempted', () => this.gatewayRefunds.sweep()],
      ['unpaid payments closed', () => this.payments.sweepExpired()],
    ];
    for (const [what, step] of steps) {
      try {
        const count = await step();
        if (count > 0) {
          this.logger.log(`Money sweep: ${count} ${what}`);
        }
      } catch (error) {
        this.logger.error(
          `Money sweep (${what}) failed: ${String(error)}`,
          (error as Error)?.stack,
        );
      }
    }
  }

  /**
   * Reviews due for publication (pair complete, `revealAt` passed, a dispute ended), reviews a
   * crash left published but not counted, then the reminders due before `revealAt`
   * (ReviewPublicationService).
   */
  @Cron(CronExpression.EVERY_MINUTE, { name: 'review-publication' })
  async publishReviews(): Promise<void> {
    if (this.publishingReviews) {
      return;
    }
    this.publishingReviews = true;
    try {
      const published = await this.reviewPublication.sweep();
      const reminded = await this.reviewPublication.sendReminders();
      if (published + reminded > 0) {
        this.logger.log(`Reviews: ${published} published or counted, ${reminded} jobs reminded`);
      }
    } catch (error) {
      this.logger.error(`Review publication failed: ${String(error)}`, (error as Error)?.stack);
    } finally {
      this.publishingReviews = false;
    }
  }

  /**
   * Dispute reminders before `respondBy`, SLA alerts to admins, and disputes a crash left
   * half-opened or half-resolved (DisputesService.sweep).
   */
  @Cron(CronExpression.EVERY_MINUTE, { name: 'dispute-sla' })
  async sweepDisputes(): Promise<void> {
    if (this.sweepingDisputes) {
      return;
    }
    this.sweepingDisputes = true;
    try {
      const { reminders, alerts, repaired: reopened } = await this.disputes.sweep();
      const repaired = reopened + (await this.disputeResolutions.sweep());
      if (reminders + alerts + repaired > 0) {
        this.logger.log(
          `Disputes: ${reminders} reminders, ${alerts} SLA alerts, ${repaired} repaired`,
        );
      }
    } catch (error) {
      this.logger.error(`Dispute sweep failed: ${String(error)}`, (error as Error)?.stack);
    } finally {
      this.sweepingDisputes = false;
    }
  }

  /** Deletes uploads nothing points at: replaced, removed, or never attached (UploadsService.sweep). */
  @Cron(CronExpression.EVERY_5_MINUTES, { name: 'upload-sweep' })
  async sweepUploads(): Promise<void> {
    if (this.sweepingUploads) {
      return;
    }
    this.sweepingUploads = true;
    try {
      await this.uploads.sweep();
    } catch (error) {
      this.logger.error(`Upload sweep failed: ${String(error)}`, (error as Error)?.stack);
    } finally {
      this.sweepingUploads = false;
    }
  }

  /** Accounts whose deletion is due: anonymised, or postponed (AccountDeletionService.runDue). */
  @Cron(CronExpression.EVERY_MINUTE, { name: 'account-deletions' })
  async runDueDeletions(): Promise<void> {
    if (this.deletingAccounts) {
      return;
    }
    this.deletingAccounts = true;
    try {
      const deleted = await this.accountDeletions.runDue();
      if (deleted > 0) {
        this.logger.log(`Deleted (anonymised) ${deleted} accounts at their owners' request`);
      }
    } catch (error) {
      this.logger.error(`Account deletions failed: ${String(error)}`, (error as Error)?.stack);
    } finally {
      this.deletingAccounts = false;
    }
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'purge-expired-tokens' })
  async purgeExpiredTokens(): Promise<void> {
    const purged = await this.authService.purgeExpiredTokens();
    if (purged > 0) {
      this.logger.log(`Purged ${purged} expired token revocations, reset and verification links`);
    }
  }
}
