import { Injectable, Logger } from '@nestjs/common';
import type { TimelineRead } from '../../common/database/timeline.js';
import { OnEvent } from '@nestjs/event-emitter';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import { JobCancelledEvent } from '../jobs/events/job-cancelled.event.js';
import { isOpen, JobStatus, PaymentType } from '../jobs/job-status.js';
import { JobsErrors } from '../jobs/jobs.errors.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import { JobSummaryDto } from '../jobs/dto/job-summary.dto.js';
import { FeeDebtPolicy } from '../money/fees/fee-debt.policy.js';
import { UserSummaryDto } from '../users/dto/user-summary.dto.js';
import { UserBannedEvent } from '../users/events/user-banned.event.js';
import { AccountStandingService } from '../users/account-standing.service.js';
import { UsersService } from '../users/users.service.js';
import type { ConfirmQuoteDto } from './dto/confirm-quote.dto.js';
import type { CreateQuoteDto } from './dto/create-quote.dto.js';
import type { QuoteResponseDto } from './dto/quote-response.dto.js';
import { QuoteAcceptedEvent } from './events/quote-accepted.event.js';
import { type QuoteDeclineReason, QuoteDeclinedEvent } from './events/quote-declined.event.js';
import { QuoteConfirmedEvent } from './events/quote-confirmed.event.js';
import { QuoteSubmittedEvent } from './events/quote-submitted.event.js';
import { QuoteWithdrawnEvent, type QuoteWithdrawReason } from './events/quote-withdrawn.event.js';
import { QuotesErrors } from './quotes.errors.js';
import { QuotesRepository } from './quotes.repository.js';
import { type QuoteEntity, QuoteStatus } from './schemas/quote.schema.js';

@Injectable()
export class QuotesService {
  private readonly logger = new Logger(QuotesService.name);

  constructor(
    private readonly quotesRepository: QuotesRepository,
    private readonly jobsService: JobsService,
    private readonly usersService: UsersService,
    private readonly standing: AccountStandingService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly feeDebts: FeeDebtPolicy,
  ) {}

  /**
   * One quote per craftsman per job (a unique index decides), on an open job only; bound to the
   * job's edition as the craftsman read it, so an edit landing meanwhile outdates it. A cash
   * job refuses a craftsman who owes FEE_DEBT_LIMIT or more in fees (409 FEE_DEBT_LIMIT).
   */
  async submit(craftsman: AuthUser, jobId: string, input: CreateQuoteDto): Promise<QuoteEntity> {
    const job = await this.jobsService.requireOpen(jobId);
    if (job.paymentType === PaymentType.Cash) {
      await this.feeDebts.assertMayTakeCashJobs(craftsman.id);
    }
    let quote: QuoteEntity;
    try {
      quote = await this.quotesRepository.create({
        ...input,
        job: jobId,
        craftsman: craftsman.id,
        client: job.client,
        jobEdition: job.edition,
      });
    } catch (error) {
      throw isDuplicateKeyError(error) ? QuotesErrors.alreadyQuoted() : error;
    }
    // the client and the craftsman in one read: the notifications name both
    await this.usersService.readAhead([job.client, craftsman.id]);
    // the job may have been hired or cancelled between the check and the insert: it is
    // counted only while open, else the quote is taken back
    if (!(await this.jobsService.recordQuote(job))) {
      await this.quotesRepository.delete(quote.id);
      throw JobsErrors.notOpen();
    }
    await this.events.publish(
      new QuoteSubmittedEvent(quote.id, jobId, job.client, craftsman.id, quote.price),
    );
    return quote;
  }

  hasQuoted(jobId: string, craftsmanId: string): Promise<boolean> {
    return this.quotesRepository.existsFor(jobId, craftsmanId);
  }

  /** For the marketplace's own use (notifications): no access check. */
  async getById(id: string): Promise<QuoteEntity> {
    const quote = await this.quotesRepository.findById(id);
    if (!quote) {
      throw QuotesErrors.notFound();
    }
    return quote;
  }

  craftsmenWhoQuoted(jobId: string): Promise<string[]> {
    return this.quotesRepository.craftsmenWhoQuoted(jobId);
  }

  async listForJob(
    viewer: AuthUser,
    jobId: string,
    page: PageRequest,
  ): Promise<Paginated<QuoteEntity>> {
    const job = await this.jobsService.getById(jobId);
    if (job.client !== viewer.id) {
      throw QuotesErrors.notYourJob();
    }
    return this.quotesRepository.listForJob(jobId, page);
  }

  listMine(craftsman: AuthUser, page: PageRequest): Promise<Paginated<QuoteEntity>> {
    return this.quotesRepository.listForCraftsman(craftsman.id, page);
  }

  /**
   * Hires the quote's craftsman. The job's conditional move to `hired` is the commit point: of
   * two quotes accepted at once one hires, the other gets JOB_NOT_OPEN; a material edit of the
   * job since the quote was made refuses it (QUOTE_OUTDATED, in the same conditional write). A
   * banned craftsman is refused (CRAFTSMAN_SUSPENDED), also when the ban lands during the hire:
   * his standing is read again after the quote is marked accepted, and the hire is undone before
   * anyone hears of it. The steps after the commit (others declined) are idempotent, so a request
   * that died half-way is completed by sending it again, and never hires twice.
   */
  async accept(owner: AuthUser, jobId: string, quoteId: string): Promise<JobEntity> {
    const job = await this.jobsService.getById(jobId);
    if (job.client !== owner.id) {
      throw QuotesErrors.notYourJob();
    }
    const quote = await this.quotesRepository.findById(quoteId);
    if (!quote || quote.job !== jobId) {
      throw QuotesErrors.notFound();
    }
    await this.standing.assertInGoodStanding({ craftsmanId: quote.craftsman });
    if (quote.status !== QuoteStatus.Pending && quote.status !== QuoteStatus.Accepted) {
      throw QuotesErrors.notPending(quote.status);
    }
    if (isOpen(job.status) && quote.jobEdition < job.edition) {
      throw QuotesErrors.outdated();
    }
    if (isOpen(job.status) && job.paymentType === PaymentType.Cash) {
      await this.feeDebts.assertMayBeHiredForCash(quote.craftsman);
    }
    const at = this.clock.now();
    const hired = await this.jobsService.hire(
      jobId,
      { quoteId, craftsmanId: quote.craftsman, price: quote.price, edition: quote.jobEdition },
      () => this.confirmHire(quote, at),
    );
    const current = hired ?? (await this.jobsService.getById(jobId));
    const reRun = !hired && current.status === JobStatus.Hired && current.acceptedQuote === quoteId;
    if (!hired && !reRun) {
      throw isOpen(current.status) && current.edition !== quote.jobEdition
        ? QuotesErrors.outdated()
        : JobsErrors.notOpen();
    }
    if (reRun) {
      await this.quotesRepository.markAccepted(quoteId, at);
    }
    await this.declineOthers(jobId, at, 'another_quote_accepted', quoteId);
    if (hired) {
      await this.events.publish(
        new QuoteAcceptedEvent(quoteId, jobId, job.client, quote.craftsman, quote.price),
      );
    }
    return current;
  }

  /**
   * The craftsman confirms his pending quote for the job as it is now (after a material edit),
   * optionally at a new price; the client is told (`quote.confirmed`). 403 for anyone but the
   * quote's craftsman, 409 JOB_NOT_OPEN / QUOTE_NOT_PENDING.
   */
  async confirm(
    craftsman: AuthUser,
    jobId: string,
    quoteId: string,
    input: ConfirmQuoteDto,
  ): Promise<QuoteEntity> {
    const quote = await this.quotesRepository.findById(quoteId);
    if (!quote || quote.job !== jobId) {
      throw QuotesErrors.notFound();
    }
    if (quote.craftsman !== craftsman.id) {
      throw QuotesErrors.notYourQuote();
    }
    const job = await this.jobsService.requireOpen(jobId);
    if (quote.status !== QuoteStatus.Pending) {
      throw QuotesErrors.notPending(quote.status);
    }
    const confirmed = await this.quotesRepository.confirm(quoteId, craftsman.id, {
      jobEdition: job.edition,
      at: this.clock.now(),
      price: input.price,
    });
    if (!confirmed) {
      // declined (the job was hired or cancelled) or withdrawn meanwhile
      throw QuotesErrors.notPending((await this.getById(quoteId)).status);
    }
    await this.events.publish(
      new QuoteConfirmedEvent(
        quoteId,
        jobId,
        job.client,
        craftsman.id,
        confirmed.price,
        quote.price,
      ),
    );
    return confirmed;
  }

  /** Every quote of the craftsman, newest first (his data export). */
  allOfCraftsman(craftsmanId: string): Promise<QuoteEntity[]> {
    return this.quotesRepository.findAllOfCraftsman(craftsmanId);
  }

  /** A page of the craftsman's quotes, for his history (see TimelineRead). */
  historyOf(read: TimelineRead): Promise<QuoteEntity[]> {
    return this.quotesRepository.findForHistory(read);
  }

  /**
   * The craftsman's account is being deleted: his pending quotes are withdrawn
   * (`account_deleted`), each client told. Idempotent. Answers how many were withdrawn.
   */
  withdrawAllForDeletion(craftsmanId: string): Promise<number> {
    return this.withdrawPendingOf(craftsmanId, 'account_deleted');
  }

  /** The craftsmen whose quotes on the job are pending: those a job edit concerns. */
  craftsmenWithPendingQuotes(jobId: string): Promise<string[]> {
    return this.quotesRepository.craftsmenWithPendingQuotes(jobId);
  }

  /**
   * A ban withdraws the user's pending quotes (API.md "Quotes", banned users); each client is
   * told. Idempotent: a replay of the ban (the settling sweep) finds nothing pending. Unbanning
   * gives nothing back. Failures propagate, so that the ban stays unsettled and is retried.
   */
  @OnEvent(UserBannedEvent.eventName)
  async onUserBanned(event: UserBannedEvent): Promise<void> {
    await this.withdrawPendingOf(event.userId);
  }

  @OnEvent(JobCancelledEvent.eventName)
  async onJobCancelled(event: JobCancelledEvent): Promise<void> {
    try {
      await this.declineOthers(event.jobId, this.clock.now(), 'job_cancelled');
    } catch (error) {
      this.logger.error(
        `Could not decline the quotes of cancelled job ${event.jobId}: ${String(error)}`,
      );
    }
  }

  async toResponses(quotes: QuoteEntity[]): Promise<QuoteResponseDto[]> {
    const [jobs, craftsmen] = await Promise.all([
      this.jobsService.getMany(quotes.map((quote) => quote.job)),
      this.usersService.getSummaries(quotes.map((quote) => quote.craftsman)),
    ]);
    return quotes.map((quote) => {
      const job = jobs.get(quote.job);
      const craftsman = craftsmen.get(quote.craftsman);
      return {
        id: quote.id,
        job: job ? JobSummaryDto.from(job) : null,
        craftsman: craftsman ? UserSummaryDto.from(craftsman) : null,
        price: quote.price,
        notes: quote.notes,
        estimatedDays: quote.estimatedDays,
        status: quote.status,
        decidedAt: quote.decidedAt,
        confirmedAt: quote.confirmedAt,
        outdated:
          job !== undefined &&
          isOpen(job.status) &&
          quote.status === QuoteStatus.Pending &&
          quote.jobEdition < job.edition,
        createdAt: quote.createdAt,
        updatedAt: quote.updatedAt,
      };
    });
  }

  /**
   * Inside the hire, before anyone is told: the quote becomes accepted (only from pending, so a
   * concurrent withdrawal wins or loses cleanly), then the craftsman's standing is read again. A
   * ban stored before that read refuses the hire; one stored after it comes after the hire.
   */
  private async confirmHire(quote: QuoteEntity, at: Date): Promise<void> {
    if (!(await this.quotesRepository.markAccepted(quote.id, at))) {
      await this.standing.assertInGoodStanding({ craftsmanId: quote.craftsman });
      throw QuotesErrors.notPending((await this.getById(quote.id)).status);
    }
    try {
      await this.standing.assertInGoodStanding({ craftsmanId: quote.craftsman });
    } catch (error) {
      await this.quotesRepository.reopen(quote.id);
      await this.withdrawPendingOf(quote.craftsman);
      throw error;
    }
  }

  private async withdrawPendingOf(
    craftsmanId: string,
    reason: QuoteWithdrawReason = 'craftsman_suspended',
  ): Promise<number> {
    const withdrawn = await this.quotesRepository.withdrawPendingOf(craftsmanId, this.clock.now());
    for (const quote of withdrawn) {
      await this.events.publish(
        new QuoteWithdrawnEvent(quote.id, quote.job, quote.client, quote.craftsman, reason),
      );
    }
    return withdrawn.length;
  }

  private async declineOthers(
    jobId: string,
    at: Date,
    reason: QuoteDeclineReason,
    exceptId?: string,
  ): Promise<void> {
    const declined = await this.quotesRepository.declinePending(jobId, at, exceptId);
    for (const quote of declined) {
      await this.events.publish(
        new QuoteDeclinedEvent(quote.id, jobId, quote.client, quote.craftsman, reason),
      );
    }
  }
}
