import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { olderThan, type TimelineRead, timelineSort } from '../../common/database/timeline.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import { Review, type ReviewEntity, ReviewStatus } from './schemas/review.schema.js';

export interface NewReview {
  job: string;
  reviewer: string;
  reviewee: string;
  rating: number;
  comment?: string;
  privateNote?: string;
  revealAt: Date;
  publishAfter: Date;
}

export interface ReviewEdit {
  rating?: number;
  comment?: string;
  privateNote?: string;
}

@Injectable()
export class ReviewsRepository extends BaseRepository<Review, ReviewEntity> {
  constructor(@InjectModel(Review.name) model: Model<Review>) {
    super(model);
  }

  /**
   * The reviews the user wrote or received (hidden ones too: staff see them), newest first,
   * after `read.before` (his history for staff).
   */
  async findForHistory(side: 'reviewer' | 'reviewee', read: TimelineRead): Promise<ReviewEntity[]> {
    const found = await this.model
      .find({ [side]: read.userId, ...olderThan(read.before) } as QueryFilter<Review>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }

  /** @throws the E11000 error when this reviewer already reviewed this job. */
  async create(input: NewReview): Promise<ReviewEntity> {
    const created = await this.model.create(input);
    return this.remembered(this.toEntity(created.toObject()));
  }

  /** The job's reviews (two at most: one per side), oldest first. */
  async findForJob(jobId: string): Promise<ReviewEntity[]> {
    const found = await this.model
      .find({ job: jobId })
      .sort({ createdAt: 1, _id: 1 })
      .lean()
      .exec();
    return found.map((review) => this.toEntity(review));
  }

  /** The reviews of these jobs, in one command. */
  async findForJobs(jobIds: string[]): Promise<ReviewEntity[]> {
    const found = await this.model
      .find({ job: { $in: jobIds } })
      .lean()
      .exec();
    return found.map((review) => this.toEntity(review));
  }

  /**
   * Every review the user wrote, and those about him once published (a hidden one stays hidden
   * from him: double-blind), newest first (his data export).
   */
  async findAllByOrAbout(userId: string): Promise<ReviewEntity[]> {
    const [written, received] = await Promise.all([
      this.model.find({ reviewer: userId }).lean().exec(),
      this.model.find({ reviewee: userId, status: ReviewStatus.Published }).lean().exec(),
    ]);
    return [...written, ...received]
      .map((review) => this.toEntity(review))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /**
   * Blanks what the user wrote: the comment and private note of his reviews, and his responses
   * to reviews about him. Ratings stay (and count as before). Answers how many changed.
   */
  async forgetTextsOf(userId: string): Promise<number> {
    const [own, responses] = await Promise.all([
      this.model
        .updateMany({ reviewer: userId }, { $set: { comment: '', privateNote: '' } })
        .exec(),
      this.model
        .updateMany({ reviewee: userId, response: { $ne: null } }, { $set: { response: null } })
        .exec(),
    ]);
    return own.modifiedCount + responses.modifiedCount;
  }

  /** The author's edit of his own review while it is hidden; null when it is not (any more). */
  async editHidden(id: string, reviewerId: string, edit: ReviewEdit): Promise<ReviewEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, reviewer: reviewerId, status: ReviewStatus.Hidden },
        { $set: edit },
        { returnDocument: 'after', runValidators: true },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** The reviewee's one answer to a published review; null when it is not published or answered. */
  async respond(
    id: string,
    revieweeId: string,
    text: string,
    at: Date,
  ): Promise<ReviewEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, reviewee: revieweeId, status: ReviewStatus.Published, response: null },
        { $set: { response: { text, createdAt: at } } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** Published reviews about a user, newest first. */
  listPublishedAbout(userId: string, page: PageRequest): Promise<Paginated<ReviewEntity>> {
    return this.findPage(
      { reviewee: userId, status: ReviewStatus.Published },
      { publishedAt: -1, _id: -1 },
      page,
    );
  }

  /** A job's reviews as `filter` allows (two at most), newest first. */
  listForJob(
    jobId: string,
    visibleTo: { reviewer: string } | 'all',
    page: PageRequest,
  ): Promise<Paginated<ReviewEntity>> {
    const filter =
      visibleTo === 'all'
        ? { job: jobId }
        : {
            job: jobId,
            $or: [{ reviewer: visibleTo.reviewer }, { status: ReviewStatus.Published }],
          };
    return this.findPage(filter, { createdAt: -1, _id: -1 }, page, undefined, {
      countWithPage: true,
    });
  }

  /** Brings the job's hidden reviews forward: its pair is complete, publish now. */
  async dueNow(jobId: string, at: Date): Promise<void> {
    await this.model
      .updateMany({ job: jobId, status: ReviewStatus.Hidden }, { $set: { publishAfter: at } })
      .exec();
  }

  /** Pushes the job's hidden reviews back to `until` (the job is disputed). */
  async postpone(jobId: string, until: Date): Promise<void> {
    await this.model
      .updateMany({ job: jobId, status: ReviewStatus.Hidden }, { $set: { publishAfter: until } })
      .exec();
  }

  /** When the sweep should look at this hidden review again. */
  async reschedule(id: string, at: Date): Promise<void> {
    await this.model
      .updateOne({ _id: id, status: ReviewStatus.Hidden }, { $set: { publishAfter: at } })
      .exec();
  }

  /** The jobs with hidden reviews due by `now`, those due longest first. */
  async findJobsDue(now: Date, limit: number): Promise<string[]> {
    const found = await this.model
      .find({ status: ReviewStatus.Hidden, publishAfter: { $lte: now } }, { job: 1 })
      .sort({ status: 1, publishAfter: 1 })
      .limit(limit)
      .lean()
      .exec();
    return [...new Set(found.map((review) => review.job.toHexString()))];
  }

  /** The job's reviews still hidden. */
  async findHiddenForJob(jobId: string): Promise<ReviewEntity[]> {
    const found = await this.model.find({ job: jobId, status: ReviewStatus.Hidden }).lean().exec();
    return found.map((review) => this.toEntity(review));
  }

  /**
   * hidden → published, one guarded write: of any number of callers (two instances' sweeps, two
   * requests) exactly one gets the review back; the others get null.
   */
  async publish(id: string, at: Date): Promise<ReviewEntity | null> {
    const published = await this.model
      .findOneAndUpdate(
        { _id: id, status: ReviewStatus.Hidden },
        { $set: { status: ReviewStatus.Published, publishedAt: at } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.toEntityOrNull(published);
  }

  /** Published reviews not counted yet, published before `before` (their publisher died). */
  async findUncounted(before: Date, limit: number): Promise<ReviewEntity[]> {
    const found = await this.model
      .find({ countedAt: null, status: ReviewStatus.Published, publishedAt: { $lt: before } })
      .sort({ countedAt: 1, status: 1, publishedAt: 1 })
      .limit(limit)
      .lean()
      .exec();
    return found.map((review) => this.toEntity(review));
  }

  /** Records that the review's rating is in its reviewee's aggregate. */
  async markCounted(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id, countedAt: null }, { $set: { countedAt: at } }).exec();
  }

  /** Which of these users reviewed the job. */
  async reviewersOf(jobId: string): Promise<string[]> {
    const found = await this.model.find({ job: jobId }, { reviewer: 1 }).lean().exec();
    return found.map((review) => review.reviewer.toHexString());
  }
}
