import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../../../common/database/duplicate-key.js';
import { PaymentWebhookEvent } from './schemas/payment-webhook-event.schema.js';

/** Gateway events handled to the end, by `<provider>:<eventId>` (its `_id`). */
@Injectable()
export class PaymentWebhookEventsRepository {
  constructor(
    @InjectModel(PaymentWebhookEvent.name) private readonly model: Model<PaymentWebhookEvent>,
  ) {}

  async wasHandled(key: string): Promise<boolean> {
    return (await this.model.exists({ _id: key }).exec()) !== null;
  }

  /** Records it handled; a concurrent delivery that recorded it first is no error. */
  async markHandled(key: string, type: string, paymentId: string, at: Date): Promise<void> {
    try {
      await this.model.create({ _id: key, type, payment: paymentId, handledAt: at });
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
    }
  }
}
