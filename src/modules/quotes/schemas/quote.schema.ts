import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import { TEXT_LIMITS, textLengthValidator } from '../../../common/validation/text-length.js';

export enum QuoteStatus {
  Pending = 'pending',
  Accepted = 'accepted',
  Declined = 'declined',
  /** Taken back on the craftsman's side: he was banned (API.md "Quotes", banned users). */
  Withdrawn = 'withdrawn',
}

@Schema({ collection: 'quotes', timestamps: true })
export class Quote {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  job!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  craftsman!: Types.ObjectId;

  /** The job's owner, copied so that a client's lists need no join. */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  client!: Types.ObjectId;

  /** Smallest currency unit. */
  @Prop({ required: true, min: 1 })
  price!: number;

  @Prop({ default: '', validate: textLengthValidator(TEXT_LIMITS.quoteNotes) })
  notes!: string;

  @Prop()
  estimatedDays?: number;

  @Prop({ required: true, enum: QuoteStatus, default: QuoteStatus.Pending })
  status!: QuoteStatus;

  /** When it was declined, accepted or withdrawn. */
  @Prop()
  decidedAt?: Date;

  /** The job's edition (its material edits) the quote was made or last confirmed for. */
  @Prop({ default: 0 })
  jobEdition!: number;

  /** When its craftsman last confirmed it (`POST .../confirm`); null if never. */
  @Prop({ type: Date, default: null })
  confirmedAt!: Date | null;
}

export type QuoteDocument = HydratedDocument<Quote>;
export const QuoteSchema = SchemaFactory.createForClass(Quote);

// one quote per craftsman per job, even under concurrent requests
QuoteSchema.index({ job: 1, craftsman: 1 }, { unique: true });
// the owner's list of a job's quotes; a craftsman's own quotes (and his history), newest first
QuoteSchema.index({ job: 1, createdAt: -1 });
QuoteSchema.index({ craftsman: 1, createdAt: -1, _id: -1 });

export interface QuoteEntity {
  id: string;
  job: string;
  craftsman: string;
  client: string;
  price: number;
  notes: string;
  estimatedDays?: number;
  status: QuoteStatus;
  decidedAt?: Date;
  jobEdition: number;
  confirmedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
