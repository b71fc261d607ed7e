import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../../common/database/base.repository.js';
import { olderThan, type TimelineRead, timelineSort } from '../../../common/database/timeline.js';
import type { PageRequest, Paginated } from '../../../common/pagination/paginated.js';
import type { ChargeResult, PaymentMethod, PaymentProviderName } from './payment-provider.js';
import {
  type GatewayRefund,
  Payment,
  type PaymentPurpose,
  type PaymentEntity,
  PaymentStatus,
  RefundState,
} from './schemas/payment.schema.js';

export interface NewPayment {
  purpose: PaymentPurpose;
  job: string | null;
  payer: string;
  payee: string;
  provider: PaymentProviderName;
  method: PaymentMethod;
  amount: number;
  idempotencyKey: string;
  requestHash: string;
  expiresAt: Date;
}

/** What the admin list filters on (`GET /admin/payments`). */
export interface PaymentFilter {
  status?: PaymentStatus;
  /** Only payments an admin must look at (an amount the gateway reported differs). */
  parked?: boolean;
  refundState?: RefundState;
}

/** Statuses in which money came in and is not given back (yet). */
const MONEY_IN = [PaymentStatus.Pending, PaymentStatus.Failed, PaymentStatus.Expired];

@Injectable()
export class PaymentsRepository extends BaseRepository<Payment, PaymentEntity> {
  constructor(@InjectModel(Payment.name) model: Model<Payment>) {
    super(model);
  }

  /** The payments the user made, newest first, after `read.before` (his history for staff). */
  async findForHistory(read: TimelineRead): Promise<PaymentEntity[]> {
    const found = await this.model
      .find({ payer: read.userId, ...olderThan(read.before) } as QueryFilter<Payment>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }

  /**
   * Writes it `pending`, the job's live payment. Throws E11000 when its idempotency key is taken
   * or the job has a live payment already (`liveFor`).
   */
  async create(input: NewPayment): Promise<PaymentEntity> {
    const created = await this.model.create({
      ...input,
      status: PaymentStatus.Pending,
      // a job has one live payment; a craftsman may top up as often as he likes
      ...(input.job ? { liveFor: input.job } : {}),
    });
    return this.toEntity(created.toObject());
  }

  async findByKey(idempotencyKey: string): Promise<PaymentEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ idempotencyKey }).lean().exec());
  }

  async findLiveOf(jobId: string): Promise<PaymentEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ liveFor: jobId }).lean().exec());
  }

  async findByGatewayReference(
    provider: PaymentProviderName,
    gatewayReference: string,
  ): Promise<PaymentEntity | null> {
    return this.toEntityOrNull(
      await this.model.findOne({ provider, gatewayReference }).lean().exec(),
    );
  }

  /** The job's payments still waiting for the client's money. */
  async findPendingOf(jobId: string): Promise<PaymentEntity[]> {
    const found = await this.model
      .find({ job: jobId, status: PaymentStatus.Pending })
      .lean()
      .exec();
    return found.map((payment) => this.toEntity(payment));
  }

  /** The charge exists at the gateway: what the payer needs to pay it. */
  charged(id: string, charge: ChargeResult): Promise<PaymentEntity | null> {
    return this.update(
      { _id: id },
      {
        $set: {
          gatewayReference: charge.gatewayReference,
          clientSecret: charge.clientSecret ?? null,
          referenceNumber: charge.referenceNumber ?? null,
          paymentUrl: charge.paymentUrl ?? null,
          ...(charge.expiresAt ? { expiresAt: charge.expiresAt } : {}),
        },
      },
    );
  }

  /** pending → failed or expired: it was not paid; the job may get another live payment. */
  ended(
    id: string,
    status: PaymentStatus.Failed | PaymentStatus.Expired,
    reason: string | null,
  ): Promise<PaymentEntity | null> {
    return this.update(
      { _id: id, status: PaymentStatus.Pending },
      { $set: { status, failureReason: reason }, $unset: { liveFor: 1 } },
    );
  }

  /**
   * → held (from pending, failed or expired: the gateway confirmed the money came in). Null
   * when it was held (or moved further) before: only one caller tells anyone.
   */
  held(id: string, at: Date, transactionId: string | null): Promise<PaymentEntity | null> {
    return this.update(
      { _id: id, status: { $in: MONEY_IN } },
      { $set: { status: PaymentStatus.Held, heldAt: at, transactionId, parked: null } },
    );
  }

  /** held → released: the escrow went to the craftsman's wallet. */
  released(id: string, at: Date): Promise<PaymentEntity | null> {
    return this.update(
      { _id: id, status: PaymentStatus.Held },
      { $set: { status: PaymentStatus.Released, releasedAt: at } },
    );
  }

  /**
   * A top-up came in and went straight to the craftsman's wallet: → released, from any status
   * in which its money had not come in. Null when it was credited before.
   */
  toppedUp(id: string, at: Date, transactionId: string | null): Promise<PaymentEntity | null> {
    return this.update(
      { _id: id, status: { $in: MONEY_IN } },
      {
        $set: {
          status: PaymentStatus.Released,
          heldAt: at,
          releasedAt: at,
          transactionId,
          parked: null,
        },
      },
    );
  }

  /**
   * → refunded (or partially), the gateway refund to send recorded with it; only from `from`.
   * Null when it moved before.
   */
  refunded(
    id: string,
    from: PaymentStatus[],
    status: PaymentStatus.Refunded | PaymentStatus.PartiallyRefunded,
    refundedAmount: number,
    refund: GatewayRefund,
  ): Promise<PaymentEntity | null> {
    return this.update(
      { _id: id, status: { $in: from } },
      { $set: { status, refundedAmount, refund }, $unset: { liveFor: 1 } },
    );
  }

  /**
   * Parks it for an admin (the gateway reported an amount other than the one due, or refunded
   * part of it): nothing moves its money any more. A pending one stops being its job's live
   * payment, so the client can initiate a new one instead of paying it again.
   */
  park(
    payment: Pick<PaymentEntity, 'id' | 'status'>,
    reason: string,
    reportedAmount: number | null,
    at: Date,
  ): Promise<PaymentEntity | null> {
    const notPaid = MONEY_IN.includes(payment.status);
    return this.update(
      // only from the status the caller saw: the unset of `liveFor` is right for that one
      { _id: payment.id, parked: null, status: payment.status },
      {
        $set: { parked: { reason, reportedAmount, at } },
        ...(notPaid ? { $unset: { liveFor: 1 } } : {}),
      },
    );
  }

  /**
   * Claims one refund to ask the gateway for (due, or failed and due again), until `until`:
   * one instance at a time.
   */
  async claimRefund(now: Date, until: Date, id?: string): Promise<PaymentEntity | null> {
    return this.update(
      {
        ...(id ? { _id: id } : {}),
        'refund.state': { $in: [RefundState.Due, RefundState.Failed, RefundState.Pending] },
        'refund.nextAttemptAt': { $lte: now },
      },
      { $set: { 'refund.nextAttemptAt': until }, $inc: { 'refund.attempts': 1 } },
    );
  }

  /** What became of an attempt to refund through the gateway. */
  refundAttempted(
    id: string,
    outcome:
      | { state: RefundState.Done; refundId: string | null; at: Date }
      | { state: RefundState.Pending; refundId: string | null; nextAttemptAt: Date }
      | { state: RefundState.Failed; error: string; nextAttemptAt: Date },
  ): Promise<PaymentEntity | null> {
    const set: Record<string, unknown> = { 'refund.state': outcome.state };
    if (outcome.state === RefundState.Done) {
      Object.assign(set, {
        'refund.refundId': outcome.refundId,
        'refund.doneAt': outcome.at,
        'refund.nextAttemptAt': null,
        'refund.lastError': null,
      });
    } else if (outcome.state === RefundState.Pending) {
      Object.assign(set, {
        'refund.refundId': outcome.refundId,
        'refund.nextAttemptAt': outcome.nextAttemptAt,
      });
    } else {
      Object.assign(set, {
        'refund.lastError': outcome.error,
        'refund.nextAttemptAt': outcome.nextAttemptAt,
      });
    }
    return this.update({ _id: id, 'refund.state': { $ne: RefundState.Done } }, { $set: set });
  }

  /** Pending payments whose time to be paid ended before `now`, at most `limit`. */
  async findExpiredPending(now: Date, limit: number): Promise<PaymentEntity[]> {
    const found = await this.model
      .find({ status: PaymentStatus.Pending, expiresAt: { $lt: now }, parked: null })
      .limit(limit)
      .lean()
      .exec();
    return found.map((payment) => this.toEntity(payment));
  }

  /**
   * The user's payments whose money is not settled: held in escrow for him or paid by him,
   * a refund to him not done at the gateway, or parked for an admin (the gateway reported
   * another amount). Two reads, each on its index's first field.
   */
  async findMoneyInPlayOf(userId: string): Promise<PaymentEntity[]> {
    const [paid, paidTo] = await Promise.all([
      this.model
        .find({
          payer: userId,
          $or: [
            { status: PaymentStatus.Held },
            { 'refund.state': { $in: [RefundState.Due, RefundState.Pending, RefundState.Failed] } },
            { parked: { $ne: null } },
          ],
        })
        .lean()
        .exec(),
      this.model.find({ payee: userId, status: PaymentStatus.Held }).lean().exec(),
    ]);
    return uniqueById([...paid, ...paidTo].map((payment) => this.toEntity(payment)));
  }

  /** Every payment the user made or was paid, newest first (the data export). */
  findAllOfUser(userId: string): Promise<PaymentEntity[]> {
    return this.findAllOnEitherSide(['payer', 'payee'], userId);
  }

  list(filter: PaymentFilter, page: PageRequest): Promise<Paginated<PaymentEntity>> {
    const query: QueryFilter<Payment> = {};
    if (filter.status) {
      query.status = filter.status;
    }
    if (filter.parked !== undefined) {
      query.parked = filter.parked ? { $ne: null } : null;
    }
    if (filter.refundState) {
      query['refund.state'] = filter.refundState;
    }
    return this.findPage(query, { createdAt: -1, _id: -1 }, page);
  }

  private async update(
    filter: QueryFilter<Payment>,
    update: Record<string, unknown>,
  ): Promise<PaymentEntity | null> {
    return this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate(filter, update, { returnDocument: 'after' })
          .lean()
          .exec(),
      ),
    );
  }
}

/** The payments once each (a top-up's payer is its payee). */
function uniqueById(payments: PaymentEntity[]): PaymentEntity[] {
  return [...new Map(payments.map((payment) => [payment.id, payment])).values()];
}
