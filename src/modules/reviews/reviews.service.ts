import { Injectable } from '@nestjs/common';
import type { TimelineRead } from '../../common/database/timeline.js';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import type { AllConfig } from '../../config/config.js';
import { JobStatus } from '../jobs/job-status.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import type { CreateReviewDto } from './dto/create-review.dto.js';
import type { UpdateReviewDto } from './dto/update-review.dto.js';
import { ReviewSubmittedEvent } from './events/review-submitted.event.js';
import { isStaff } from './review.mapper.js';
import { ReviewPublicationService } from './review-publication.service.js';
import { ReviewsErrors } from './reviews.errors.js';
import { ReviewsRepository } from './reviews.repository.js';
import { type ReviewEntity, ReviewStatus } from './schemas/review.schema.js';

/** Writing, editing, answering and listing reviews (API.md "Reviews (double-blind)"). */
@Injectable()
export class ReviewsService {
  private readonly windowMs: number;

  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly publication: ReviewPublicationService,
    private readonly jobsService: JobsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.windowMs = config.get('trust', { infer: true }).reviewWindowMs;
  }

  /** The end of a completed job's window: `completedAt` + REVIEW_WINDOW. */
  revealAtOf(completedAt: Date): Date {
    return new Date(completedAt.getTime() + this.windowMs);
  }

  /**
   * One side's review of a completed job, hidden until the pair is complete or `revealAt`.
   * One per side per job: a unique index on (job, reviewer) decides between concurrent ones.
   * After the insert the job's reviews are read again: of two sides submitting at once, the one
   * whose read comes last sees both and publishes them (ReviewPublicationService.publishJob).
   *
   * @throws NOT_FOUND (no such job), FORBIDDEN (not its client nor its hired craftsman),
   *   JOB_NOT_COMPLETED, REVIEW_WINDOW_CLOSED (after `revealAt`), ALREADY_REVIEWED
   */
  async submit(author: AuthUser, input: CreateReviewDto): Promise<ReviewEntity> {
    const job = await this.jobsService.getById(input.jobId);
    const reviewee = this.otherSide(job, author.id);
    if (job.status !== JobStatus.Completed || !job.completedAt) {
      throw ReviewsErrors.jobNotCompleted(job.status);
    }
    const revealAt = this.revealAtOf(job.completedAt);
    if (this.clock.now() > revealAt) {
      throw ReviewsErrors.windowClosed(revealAt);
    }
    let review: ReviewEntity;
    try {
      review = await this.reviews.create({
        job: job.id,
        reviewer: author.id,
        reviewee,
        rating: input.rating,
        comment: input.comment,
        privateNote: input.privateNote,
        revealAt,
        publishAfter: revealAt,
      });
    } catch (error) {
      throw isDuplicateKeyError(error) ? ReviewsErrors.alreadyReviewed() : error;
    }
    await this.events.publish(
      new ReviewSubmittedEvent(review.id, job.id, author.id, reviewee, revealAt),
    );
    const ofJob = await this.reviews.findForJob(job.id);
    if (ofJob.length < 2) {
      return review;
    }
    // the pair is complete: due now (the sweep finds it if this request dies before publishing)
    await this.reviews.dueNow(job.id, this.clock.now());
    await this.publication.publishJob(job.id);
    return (await this.reviews.findById(review.id)) ?? review;
  }

  /**
   * The author's changes while the review is hidden; nothing else moves (no aggregate, no
   * notification).
   *
   * @throws NOT_FOUND, FORBIDDEN (not the author), REVIEW_PUBLISHED
   */
  async edit(author: AuthUser, reviewId: string, input: UpdateReviewDto): Promise<ReviewEntity> {
    const review = await this.requireReview(reviewId);
    if (review.reviewer !== author.id) {
      throw ReviewsErrors.notYourReview();
    }
    const edited = await this.reviews.editHidden(reviewId, author.id, withoutUndefined(input));
    if (!edited) {
      throw ReviewsErrors.published();
    }
    return edited;
  }

  /**
   * The reviewee's one public answer, once the review is published.
   *
   * @throws NOT_FOUND, FORBIDDEN (not the reviewee), REVIEW_NOT_PUBLISHED, ALREADY_RESPONDED
   */
  async respond(viewer: AuthUser, reviewId: string, text: string): Promise<ReviewEntity> {
    const review = await this.requireReview(reviewId);
    if (review.reviewee !== viewer.id) {
      throw ReviewsErrors.notReviewee();
    }
    const answered = await this.reviews.respond(reviewId, viewer.id, text, this.clock.now());
    if (answered) {
      return answered;
    }
    const now = await this.requireReview(reviewId);
    throw now.status === ReviewStatus.Published
      ? ReviewsErrors.alreadyResponded()
      : ReviewsErrors.notPublished();
  }

  /** Published reviews about a user, newest first (any user id: an empty page if none). */
  listAbout(userId: string, page: PageRequest): Promise<Paginated<ReviewEntity>> {
    return this.reviews.listPublishedAbout(userId, page);
  }

  /** The reviews the user wrote, and the published ones about him, newest first (export). */
  allByOrAbout(userId: string): Promise<ReviewEntity[]> {
    return this.reviews.findAllByOrAbout(userId);
  }

  /** A page of the reviews the user wrote or received, for his history (see TimelineRead). */
  historyOf(side: 'reviewer' | 'reviewee', read: TimelineRead): Promise<ReviewEntity[]> {
    return this.reviews.findForHistory(side, read);
  }

  /** His review texts and responses go, his ratings stay (his account is being deleted). */
  forgetTextsOf(userId: string): Promise<number> {
    return this.reviews.forgetTextsOf(userId);
  }

  /**
   * A job's reviews: its parties see their own and the published ones, staff all of them.
   *
   * @throws NOT_FOUND (no such job), FORBIDDEN (anyone else)
   */
  async listForJob(
    viewer: AuthUser,
    jobId: string,
    page: PageRequest,
  ): Promise<Paginated<ReviewEntity>> {
    const job = await this.jobsService.getById(jobId);
    if (isStaff(viewer)) {
      return this.reviews.listForJob(jobId, 'all', page);
    }
    this.otherSide(job, viewer.id);
    return this.reviews.listForJob(jobId, { reviewer: viewer.id }, page);
  }

  /** The other party of the job; FORBIDDEN when `userId` is neither of them. */
  private otherSide(job: JobEntity, userId: string): string {
    if (job.craftsman && userId === job.client) {
      return job.craftsman;
    }
    if (job.craftsman && userId === job.craftsman) {
      return job.client;
    }
    throw ReviewsErrors.notAParty();
  }

  private async requireReview(id: string): Promise<ReviewEntity> {
    const review = await this.reviews.findById(id);
    if (!review) {
      throw ReviewsErrors.notFound();
    }
    return review;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}
