import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import {
  CancellationReason,
  InvitationAction,
  InvitationSource,
  InvitationStatus,
  RejectionReasonCode,
} from '../invitation-status.js';
import { TEXT_LIMITS, textLengthValidator } from '../../../common/validation/text-length.js';

@Schema({ _id: false })
export class InvitationHistoryEntry {
  @Prop({ required: true, enum: InvitationAction })
  action!: InvitationAction;

  /** Null when the marketplace did it (expiry, reminder, a hired job). */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  by!: Types.ObjectId | null;

  @Prop({ required: true })
  at!: Date;
}
const InvitationHistoryEntrySchema = SchemaFactory.createForClass(InvitationHistoryEntry);

@Schema({ collection: 'invitations', timestamps: true })
export class Invitation {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  job!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  client!: Types.ObjectId;

  /** Null while the invitee is an email address nobody registered with. */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  craftsman!: Types.ObjectId | null;

  @Prop({ type: String, default: null })
  inviteeEmail!: string | null;

  /**
   * The craftsman's id, or `email:<address>`: unique per job. Every invitation has one, so the
   * unique index holds on any engine (no partial indexes).
   */
  @Prop({ required: true })
  inviteeKey!: string;

  @Prop({ required: true, enum: InvitationStatus, default: InvitationStatus.Pending })
  status!: InvitationStatus;

  @Prop({ required: true, enum: InvitationSource })
  source!: InvitationSource;

  @Prop({ default: '', validate: textLengthValidator(TEXT_LIMITS.invitationMessage) })
  message!: string;

  @Prop({ type: String, default: null, validate: textLengthValidator(TEXT_LIMITS.rejectionReason) })
  rejectionReason!: string | null;

  @Prop({ type: String, enum: [...Object.values(RejectionReasonCode), null], default: null })
  rejectionReasonCode!: RejectionReasonCode | null;

  @Prop({ type: String, enum: [...Object.values(CancellationReason), null], default: null })
  cancellationReason!: CancellationReason | null;

  /** SHA-256 of the emailed token (32 random bytes); replaced on resend. */
  @Prop({ required: true, unique: true })
  tokenHash!: string;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  viewedAt!: Date | null;

  @Prop({ type: Date, default: null })
  respondedAt!: Date | null;

  /** When it was last sent (created, re-invited or resent): resend waits a day from it. */
  @Prop({ required: true })
  lastSentAt!: Date;

  @Prop({ default: 0 })
  resendCount!: number;

  @Prop({ type: Date, default: null })
  reminderSentAt!: Date | null;

  /** When a reminder run took it; set before the reminder goes out, `reminderSentAt` after. */
  @Prop({ type: Date, default: null })
  reminderClaimedAt!: Date | null;

  /**
   * The last batch operation that claimed it (expiry sweep, reminders, job cancellation): each
   * stamps what it changed and reads exactly that back, so several instances never overlap.
   */
  @Prop({ type: String, default: null })
  batchStamp!: string | null;

  /** When the sweep expired it (by the app's clock). */
  @Prop({ type: Date, default: null })
  expiredAt!: Date | null;

  /** When the expiry was announced; a sweep that crashed before announcing is finished later. */
  @Prop({ type: Date, default: null })
  expiryAnnouncedAt!: Date | null;

  /** When a later sweep took over its announcement (set before announcing, the above after). */
  @Prop({ type: Date, default: null })
  announceClaimedAt!: Date | null;

  /** The client's Idempotency-Key of the request that created it. */
  @Prop({ type: String, default: null })
  idempotencyKey!: string | null;

  @Prop({ type: SchemaTypes.ObjectId, default: null })
  inviteLink!: Types.ObjectId | null;

  @Prop({ type: [InvitationHistoryEntrySchema], default: [] })
  history!: InvitationHistoryEntry[];
}

export type InvitationDocument = HydratedDocument<Invitation>;
export const InvitationSchema = SchemaFactory.createForClass(Invitation);

// rule 3: one invitation per craftsman (or email) per job, even under concurrent requests
InvitationSchema.index({ job: 1, inviteeKey: 1 }, { unique: true });
// lists: sent (client, optionally job and status), received (craftsman, optionally status), per
// job; each ends with the lists' tie-break `_id`, so that a cursor page (`?after=`) is one index range
InvitationSchema.index({ client: 1, createdAt: -1, _id: -1 });
InvitationSchema.index({ client: 1, status: 1, createdAt: -1, _id: -1 });
InvitationSchema.index({ client: 1, job: 1, createdAt: -1, _id: -1 });
InvitationSchema.index({ craftsman: 1, createdAt: -1, _id: -1 });
InvitationSchema.index({ craftsman: 1, status: 1, createdAt: -1, _id: -1 });
InvitationSchema.index({ job: 1, status: 1, createdAt: -1, _id: -1 });
// the expiry sweep and reminders; claiming email invitations at registration; idempotent retries
InvitationSchema.index({ status: 1, expiresAt: 1 });
InvitationSchema.index({ batchStamp: 1 });
InvitationSchema.index({ status: 1, expiryAnnouncedAt: 1, expiredAt: 1 });
InvitationSchema.index({ inviteeEmail: 1, status: 1 });
InvitationSchema.index({ client: 1, idempotencyKey: 1 });

export interface InvitationHistoryEntity {
  action: InvitationAction;
  by: string | null;
  at: Date;
}

export interface InvitationEntity {
  id: string;
  job: string;
  client: string;
  craftsman: string | null;
  inviteeEmail: string | null;
  inviteeKey: string;
  status: InvitationStatus;
  source: InvitationSource;
  message: string;
  rejectionReason: string | null;
  rejectionReasonCode: RejectionReasonCode | null;
  cancellationReason: CancellationReason | null;
  tokenHash: string;
  expiresAt: Date;
  viewedAt: Date | null;
  respondedAt: Date | null;
  lastSentAt: Date;
  resendCount: number;
  reminderSentAt: Date | null;
  reminderClaimedAt: Date | null;
  idempotencyKey: string | null;
  inviteLink: string | null;
  history: InvitationHistoryEntity[];
  createdAt: Date;
  updatedAt: Date;
}

/** What the API shows: a pending invitation past its expiry is expired, swept or not. */
export function effectiveStatus(
  invitation: Pick<InvitationEntity, 'status' | 'expiresAt'>,
  now: Date,
): InvitationStatus {
  return invitation.status === InvitationStatus.Pending && invitation.expiresAt <= now
    ? InvitationStatus.Expired
    : invitation.status;
}
