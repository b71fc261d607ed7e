import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import { TEXT_LIMITS, textLengthValidator } from '../../../common/validation/text-length.js';

/** A trade offered on the marketplace (Plumbing, Electrical, ...): job categories and craftsman skills. */
@Schema({ collection: 'services', timestamps: true })
export class ServiceCategory {
  @Prop({ required: true, trim: true, validate: textLengthValidator(TEXT_LIMITS.serviceName) })
  name!: string;

  /** The name lower-cased: unique, and what skill and category lookups match on. */
  @Prop({ required: true, unique: true })
  nameKey!: string;

  @Prop({ default: '', validate: textLengthValidator(TEXT_LIMITS.serviceIcon) })
  icon!: string;

  @Prop({ default: '', validate: textLengthValidator(TEXT_LIMITS.serviceDescription) })
  description!: string;
}

export type ServiceCategoryDocument = HydratedDocument<ServiceCategory>;
export const ServiceCategorySchema = SchemaFactory.createForClass(ServiceCategory);

export interface ServiceCategoryEntity {
  id: string;
  name: string;
  nameKey: string;
  icon: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

export function serviceNameKey(name: string): string {
  return name.trim().toLowerCase();
}
