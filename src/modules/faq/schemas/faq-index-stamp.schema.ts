import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

/**
 * A mark that changes with every change to `faq_entries` (one document, `_id: 'faq'`): each
 * instance keeps the stamp its search index was built at, and rebuilds when the stored one
 * differs, so an entry staff edit on one instance is found on every instance.
 */
@Schema({ collection: 'faq_index_stamps', timestamps: { createdAt: false, updatedAt: true } })
export class FaqIndexStamp {
  @Prop({ type: String, required: true })
  _id!: string;

  /** Random, new at every change: equal stamps mean the same entries. */
  @Prop({ required: true })
  stamp!: string;
}

export type FaqIndexStampDocument = HydratedDocument<FaqIndexStamp>;
export const FaqIndexStampSchema = SchemaFactory.createForClass(FaqIndexStamp);
