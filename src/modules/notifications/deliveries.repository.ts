import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import {
  Delivery,
  type DeliveryChannel,
  type DeliveryEntity,
  DeliveryStatus,
} from './schemas/delivery.schema.js';

export interface NewDelivery {
  notification: string | null;
  recipient: string | null;
  channel: DeliveryChannel;
  payload: Record<string, unknown>;
}

@Injectable()
export class DeliveriesRepository extends BaseRepository<Delivery, DeliveryEntity> {
  constructor(@InjectModel(Delivery.name) model: Model<Delivery>) {
    super(model);
  }

  /**
   * Writes new deliveries already held by `lease.owner` until `lease.until`, as their first
   * attempt: the writer sends them without claiming them (DeliveryDispatcher.sendNow), and if it
   * dies first, they are due again for anyone when the lease ends. One command for all of them.
   */
  async createMany(
    inputs: NewDelivery[],
    at: Date,
    lease: { owner: string; until: Date },
  ): Promise<DeliveryEntity[]> {
    if (inputs.length === 0) {
      return [];
    }
    const created = await this.model.insertMany(
      inputs.map((input) => ({
        ...input,
        nextAttemptAt: at,
        status: DeliveryStatus.Sending,
        leaseOwner: lease.owner,
        leaseUntil: lease.until,
        attempts: 1,
      })),
    );
    return created.map((delivery) => this.toEntity(delivery.toObject()));
  }

  /**
   * Takes the next due delivery for `leaseMs`, atomically: no two instances hold one at a time.
   * A delivery whose holder died (its lease ran out while sending) is due again.
   */
  async claimNext(owner: string, now: Date, leaseMs: number): Promise<DeliveryEntity | null> {
    const claimed = await this.model
      .findOneAndUpdate(
        {
          status: { $in: [DeliveryStatus.Pending, DeliveryStatus.Sending] },
          nextAttemptAt: { $lte: now },
          $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }],
        },
        {
          $set: {
            status: DeliveryStatus.Sending,
            leaseOwner: owner,
            leaseUntil: new Date(now.getTime() + leaseMs),
          },
          $inc: { attempts: 1 },
        },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.toEntityOrNull(claimed);
  }

  /**
   * Deliveries this owner holds and has not tried to send: due again for anyone now, their
   * attempt not counted.
   */
  async release(ids: string[], owner: string): Promise<void> {
    await this.model
      .updateMany(
        { _id: { $in: ids }, leaseOwner: owner, status: DeliveryStatus.Sending },
        {
          $set: { status: DeliveryStatus.Pending, leaseOwner: null, leaseUntil: null },
          $inc: { attempts: -1 },
        },
      )
      .exec();
  }

  /** Only by the holder of the lease; an email keeps its envelope, not its body. */
  async markSent(
    id: string,
    owner: string,
    at: Date,
    keptPayload: Record<string, unknown>,
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, leaseOwner: owner },
        {
          $set: {
            status: DeliveryStatus.Sent,
            sentAt: at,
            leaseUntil: null,
            lastError: null,
            payload: keptPayload,
          },
        },
      )
      .exec();
  }

  async markFailedAttempt(
    id: string,
    owner: string,
    outcome: { error: string; retryAt: Date | null },
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, leaseOwner: owner },
        {
          $set: {
            status: outcome.retryAt ? DeliveryStatus.Pending : DeliveryStatus.Failed,
            nextAttemptAt: outcome.retryAt ?? new Date(),
            leaseUntil: null,
            lastError: outcome.error.slice(0, 1000),
          },
        },
      )
      .exec();
  }

  /** Drops every delivery to the user, sent or not (his account is being deleted). */
  async deleteAllFor(recipientId: string): Promise<number> {
    const result = await this.model.deleteMany({ recipient: recipientId }).exec();
    return result.deletedCount;
  }

  async findForNotifications(notificationIds: string[]): Promise<DeliveryEntity[]> {
    if (notificationIds.length === 0) {
      return [];
    }
    const found = await this.model
      .find({ notification: { $in: notificationIds } }, { notification: 1, channel: 1, status: 1 })
      .lean()
      .exec();
    return found.map((delivery) => this.toEntity(delivery));
  }
}
