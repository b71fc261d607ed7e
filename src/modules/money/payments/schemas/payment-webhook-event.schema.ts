import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A gateway event handled to the end (`<provider>:<eventId>`): the same event delivered again
 * is answered 200 without asking the gateway or touching the payment (DESIGN.md "Money":
 * webhooks are deduplicated on the event's identity).
 */
@Schema({ collection: 'payment_webhook_events', versionKey: false })
export class PaymentWebhookEvent {
  /** `<provider>:<eventId>`. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  type!: string;

  /** The payment it was about. */
  @Prop({ type: String, required: true })
  payment!: string;

  @Prop({ required: true })
  handledAt!: Date;
}

export const PaymentWebhookEventSchema = SchemaFactory.createForClass(PaymentWebhookEvent);
