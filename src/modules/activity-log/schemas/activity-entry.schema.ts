import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes } from 'mongoose';

/** Who did it: a user's id and his role then, or `{id: null, role: 'system'}`. */
@Schema({ _id: false })
export class ActivityActor {
  @Prop({ type: String, default: null })
  id!: string | null;

  @Prop({ type: String, required: true })
  role!: string;
}
const ActivityActorSchema = SchemaFactory.createForClass(ActivityActor);

/** What it was done to. */
@Schema({ _id: false })
export class ActivityTarget {
  @Prop({ type: String, required: true })
  type!: string;

  @Prop({ type: String, required: true })
  id!: string;
}
const ActivityTargetSchema = SchemaFactory.createForClass(ActivityTarget);

/**
 * One recorded action (API.md "Operations"), written once and never changed: the entries form
 * a hash chain in `seq` order (each `hash` covers the entry and the previous entry's hash), so
 * an entry edited or removed afterwards breaks it (`GET /admin/activity-log/verify`).
 * `minimize: false`: an empty `details` is stored as `{}`, as it was hashed.
 */
@Schema({ collection: 'activity_log', versionKey: false, minimize: false })
export class ActivityEntry {
  /** Its place in the chain: 1, 2, 3, ... without gaps (a unique index). */
  @Prop({ required: true })
  seq!: number;

  /**
   * The action's own identity (e.g. `user.banned:<user>:<bannedAt>`), unique: an event
   * published again records nothing.
   */
  @Prop({ required: true })
  key!: string;

  @Prop({ type: ActivityActorSchema, required: true })
  actor!: ActivityActor;

  @Prop({ required: true })
  action!: string;

  @Prop({ type: ActivityTargetSchema, required: true })
  target!: ActivityTarget;

  /** Plain JSON (strings, numbers, booleans): what the hash covered reads back the same. */
  @Prop({ type: SchemaTypes.Mixed, default: {} })
  details!: Record<string, unknown>;

  /** The client's address when a person acted over HTTP; null otherwise. */
  @Prop({ type: String, default: null })
  ip!: string | null;

  @Prop({ required: true })
  createdAt!: Date;

  /** The hash of the entry before it (`seq - 1`), or the genesis hash for the first. */
  @Prop({ required: true })
  prevHash!: string;

  /** sha256 (hex) of `prevHash` and the entry's canonical JSON (activity-chain.ts). */
  @Prop({ required: true })
  hash!: string;
}

export type ActivityEntryDocument = HydratedDocument<ActivityEntry>;
export const ActivityEntrySchema = SchemaFactory.createForClass(ActivityEntry);

// the chain's order, and the action's own identity: both unique
ActivityEntrySchema.index({ seq: 1 }, { unique: true });
ActivityEntrySchema.index({ key: 1 }, { unique: true });
// the admin list's filters, newest first; the actor's and the target's also serve a user's
// history (UserHistoryService)
ActivityEntrySchema.index({ 'actor.id': 1, createdAt: -1, _id: -1 });
ActivityEntrySchema.index({ 'target.id': 1, createdAt: -1, _id: -1 });
ActivityEntrySchema.index({ 'target.type': 1, createdAt: -1, _id: -1 });
ActivityEntrySchema.index({ action: 1, createdAt: -1, _id: -1 });
ActivityEntrySchema.index({ createdAt: -1, _id: -1 });

export interface ActivityEntryEntity {
  id: string;
  seq: number;
  key: string;
  actor: { id: string | null; role: string };
  action: string;
  target: { type: string; id: string };
  details: Record<string, unknown>;
  ip: string | null;
  createdAt: Date;
  prevHash: string;
  hash: string;
}
