import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/**
 * A withdrawal's life: `requesting` (written, its ledger entry not posted yet; never shown) →
 * `requested` (the money is in pending payout) → `processing` (the provider accepted it) →
 * `paid`, or `failed` (the money is back in the wallet).
 */
export enum WithdrawalStatus {
  Requesting = 'requesting',
  Requested = 'requested',
  Processing = 'processing',
  Paid = 'paid',
  Failed = 'failed',
}

/** Statuses a craftsman or an admin sees (not the moment before the ledger took the money). */
export const SHOWN_WITHDRAWAL_STATUSES = [
  WithdrawalStatus.Requested,
  WithdrawalStatus.Processing,
  WithdrawalStatus.Paid,
  WithdrawalStatus.Failed,
];

/** Statuses in which the money still waits in pending payout. */
export const OPEN_WITHDRAWAL_STATUSES = [WithdrawalStatus.Requested, WithdrawalStatus.Processing];

@Schema({ _id: false })
export class Destination {
  @Prop({ required: true, enum: ['bank_account', 'mobile_wallet'] })
  type!: 'bank_account' | 'mobile_wallet';

  @Prop({ required: true })
  accountName!: string;

  @Prop()
  iban?: string;

  @Prop()
  bankCode?: string;

  /** E.164. */
  @Prop()
  msisdn?: string;
}
const DestinationSchema = SchemaFactory.createForClass(Destination);

@Schema({ collection: 'withdrawals', timestamps: true })
export class Withdrawal {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  craftsman!: Types.ObjectId;

  /** Integer piastres. */
  @Prop({ required: true, min: 1 })
  amount!: number;

  @Prop({ type: DestinationSchema, required: true })
  destination!: Destination;

  @Prop({ required: true, enum: WithdrawalStatus, default: WithdrawalStatus.Requesting })
  status!: WithdrawalStatus;

  /** `<craftsmanId>:<Idempotency-Key>`, or a random one without the header; unique. */
  @Prop({ required: true, unique: true })
  idempotencyKey!: string;

  /** A hash of the request's body: the same key with another body is refused. */
  @Prop({ required: true })
  requestHash!: string;

  @Prop({ required: true, enum: ['manual', 'paymob'] })
  provider!: 'manual' | 'paymob';

  @Prop({ required: true })
  expectedBy!: Date;

  /** The provider's (or the admin's) reference of the transfer. */
  @Prop({ type: String, default: null })
  reference!: string | null;

  @Prop({ type: String, default: null })
  failureReason!: string | null;

  /**
   * How it ends, decided before the ledger moves the money (an admin's mark, the provider's
   * answer): set once, so a payout can't be both paid and returned. The status follows when the
   * ledger entry is posted.
   */
  @Prop({ type: String, enum: ['paid', 'failed', null], default: null })
  outcome!: 'paid' | 'failed' | null;

  /** Until when one instance is asking the provider (a claim; after, another may). */
  @Prop({ type: Date, default: null })
  sendingUntil!: Date | null;

  @Prop({ type: Date, default: null })
  paidAt!: Date | null;

  @Prop({ type: Date, default: null })
  failedAt!: Date | null;
}

export type WithdrawalDocument = HydratedDocument<Withdrawal>;
export const WithdrawalSchema = SchemaFactory.createForClass(Withdrawal);
// a craftsman's withdrawals, newest first; the admin list by status; the sweeps by status and claim
WithdrawalSchema.index({ craftsman: 1, createdAt: -1, _id: -1 });
WithdrawalSchema.index({ status: 1, createdAt: -1, _id: -1 });
WithdrawalSchema.index({ status: 1, sendingUntil: 1 });
WithdrawalSchema.index({ outcome: 1, status: 1 });

export interface WithdrawalEntity {
  id: string;
  craftsman: string;
  amount: number;
  destination: Destination;
  status: WithdrawalStatus;
  idempotencyKey: string;
  requestHash: string;
  provider: 'manual' | 'paymob';
  expectedBy: Date;
  reference: string | null;
  failureReason: string | null;
  outcome: 'paid' | 'failed' | null;
  sendingUntil: Date | null;
  paidAt: Date | null;
  failedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
