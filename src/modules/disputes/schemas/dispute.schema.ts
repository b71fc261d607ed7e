import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import { DisputeOutcome } from '../../money/payments/dispute-settlement.service.js';

/** Why a party disputes the job (API.md "Disputes and cancellations"). */
export enum DisputeReason {
  NoShow = 'no_show',
  PoorQuality = 'poor_quality',
  Incomplete = 'incomplete',
  Overcharge = 'overcharge',
  Damage = 'damage',
  Payment = 'payment',
  Other = 'other',
}

export enum DisputeStatus {
  Open = 'open',
  /** An admin's decision is stored and its money and job move are under way (or a crash stopped them). */
  Resolving = 'resolving',
  Resolved = 'resolved',
}

/** A message of the parties' conversation as it read when it was submitted as evidence. */
@Schema({ _id: false })
export class EvidenceMessage {
  /** The message's id in the conversation. */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  id!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  sender!: Types.ObjectId;

  @Prop({ required: true })
  text!: string;

  @Prop({ required: true })
  sentAt!: Date;
}
const EvidenceMessageSchema = SchemaFactory.createForClass(EvidenceMessage);

/** One submission of evidence: never edited or removed once stored. */
@Schema({ _id: true })
export class Evidence {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  by!: Types.ObjectId;

  @Prop({ type: String, default: null })
  text!: string | null;

  @Prop({ type: [EvidenceMessageSchema], default: [] })
  messages!: EvidenceMessage[];

  /** The submitter's private `dispute_evidence` uploads (`GET /uploads/:id/content`). */
  @Prop({ type: [SchemaTypes.ObjectId], default: [] })
  fileIds!: Types.ObjectId[];

  /** When it was submitted, by the marketplace's clock. */
  @Prop({ required: true })
  createdAt!: Date;
}
const EvidenceSchema = SchemaFactory.createForClass(Evidence);

/** What the admin decided; stored before any money moves, so a retry finishes the same decision. */
@Schema({ _id: false })
export class DisputeDecision {
  @Prop({ required: true, enum: DisputeOutcome })
  outcome!: DisputeOutcome;

  @Prop()
  clientAmount?: number;

  @Prop()
  craftsmanAmount?: number;

  @Prop({ required: true })
  note!: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  by!: Types.ObjectId;

  @Prop({ required: true })
  at!: Date;
}
const DisputeDecisionSchema = SchemaFactory.createForClass(DisputeDecision);

@Schema({ collection: 'disputes', timestamps: true })
export class Dispute {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  job!: Types.ObjectId;

  /** The job's client and hired craftsman when it was opened. */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  client!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  craftsman!: Types.ObjectId;

  /** `[client, craftsman]`: "my disputes" is one index range whichever side one is on. */
  @Prop({ type: [SchemaTypes.ObjectId], required: true })
  parties!: Types.ObjectId[];

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  openedBy!: Types.ObjectId;

  @Prop({ required: true, enum: DisputeReason })
  reason!: DisputeReason;

  @Prop({ required: true })
  description!: string;

  /** When it was opened, by the marketplace's clock (the SLA and the report go by it). */
  @Prop({ required: true })
  openedAt!: Date;

  @Prop({ required: true, enum: DisputeStatus, default: DisputeStatus.Open })
  status!: DisputeStatus;

  /**
   * One open dispute per job, on an index every dispute has (the engine ignores partial
   * indexes): the job's id while open or resolving, `<jobId>:<disputeId>` once resolved.
   */
  @Prop({ required: true, unique: true })
  openKey!: string;

  /**
   * False from the insert of a dispute opened by POST /disputes until the job moved to
   * `disputed`: a crash in between leaves it for the sweep to finish or take back.
   */
  @Prop({ default: true })
  jobMoved!: boolean;

  /** The party whose answer is awaited (the other side of the last submission). */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  awaitingFrom!: Types.ObjectId;

  /** Until when `awaitingFrom` has to answer (DISPUTE_RESPONSE_WINDOW after the last submission). */
  @Prop({ required: true })
  respondBy!: Date;

  /** When `awaitingFrom` is reminded (respondBy − DISPUTE_RESPONSE_REMINDER_BEFORE); null once sent. */
  @Prop({ type: Date, default: null })
  reminderAt!: Date | null;

  /** When the party that did not open it first submitted evidence. */
  @Prop({ type: Date, default: null })
  firstResponseAt!: Date | null;

  @Prop({ type: [EvidenceSchema], default: [] })
  evidence!: Evidence[];

  @Prop({ type: SchemaTypes.ObjectId, default: null })
  assignedTo!: Types.ObjectId | null;

  @Prop({ type: Date, default: null })
  assignedAt!: Date | null;

  /** When it must be resolved by (opened + DISPUTE_UNRESOLVED_ALERT_AFTER): `sort=slaDue`. */
  @Prop({ required: true })
  slaDueAt!: Date;

  /** When admins hear it is still unassigned; null once assigned or alerted. */
  @Prop({ type: Date, default: null })
  unassignedAlertAt!: Date | null;

  /** When admins hear it is still unresolved; null once resolved or alerted. */
  @Prop({ type: Date, default: null })
  unresolvedAlertAt!: Date | null;

  @Prop({ type: DisputeDecisionSchema, default: null })
  decision!: DisputeDecision | null;

  @Prop({ type: Date, default: null })
  resolvedAt!: Date | null;

  @Prop({ type: SchemaTypes.ObjectId, default: null })
  resolvedBy!: Types.ObjectId | null;
}

export type DisputeDocument = HydratedDocument<Dispute>;
export const DisputeSchema = SchemaFactory.createForClass(Dispute);
// a party's disputes newest first; the admin list by status, newest or by SLA due; the sweeps
// (reminders, alerts, stranded inserts, stuck resolutions); the report by opened / resolved
// time; the per-user abuse counts by opener
DisputeSchema.index({ parties: 1, createdAt: -1, _id: -1 });
DisputeSchema.index({ status: 1, createdAt: -1, _id: -1 });
DisputeSchema.index({ status: 1, slaDueAt: 1, _id: 1 });
DisputeSchema.index({ createdAt: -1, _id: -1 });
DisputeSchema.index({ slaDueAt: 1, _id: 1 });
DisputeSchema.index({ reminderAt: 1 });
DisputeSchema.index({ unassignedAlertAt: 1 });
DisputeSchema.index({ unresolvedAlertAt: 1 });
DisputeSchema.index({ jobMoved: 1, openedAt: 1 });
DisputeSchema.index({ openedAt: 1 });
DisputeSchema.index({ resolvedAt: 1 });
DisputeSchema.index({ openedBy: 1 });

export interface EvidenceMessageEntity {
  id: string;
  sender: string;
  text: string;
  sentAt: Date;
}

export interface EvidenceEntity {
  id: string;
  by: string;
  text: string | null;
  messages: EvidenceMessageEntity[];
  fileIds: string[];
  createdAt: Date;
}

export interface DisputeDecisionEntity {
  outcome: DisputeOutcome;
  clientAmount?: number;
  craftsmanAmount?: number;
  note: string;
  by: string;
  at: Date;
}

export interface DisputeEntity {
  id: string;
  job: string;
  client: string;
  craftsman: string;
  parties: string[];
  openedBy: string;
  reason: DisputeReason;
  description: string;
  openedAt: Date;
  status: DisputeStatus;
  openKey: string;
  jobMoved: boolean;
  awaitingFrom: string;
  respondBy: Date;
  reminderAt: Date | null;
  firstResponseAt: Date | null;
  evidence: EvidenceEntity[];
  assignedTo: string | null;
  assignedAt: Date | null;
  slaDueAt: Date;
  unassignedAlertAt: Date | null;
  unresolvedAlertAt: Date | null;
  decision: DisputeDecisionEntity | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
