import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import { textLengthValidator } from '../../../common/validation/text-length.js';
import { REVIEW_TEXT_LIMITS } from '../review-text-limits.js';

export enum ReviewStatus {
  /** Seen by its author and staff only, until its pair is complete or `revealAt` passes. */
  Hidden = 'hidden',
  /** Seen by everyone; its rating is in the reviewee's aggregate (or about to be: `countedAt`). */
  Published = 'published',
}

@Schema({ _id: false })
export class ReviewReply {
  @Prop({ required: true, validate: textLengthValidator(REVIEW_TEXT_LIMITS.response) })
  text!: string;

  @Prop({ required: true })
  createdAt!: Date;
}
const ReviewReplySchema = SchemaFactory.createForClass(ReviewReply);

/**
 * One side's review of a completed job: the client about the hired craftsman, or the craftsman
 * about the client. Double-blind (API.md "Reviews (double-blind)").
 */
@Schema({ collection: 'reviews', timestamps: true })
export class Review {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  job!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  reviewer!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  reviewee!: Types.ObjectId;

  /** 1..5, an integer. */
  @Prop({ required: true, min: 1, max: 5 })
  rating!: number;

  @Prop({ default: '', validate: textLengthValidator(REVIEW_TEXT_LIMITS.comment) })
  comment!: string;

  /** For staff only: never shown to the reviewee nor in any public list. */
  @Prop({ default: '', validate: textLengthValidator(REVIEW_TEXT_LIMITS.privateNote) })
  privateNote!: string;

  @Prop({ required: true, enum: ReviewStatus, default: ReviewStatus.Hidden })
  status!: ReviewStatus;

  /** The job's `completedAt` + REVIEW_WINDOW: published by then at the latest (unless disputed). */
  @Prop({ required: true })
  revealAt!: Date;

  /**
   * When the publication sweep should look at it: `revealAt`, brought forward to the moment its
   * pair is complete, pushed back a little while the job is disputed.
   */
  @Prop({ required: true })
  publishAfter!: Date;

  @Prop({ type: Date, default: null })
  publishedAt!: Date | null;

  /**
   * When its rating was added to the reviewee's aggregate: null from publication until then, so
   * that a crash between the two is finished by the sweep (ReviewPublicationService).
   */
  @Prop({ type: Date, default: null })
  countedAt!: Date | null;

  /** The reviewee's one public answer, after publication. */
  @Prop({ type: ReviewReplySchema, default: null })
  response!: ReviewReply | null;
}

export type ReviewDocument = HydratedDocument<Review>;
export const ReviewSchema = SchemaFactory.createForClass(Review);

// one review per side per job, even under concurrent requests (a double click: one 201, one 409)
ReviewSchema.index({ job: 1, reviewer: 1 }, { unique: true });
// published reviews about a user, newest first
ReviewSchema.index({ reviewee: 1, status: 1, publishedAt: -1, _id: -1 });
// the reviews a user wrote (his data export; his texts go with his account; his history)
ReviewSchema.index({ reviewer: 1, createdAt: -1, _id: -1 });
// the reviews about a user in any state, newest first (his history for staff)
ReviewSchema.index({ reviewee: 1, createdAt: -1, _id: -1 });
// the publication sweep: hidden reviews due, oldest first
ReviewSchema.index({ status: 1, publishAfter: 1 });
// the sweep's recovery: published reviews whose rating is not counted yet
ReviewSchema.index({ countedAt: 1, status: 1, publishedAt: 1 });

export interface ReviewReplyEntity {
  text: string;
  createdAt: Date;
}

export interface ReviewEntity {
  id: string;
  job: string;
  reviewer: string;
  reviewee: string;
  rating: number;
  comment: string;
  privateNote: string;
  status: ReviewStatus;
  revealAt: Date;
  publishAfter: Date;
  publishedAt: Date | null;
  countedAt: Date | null;
  response: ReviewReplyEntity | null;
  createdAt: Date;
  updatedAt: Date;
}
