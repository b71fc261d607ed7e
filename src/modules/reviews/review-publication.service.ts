import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../common/clock/clock.js';
import { RequestReads } from '../../common/database/request-reads.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { AllConfig } from '../../config/config.js';
import { JobStatus } from '../jobs/job-status.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import { UsersService } from '../users/users.service.js';
import { ReviewReminderDueEvent } from './events/review-reminder-due.event.js';
import { ReviewsPublishedEvent } from './events/reviews-published.event.js';
import { ReviewRemindersRepository } from './review-reminders.repository.js';
import { ReviewsRepository } from './reviews.repository.js';
import { type ReviewEntity, ReviewStatus } from './schemas/review.schema.js';

/** Jobs the sweep reads per round, and how many of them it publishes at once. */
const SWEEP_BATCH = 500;
const SWEEP_CONCURRENCY = 16;
/** A sweep run stops after this many rounds; the next minute's run goes on. */
const MAX_ROUNDS = 1000;
/** How soon the sweep looks again at a disputed job's due reviews (they wait for its end). */
export const FROZEN_RECHECK_MS = 60_000;
/**
 * A published review not counted after this long was left by a publisher that died (the live
 * path counts within milliseconds): the sweep counts it.
 */
const COUNT_GRACE_MS = 60_000;

/**
 * When reviews become public, and the one place their ratings enter the reviewees' aggregates.
 *
 * Double-blind as Airbnb runs it (14 days after the stay; both reviews published when both are
 * in or at the deadline, each editable until then), with publication as a transition of the
 * transaction as in Sharetribe (`transition/review-2-by-customer` → `transition/expire-review-
 * period` publishes both): a job's hidden reviews are published together, when its pair is
 * complete or the first `revealAt` passes, and never while the job is `disputed` (read at
 * publication time: they wait, and go out when the job leaves `disputed`).
 *
 * Exactly once, with any number of instances and crashes:
 * 1. publish: `{_id, status: hidden}` → `published` is one guarded write; of all the callers
 *    (two requests, two instances' sweeps) exactly one gets the review back, and only that one
 *    goes on with it;
 * 2. announce: ReviewsPublishedEvent, whose notifications carry a dedupe key per job and
 *    recipient (announced again after a crash, they are not sent twice);
 * 3. count: the reviewee's `$inc {ratingSum, ratingCount}` guarded by the review's id not being
 *    among his `countedReviews` markers, pushed in the same write
 *    (UsersRepository.countPublishedReview), then `rating` from the new totals;
 * 4. mark: `countedAt` on the review.
 * A crash after 1 leaves the review published with `countedAt` null; the sweep (recountUncounted)
 * does 2–4 again, and the marker makes 3 a no-op if it had been done. Nothing the reviewee's
 * profile, search or recommendations read moves before step 1.
 */
@Injectable()
export class ReviewPublicationService {
  private readonly logger = new Logger(ReviewPublicationService.name);
  private readonly reminderBeforeMs: number;

  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly reminders: ReviewRemindersRepository,
    private readonly jobsService: JobsService,
    private readonly usersService: UsersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.reminderBeforeMs = config.get('trust', { infer: true }).reviewReminderBeforeMs;
  }

  /**
   * Publishes the job's hidden reviews if they are due (both sides in, or a `revealAt` passed)
   * and the job is not disputed. Answers the reviews this call published.
   */
  async publishJob(jobId: string): Promise<ReviewEntity[]> {
    const [job] = (await this.jobsService.getMany([jobId])).values();
    return job ? this.publishIfDue(job, await this.reviews.findForJob(jobId)) : [];
  }

  /**
   * The minute sweep: publishes every job whose hidden reviews are due, then finishes the
   * reviews a crash left published but not counted. Safe on any number of instances at once.
   * Answers how many reviews this call published or counted.
   */
  async sweep(): Promise<number> {
    let done = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const jobIds = await this.reviews.findJobsDue(this.clock.now(), SWEEP_BATCH);
      if (jobIds.length === 0) {
        break;
      }
      done += await this.publishJobs(jobIds);
    }
    return done + (await this.recountUncounted());
  }

  /** Reviews published more than COUNT_GRACE_MS ago and not counted: announced and counted. */
  async recountUncounted(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - COUNT_GRACE_MS);
    let done = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const uncounted = await this.reviews.findUncounted(before, SWEEP_BATCH);
      if (uncounted.length === 0) {
        break;
      }
      const jobs = await this.jobsService.getMany([...new Set(uncounted.map((r) => r.job))]);
      await inBatches(uncounted, SWEEP_CONCURRENCY, async (review) => {
        const job = jobs.get(review.job);
        if (job) {
          await this.announce(job, [review]);
        }
        await this.count(review);
      });
      done += uncounted.length;
    }
    return done;
  }

  /**
   * The reminders due (REVIEW_REMINDER_BEFORE before `revealAt`), each claimed by one sweep:
   * to each side that hasn't reviewed, once. Answers how many jobs were reminded about.
   */
  async sendReminders(): Promise<number> {
    let sent = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const now = this.clock.now();
      const due = await this.reminders.findDue(now, SWEEP_BATCH);
      if (due.length === 0) {
        break;
      }
      for (const reminder of due) {
        if (!(await this.reminders.claim(reminder.id, now)) || reminder.revealAt <= now) {
          continue;
        }
        const reviewed = new Set(await this.reviews.reviewersOf(reminder.job));
        const missing = [reminder.client, reminder.craftsman].filter((id) => !reviewed.has(id));
        if (missing.length > 0) {
          await this.events.publish(
            new ReviewReminderDueEvent(reminder.job, missing, reminder.revealAt),
          );
          sent += 1;
        }
      }
    }
    return sent;
  }

  /** A job completed: its reminder, due REVIEW_REMINDER_BEFORE before its `revealAt`. */
  async scheduleReminder(job: JobEntity, revealAt: Date): Promise<void> {
    if (!job.craftsman) {
      return;
    }
    await this.reminders.schedule({
      job: job.id,
      client: job.client,
      craftsman: job.craftsman,
      revealAt,
      remindAt: new Date(revealAt.getTime() - this.reminderBeforeMs),
    });
  }

  private async publishJobs(jobIds: string[]): Promise<number> {
    const [jobs, reviews] = await Promise.all([
      this.jobsService.getMany(jobIds),
      this.reviews.findForJobs(jobIds),
    ]);
    const byJob = new Map<string, ReviewEntity[]>();
    for (const review of reviews) {
      byJob.set(review.job, [...(byJob.get(review.job) ?? []), review]);
    }
    let published = 0;
    await inBatches(jobIds, SWEEP_CONCURRENCY, async (jobId) => {
      const job = jobs.get(jobId);
      try {
        if (!job) {
          throw new Error(`job ${jobId} not found`);
        }
        const mine = await this.publishIfDue(job, byJob.get(jobId) ?? []);
        published += mine.length;
      } catch (error) {
        // not this run's again: a failing job must not hold up the others
        await this.reviews.postpone(jobId, this.later());
        this.logger.error(
          `Publishing the reviews of job ${jobId} failed: ${String(error)}`,
          (error as Error)?.stack,
        );
      }
    });
    return published;
  }

  private async publishIfDue(job: JobEntity, reviews: ReviewEntity[]): Promise<ReviewEntity[]> {
    const now = this.clock.now();
    const hidden = reviews.filter((review) => review.status === ReviewStatus.Hidden);
    const due =
      hidden.length > 0 &&
      (reviews.length >= 2 || reviews.some((review) => review.revealAt <= now));
    if (!due) {
      // not this job's time (a sweep found it through a stale `publishAfter`): back to revealAt
      for (const review of hidden) {
        await this.reviews.reschedule(review.id, review.revealAt);
      }
      return [];
    }
    // the job's status as it is now, not as this request or this sweep's batch read it: a
    // dispute opened meanwhile (another request) freezes the reviews. The read is the
    // publication's moment: a dispute opened after it comes after the publication
    const current = await RequestReads.outside(() => this.jobsService.getById(job.id));
    if (current.status === JobStatus.Disputed) {
      // frozen: looked at again soon, published as soon as the job leaves `disputed`
      await this.reviews.postpone(job.id, this.later());
      return [];
    }
    const published: ReviewEntity[] = [];
    for (const review of hidden) {
      const mine = await this.reviews.publish(review.id, now);
      if (mine) {
        published.push(mine);
      }
    }
    if (published.length === 0) {
      return [];
    }
    await this.announce(job, published);
    for (const review of published) {
      await this.count(review);
    }
    return published;
  }

  private async announce(job: JobEntity, reviews: ReviewEntity[]): Promise<void> {
    if (!job.craftsman) {
      return;
    }
    await this.events.publish(
      new ReviewsPublishedEvent(
        job.id,
        job.client,
        job.craftsman,
        reviews.map((review) => review.id),
        this.clock.now(),
      ),
    );
  }

  private async count(review: ReviewEntity): Promise<void> {
    await this.usersService.countPublishedReview(review.reviewee, review.id, review.rating);
    await this.reviews.markCounted(review.id, this.clock.now());
  }

  private later(): Date {
    return new Date(this.clock.now().getTime() + FROZEN_RECHECK_MS);
  }
}

/** `work` on each item, at most `concurrency` at once. */
async function inBatches<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}
