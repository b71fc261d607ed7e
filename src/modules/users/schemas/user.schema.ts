import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import { Role } from '../../../common/auth/role.js';
import { GeoPoint, GeoPointSchema } from '../../../common/geo/geo-point.schema.js';
import { TEXT_LIMITS, textLengthValidator } from '../../../common/validation/text-length.js';

export enum VerificationStatus {
  Unverified = 'unverified',
  Pending = 'pending',
  Verified = 'verified',
  Rejected = 'rejected',
}

export enum VerificationDocType {
  NationalId = 'national_id',
  TradeLicense = 'trade_license',
  Certificate = 'certificate',
  CriminalRecord = 'criminal_record',
  Other = 'other',
}

@Schema({ _id: false })
export class VerificationDoc {
  @Prop({ required: true, enum: VerificationDocType })
  docType!: VerificationDocType;

  /** A URL typed by hand, as documents were given before uploads existed; none for new ones. */
  @Prop()
  docUrl?: string;

  /** The private, encrypted `verification_doc` upload (`GET /uploads/:id/content`, admins). */
  @Prop({ type: SchemaTypes.ObjectId })
  fileId?: Types.ObjectId;
}
const VerificationDocSchema = SchemaFactory.createForClass(VerificationDoc);

/**
 * How a craftsman has been doing, kept up to date by the recommendations module from the
 * invitation and job events, so that scoring reads one document per candidate.
 */
@Schema({ _id: false })
export class CraftsmanStats {
  @Prop({ default: 0 })
  invitationsReceived!: number;

  @Prop({ default: 0 })
  invitationsAccepted!: number;

  @Prop({ default: 0 })
  invitationsRejected!: number;

  /** Invitations waiting for his answer now: the fairness cap counts these. */
  @Prop({ default: 0 })
  pendingInvitations!: number;

  @Prop({ default: 0 })
  completedJobs!: number;

  /** From first view to answer, the last 20 answers (the median is taken of these). */
  @Prop({ type: [Number], default: [] })
  recentResponseTimesMs!: number[];

  @Prop({ type: Date, default: null })
  lastBusyRejectionAt!: Date | null;

  /**
   * The last events counted here (`<event>:<invitation id>`), so that one announced again (the
   * expiry sweep re-announces what a crashed sweep may have announced already) counts once.
   */
  @Prop({ type: [String], default: [] })
  recentEventKeys!: string[];
}
const CraftsmanStatsSchema = SchemaFactory.createForClass(CraftsmanStats);

@Schema({ _id: false })
export class CraftsmanInfo {
  /** Names from the services catalog, in the catalog's spelling. */
  @Prop({ type: [String], default: [] })
  skills!: string[];

  @Prop({ default: '', validate: textLengthValidator(TEXT_LIMITS.bio) })
  bio!: string;

  @Prop({ default: 10, min: 1, max: 200 })
  serviceRadiusKm!: number;

  /** false: still invitable, but recommendations rank him last (API.md rule 10). */
  @Prop({ default: true })
  available!: boolean;

  /** URLs: of uploads (`portfolioUploads`), or typed by hand before uploads existed. */
  @Prop({ type: [String], default: [] })
  portfolioImageUrls!: string[];

  /** The `portfolio` uploads behind `portfolioImageUrls`. */
  @Prop({ type: [SchemaTypes.ObjectId], default: undefined })
  portfolioUploads?: Types.ObjectId[];

  @Prop({ enum: VerificationStatus, default: VerificationStatus.Unverified })
  verificationStatus!: VerificationStatus;

  @Prop({ type: [VerificationDocSchema], default: [] })
  verificationDocs!: VerificationDoc[];

  @Prop()
  verificationSubmittedAt?: Date;

  @Prop()
  verificationDecidedAt?: Date;

  @Prop({ validate: textLengthValidator(TEXT_LIMITS.moderationReason) })
  verificationRejectionReason?: string;

  @Prop({ type: CraftsmanStatsSchema, default: () => ({}) })
  stats!: CraftsmanStats;
}
const CraftsmanInfoSchema = SchemaFactory.createForClass(CraftsmanInfo);

/**
 * The owner asked for his account to be deleted (POST /users/me/deletion): it is anonymised at
 * `scheduledFor` unless he cancels first (PrivacyModule). Removed once the anonymisation is done.
 */
@Schema({ _id: false })
export class AccountDeletion {
  /**
   * Always true while the deletion waits or runs: the first field of the sweep's index, named by
   * equality (the embedded engine picks an index by its first field's equality).
   */
  @Prop({ required: true, default: true })
  pending!: boolean;

  @Prop({ required: true })
  requestedAt!: Date;

  /**
   * When the anonymisation is due: DELETION_GRACE after the request; moved on by a sweep that
   * claims it (to the end of its lease) or finds the account still can't go (a day later).
   */
  @Prop({ required: true })
  scheduledFor!: Date;

  /** The claim of the sweep running it now (a random id); null while nobody runs it. */
  @Prop({ type: String, default: null })
  claim!: string | null;
}
const AccountDeletionSchema = SchemaFactory.createForClass(AccountDeletion);

@Schema({ collection: 'users', timestamps: true })
export class User {
  @Prop({ required: true, unique: true, lowercase: true, trim: true })
  email!: string;

  /** E.164 (`+201001234567`); older records may hold another spelling until migrated. */
  @Prop()
  phone?: string;

  /**
   * Unique on every document: the phone, or `none:<id>` without one. (The embedded engine
   * ignores partial indexes, so a unique index must cover a field every user has.)
   */
  @Prop({ required: true, unique: true })
  phoneKey!: string;

  @Prop({ required: true, select: false })
  passwordHash!: string;

  /**
   * The owner proved the address (POST /auth/verify-email); staff are created verified. Absent
   * on accounts older than email verification: not verified.
   */
  @Prop({ default: false })
  emailVerified!: boolean;

  @Prop({ required: true, enum: Role })
  role!: Role;

  @Prop({ required: true, trim: true, validate: textLengthValidator(TEXT_LIMITS.personName) })
  firstName!: string;

  @Prop({ required: true, trim: true, validate: textLengthValidator(TEXT_LIMITS.personName) })
  lastName!: string;

  /** Lower-cased names: case-insensitive prefix search that an index can serve. */
  @Prop({ required: true })
  firstNameKey!: string;

  @Prop({ required: true })
  lastNameKey!: string;

  @Prop()
  profilePicture?: string;

  /** The `profile_picture` upload behind `profilePicture`, when it is one of ours. */
  @Prop({ type: SchemaTypes.ObjectId })
  profilePictureUpload?: Types.ObjectId;

  @Prop({ type: GeoPointSchema })
  location?: GeoPoint;

  @Prop({ validate: textLengthValidator(TEXT_LIMITS.address) })
  address?: string;

  /** IANA name of the zone his dates are written in; null: the service's DEFAULT_TIMEZONE. */
  @Prop({ type: String, default: null })
  timezone!: string | null;

  /**
   * His notification channels per event type (PUT /notifications/preferences), keyed by the type
   * with `:` for `.` (dots are paths to MongoDB); a type not listed has every channel on. On the
   * user, so that the read of a recipient a notification needs anyway brings them.
   */
  @Prop({ type: SchemaTypes.Mixed, default: undefined })
  notificationPreferences?: Record<string, { inApp: boolean; push: boolean; email: boolean }>;

  @Prop({ default: 0, min: 0, max: 5 })
  rating!: number;

  @Prop({ default: 0, min: 0 })
  ratingCount!: number;

  /**
   * The sum of the published reviews' ratings about him (integers): `rating` is
   * round(ratingSum / ratingCount, 1). Moved only at a review's publication (ReviewsModule).
   */
  @Prop({ default: 0, min: 0 })
  ratingSum!: number;

  /**
   * The ids of the last RATING_MARKERS reviews counted in `ratingSum`/`ratingCount`: the guard
   * that makes counting a review idempotent (UsersRepository.countPublishedReview). Never read
   * with the user.
   */
  @Prop({ type: [SchemaTypes.ObjectId], default: undefined, select: false })
  countedReviews?: Types.ObjectId[];

  @Prop({ type: CraftsmanInfoSchema })
  craftsmanInfo?: CraftsmanInfo;

  @Prop({ type: Date, default: null })
  bannedAt!: Date | null;

  @Prop({ validate: textLengthValidator(TEXT_LIMITS.moderationReason) })
  banReason?: string;

  @Prop({ type: SchemaTypes.ObjectId, ref: 'User' })
  bannedBy?: Types.ObjectId;

  /**
   * True once every module acted on the current ban (quotes withdrawn, invitations cancelled,
   * jobs closed); false from the ban until then, so that a crash or a failing listener is
   * settled later by the sweep (UsersService.settleBans).
   */
  @Prop()
  banSettled?: boolean;

  /** Access tokens issued before this instant are refused (ban, password reset or change). */
  @Prop({ type: Date, default: null })
  tokensValidAfter!: Date | null;

  /** Set while a deletion the owner asked for waits or runs (see AccountDeletion). */
  @Prop({ type: AccountDeletionSchema, default: undefined })
  deletion?: AccountDeletion;

  /**
   * When the account was anonymised at its owner's request; null (or absent) for a live one.
   * Its id stays: jobs, reviews' ratings and ledger entries keep pointing at it, but nothing on
   * it names a person any more.
   */
  @Prop({ type: Date, default: null })
  deletedAt!: Date | null;
}

export type UserDocument = HydratedDocument<User>;
export const UserSchema = SchemaFactory.createForClass(User);

// browse and typeahead (GET /users), admin lists (GET /admin/users, /admin/verifications)
UserSchema.index({ role: 1, firstNameKey: 1 });
UserSchema.index({ role: 1, lastNameKey: 1 });
UserSchema.index({ role: 1, 'craftsmanInfo.skills': 1, rating: -1 });
UserSchema.index({ role: 1, 'location.lat': 1, 'location.lng': 1 });
UserSchema.index({ role: 1, rating: -1, ratingCount: -1 });
UserSchema.index({
  role: 1,
  'craftsmanInfo.verificationStatus': 1,
  'craftsmanInfo.verificationSubmittedAt': 1,
});
UserSchema.index({ createdAt: -1 });
UserSchema.index({ bannedAt: 1, createdAt: -1 });
// deletions due (AccountDeletionService.runDue)
UserSchema.index({ 'deletion.pending': 1, 'deletion.scheduledFor': 1 });

export interface VerificationDocEntity {
  docType: VerificationDocType;
  docUrl?: string;
  fileId?: string;
}

export interface GeoPointEntity {
  lat: number;
  lng: number;
}

export interface CraftsmanStatsEntity {
  invitationsReceived: number;
  invitationsAccepted: number;
  invitationsRejected: number;
  pendingInvitations: number;
  completedJobs: number;
  recentResponseTimesMs: number[];
  lastBusyRejectionAt: Date | null;
  recentEventKeys: string[];
}

export interface CraftsmanInfoEntity {
  skills: string[];
  bio: string;
  serviceRadiusKm: number;
  available: boolean;
  portfolioImageUrls: string[];
  portfolioUploads?: string[];
  verificationStatus: VerificationStatus;
  verificationDocs: VerificationDocEntity[];
  verificationSubmittedAt?: Date;
  verificationDecidedAt?: Date;
  verificationRejectionReason?: string;
  stats?: CraftsmanStatsEntity;
}

/** A user as the repository hands it out: never the password hash. */
export interface UserEntity {
  id: string;
  email: string;
  phone?: string;
  /** `undefined` on accounts older than email verification: not verified. */
  emailVerified?: boolean;
  role: Role;
  firstName: string;
  lastName: string;
  profilePicture?: string;
  profilePictureUpload?: string;
  location?: GeoPointEntity;
  address?: string;
  timezone: string | null;
  /** Stored keys (`:` for `.`); read them through PreferencesRepository. */
  notificationPreferences?: Record<string, { inApp: boolean; push: boolean; email: boolean }>;
  rating: number;
  ratingCount: number;
  /** Undefined on accounts no review was ever counted for (then 0). */
  ratingSum?: number;
  craftsmanInfo?: CraftsmanInfoEntity;
  bannedAt: Date | null;
  banReason?: string;
  bannedBy?: string;
  tokensValidAfter: Date | null;
  /** A deletion asked for and not done yet. */
  deletion?: AccountDeletionEntity;
  /** Set once the account is anonymised (absent on accounts older than deletion). */
  deletedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AccountDeletionEntity {
  pending: boolean;
  requestedAt: Date;
  scheduledFor: Date;
  claim: string | null;
}
