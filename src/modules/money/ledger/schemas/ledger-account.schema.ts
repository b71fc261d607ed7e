import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/**
 * An account's cached balance: the sum of the postings applied to it. Moved only by guarded
 * single-document updates that name the entry (LedgerAccountsRepository.applyPosting).
 */
@Schema({
  collection: 'ledger_accounts',
  timestamps: { createdAt: true, updatedAt: true },
})
export class LedgerAccountRecord {
  /** The account's name (`craftsman:<id>:available`, `platform:revenue`, ...). */
  @Prop({ type: String, required: true })
  _id!: string;

  /** Integer piastres. */
  @Prop({ required: true, default: 0 })
  balance!: number;

  /**
   * Entries applied to it whose settling is recent: applying one again is a no-op because its
   * id is here. Removed a while after the entry settles (compaction), so the list stays short.
   */
  @Prop({ type: [SchemaTypes.ObjectId], default: [] })
  pendingEntries!: Types.ObjectId[];
}

export type LedgerAccountDocument = HydratedDocument<LedgerAccountRecord>;
export const LedgerAccountSchema = SchemaFactory.createForClass(LedgerAccountRecord);

export interface LedgerAccountEntity {
  id: string;
  balance: number;
  pendingEntries: string[];
  updatedAt: Date;
}
