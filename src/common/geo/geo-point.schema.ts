import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A position stored as two numbers that range queries on an index can serve (no 2dsphere). */
@Schema({ _id: false })
export class GeoPoint {
  @Prop({ required: true, min: -90, max: 90 })
  lat!: number;

  @Prop({ required: true, min: -180, max: 180 })
  lng!: number;
}

export const GeoPointSchema = SchemaFactory.createForClass(GeoPoint);
