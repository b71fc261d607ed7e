import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/** A shareable link: any craftsman who opens it gets an accepted invitation, up to `maxUses`. */
@Schema({ collection: 'invite_links', timestamps: true })
export class InviteLink {
  @Prop({ type: SchemaTypes.ObjectId, required: true, index: true })
  job!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  client!: Types.ObjectId;

  @Prop({ required: true, unique: true })
  tokenHash!: string;

  @Prop({ required: true, min: 1 })
  maxUses!: number;

  /** Counted atomically against `maxUses`. */
  @Prop({ default: 0 })
  uses!: number;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;
}

export type InviteLinkDocument = HydratedDocument<InviteLink>;
export const InviteLinkSchema = SchemaFactory.createForClass(InviteLink);

export interface InviteLinkEntity {
  id: string;
  job: string;
  client: string;
  tokenHash: string;
  maxUses: number;
  uses: number;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}
