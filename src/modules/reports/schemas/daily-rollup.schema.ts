import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

/**
 * One Cairo calendar day of the marketplace's figures (rollup-facts.ts says what each counter
 * counts and on which day), moved by the reports' listener as things happen and replaced by
 * the rebuild: a report reads one document per day, however many jobs there are. Counters
 * absent from a document are 0 (a day's first fact creates it with only its own counters).
 */
@Schema({ collection: 'daily_rollups', versionKey: false })
export class DailyRollup {
  /** The day, `YYYY-MM-DD` (Africa/Cairo): unique by being the id. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop() jobsPosted?: number;
  @Prop() jobsQuoted?: number;
  @Prop() jobsHired?: number;
  @Prop() jobsCompleted?: number;
  @Prop() jobsCancelled?: number;
  @Prop() disputesOpened?: number;
  @Prop() invitationsSent?: number;
  @Prop() invitationsAccepted?: number;
  /** Piastres. */
  @Prop() gmvEscrow?: number;
  /** Piastres. */
  @Prop() gmvCashProtected?: number;
  /** Piastres. */
  @Prop() gmvCash?: number;
  /** Piastres. */
  @Prop() platformFees?: number;
  /** Piastres, signed. */
  @Prop() feeDebtChange?: number;
  @Prop() payoutsPaid?: number;
  @Prop() payoutsWithinSla?: number;

  /**
   * The list (not a histogram: exact at any resolution, and a day's jobs are few) of whole
   * minutes from posting to the first quote of each job posted this day that got one; a period's
   * median merges its days' lists.
   */
  @Prop({ type: [Number], default: undefined })
  firstQuoteMinutes?: number[];

  /**
   * The keys of the facts counted into this day, the latest ROLLUP_COUNTED_KEYS of them: an
   * event announced again finds its key here and moves nothing.
   */
  @Prop({ type: [String], default: undefined })
  counted?: string[];
}

export type DailyRollupDocument = HydratedDocument<DailyRollup>;
export const DailyRollupSchema = SchemaFactory.createForClass(DailyRollup);
