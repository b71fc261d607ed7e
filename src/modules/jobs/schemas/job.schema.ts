import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import { GeoPoint, GeoPointSchema } from '../../../common/geo/geo-point.schema.js';
import { JobStatus, PaymentType } from '../job-status.js';
import { TEXT_LIMITS, textLengthValidator } from '../../../common/validation/text-length.js';

@Schema({ _id: false })
export class StatusChange {
  @Prop({ enum: JobStatus })
  from?: JobStatus;

  @Prop({ required: true, enum: JobStatus })
  to!: JobStatus;

  /** Null when the marketplace moved it (first quote, hiring). */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  by!: Types.ObjectId | null;

  @Prop({ required: true })
  at!: Date;
}
const StatusChangeSchema = SchemaFactory.createForClass(StatusChange);

@Schema({ collection: 'jobs', timestamps: true })
export class Job {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  client!: Types.ObjectId;

  @Prop({ required: true, trim: true, validate: textLengthValidator(TEXT_LIMITS.jobTitle) })
  title!: string;

  @Prop({ required: true, validate: textLengthValidator(TEXT_LIMITS.jobDescription) })
  description!: string;

  /** A service name from the catalog, in the catalog's spelling. */
  @Prop({ required: true })
  category!: string;

  @Prop({ validate: textLengthValidator(TEXT_LIMITS.address) })
  address?: string;

  @Prop({ type: GeoPointSchema })
  location?: GeoPoint;

  /** URLs: of uploads (`photoUploads`), or typed by hand before uploads existed. */
  @Prop({ type: [String], default: [] })
  photos!: string[];

  /** The uploads behind `photos` (released when they leave the list). */
  @Prop({ type: [SchemaTypes.ObjectId], default: undefined })
  photoUploads?: Types.ObjectId[];

  @Prop({ enum: PaymentType, default: PaymentType.Cash })
  paymentType!: PaymentType;

  /** The client's budget, smallest currency unit. */
  @Prop()
  budget?: number;

  @Prop({ required: true, enum: JobStatus, default: JobStatus.Posted })
  status!: JobStatus;

  @Prop({ type: SchemaTypes.ObjectId, default: null })
  craftsman!: Types.ObjectId | null;

  @Prop({ type: SchemaTypes.ObjectId, default: null })
  acceptedQuote!: Types.ObjectId | null;

  /** The accepted quote's price, smallest currency unit. */
  @Prop()
  jobPrice?: number;

  @Prop()
  hiredAt?: Date;

  /**
   * A cash job completed and its platform fee is not posted to the ledger yet: set by the move
   * to `completed` itself, cleared once the fee is posted, so a crash in between loses no fee.
   */
  @Prop()
  feeDue?: boolean;

  /**
   * The client's payment held in escrow for this job (escrow and cash-protected jobs), set once
   * when the gateway confirms it: the hired craftsman may set out only then (PAYMENT_REQUIRED).
   */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  payment!: Types.ObjectId | null;

  /**
   * The job completed with its payment held and the escrow is not released yet: set by the move
   * to `completed` itself, cleared once released (a crash in between loses no release).
   */
  @Prop()
  releaseDue?: boolean;

  /**
   * The job was cancelled with its payment held and the refund is not started yet: set by the
   * move to `cancelled` itself, cleared once the refund is posted.
   */
  @Prop()
  refundDue?: boolean;

  /**
   * When the job last moved to `completed` (a dispute's resolution may complete it again): the
   * start of its reviews' and disputes' windows (REVIEW_WINDOW, DISPUTE_WINDOW).
   */
  @Prop({ type: Date, default: null })
  completedAt!: Date | null;

  /** When the hired craftsman asked the client to complete the job (`request-completion`). */
  @Prop({ type: Date, default: null })
  completionRequestedAt!: Date | null;

  /** When the job completes by itself unless the client completes or a party disputes first. */
  @Prop({ type: Date, default: null })
  autoCompleteAt!: Date | null;

  /** How many of the reminders before `autoCompleteAt` (2 days, 1 day) the client was sent. */
  @Prop({ default: 0 })
  autoCompleteReminders!: number;

  @Prop({ default: 0 })
  quotesCount!: number;

  /**
   * How many material edits (title, description, category, location) the job has had: a quote
   * is bound to the edition its craftsman saw, and one made for an older edition can't be
   * accepted until he confirms it (API.md "Quotes").
   */
  @Prop({ default: 0 })
  edition!: number;

  /** When the last material edit was made; null before the first. */
  @Prop({ type: Date, default: null })
  materialEditAt!: Date | null;

  @Prop({ type: [StatusChangeSchema], default: [] })
  statusHistory!: StatusChange[];

  /** Lower-cased words of the title: `q` matches their prefixes through an index. */
  @Prop({ type: [String], default: [] })
  titleWords!: string[];
}

export type JobDocument = HydratedDocument<Job>;
export const JobSchema = SchemaFactory.createForClass(Job);

// browse open jobs (status, category, newest), a client's and a craftsman's own jobs,
// distance (range on lat/lng) and title words; the newest-first ones end with the tie-break
// `_id`, so that a cursor page (`?after=`) is one index range
JobSchema.index({ status: 1, category: 1, createdAt: -1, _id: -1 });
JobSchema.index({ status: 1, createdAt: -1, _id: -1 });
JobSchema.index({ client: 1, createdAt: -1, _id: -1 });
JobSchema.index({ craftsman: 1, createdAt: -1, _id: -1 });
JobSchema.index({ status: 1, 'location.lat': 1, 'location.lng': 1 });
JobSchema.index({ titleWords: 1, status: 1 });
// completed cash jobs whose fee is still to be posted (a sweep's safety net)
JobSchema.index({ feeDue: 1 });
// held payments to release or refund (the sweep's safety net), jobs that complete by themselves
JobSchema.index({ releaseDue: 1 });
JobSchema.index({ refundDue: 1 });
JobSchema.index({ status: 1, autoCompleteAt: 1 });

export interface StatusChangeEntity {
  from?: JobStatus;
  to: JobStatus;
  by: string | null;
  at: Date;
}

export interface JobEntity {
  id: string;
  client: string;
  title: string;
  description: string;
  category: string;
  address?: string;
  location?: { lat: number; lng: number };
  photos: string[];
  photoUploads?: string[];
  paymentType: PaymentType;
  budget?: number;
  status: JobStatus;
  craftsman: string | null;
  acceptedQuote: string | null;
  jobPrice?: number;
  hiredAt?: Date;
  feeDue?: boolean;
  /** The payment held in escrow for the job, once held. */
  payment: string | null;
  releaseDue?: boolean;
  refundDue?: boolean;
  completedAt: Date | null;
  completionRequestedAt: Date | null;
  autoCompleteAt: Date | null;
  autoCompleteReminders: number;
  quotesCount: number;
  /** Material edits so far (0 for a job as posted). */
  edition: number;
  materialEditAt: Date | null;
  statusHistory: StatusChangeEntity[];
  createdAt: Date;
  updatedAt: Date;
}

export function titleWordsOf(title: string): string[] {
  return [
    ...new Set(
      title
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word.length > 0),
    ),
  ];
}
