import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/** What a file is for: decides the types accepted, the processing, and who may read it. */
export enum UploadPurpose {
  ProfilePicture = 'profile_picture',
  JobPhoto = 'job_photo',
  Portfolio = 'portfolio',
  /** Private and encrypted at rest: the owner and admins only. */
  VerificationDoc = 'verification_doc',
  /** Private and encrypted at rest: the owner, staff and the other party of the dispute. */
  DisputeEvidence = 'dispute_evidence',
}

/** Purposes whose files are never at a public URL (API.md "Files"). */
export const PRIVATE_PURPOSES: ReadonlySet<UploadPurpose> = new Set([
  UploadPurpose.VerificationDoc,
  UploadPurpose.DisputeEvidence,
]);

/**
 * One stored file (DESIGN.md "Files and private data"). The record is written before the bytes
 * are stored, so a crash leaves a record the orphan sweep finds, never bytes nobody knows of.
 * Its life: pending (uploaded, pointed at by nothing) → attached (a profile, job, verification
 * or dispute points at it) → released (replaced or removed; deleted by the sweep).
 */
@Schema({ collection: 'uploads', timestamps: { createdAt: true, updatedAt: false } })
export class Upload {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  owner!: Types.ObjectId;

  @Prop({ required: true, enum: UploadPurpose })
  purpose!: UploadPurpose;

  /** The storage driver's key, `<public|private>/<purpose>/<id>.<ext>`: never reused. */
  @Prop({ required: true })
  key!: string;

  /** Decided from the bytes (file-type), never from the name or the client's MIME type. */
  @Prop({ required: true })
  contentType!: string;

  /** Bytes as stored (after image processing; before encryption). */
  @Prop({ required: true })
  size!: number;

  @Prop({ type: Number, default: null })
  width!: number | null;

  @Prop({ type: Number, default: null })
  height!: number | null;

  /** Whether the stored bytes are a DataEncryption envelope (private purposes). */
  @Prop({ default: false })
  encrypted!: boolean;

  /** The public URL (null for private purposes). */
  @Prop({ type: String, default: null })
  url!: string | null;

  /** When something started pointing at it; null while pending. */
  @Prop({ type: Date, default: null })
  attachedAt!: Date | null;

  /** When what pointed at it stopped doing so; the sweep deletes released uploads. */
  @Prop({ type: Date, default: null })
  releasedAt!: Date | null;

  /** Others who may read it besides its owner and staff (the other party of a dispute). */
  @Prop({ type: [SchemaTypes.ObjectId], default: [] })
  readers!: Types.ObjectId[];

  createdAt!: Date;
}

export type UploadDocument = HydratedDocument<Upload>;
export const UploadSchema = SchemaFactory.createForClass(Upload);

// a user's uploads (export, deletion)
UploadSchema.index({ owner: 1, createdAt: -1 });
// the orphan sweep: pending uploads past their time; released ones, oldest first
UploadSchema.index({ attachedAt: 1, releasedAt: 1, createdAt: 1 });
UploadSchema.index({ releasedAt: 1 });

export interface UploadEntity {
  id: string;
  owner: string;
  purpose: UploadPurpose;
  key: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  encrypted: boolean;
  url: string | null;
  attachedAt: Date | null;
  releasedAt: Date | null;
  readers: string[];
  createdAt: Date;
}
