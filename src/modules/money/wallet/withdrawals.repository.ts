import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../../common/database/base.repository.js';
import type { PageRequest, Paginated } from '../../../common/pagination/paginated.js';
import {
  type Destination,
  OPEN_WITHDRAWAL_STATUSES,
  SHOWN_WITHDRAWAL_STATUSES,
  Withdrawal,
  type WithdrawalEntity,
  WithdrawalStatus,
} from './schemas/withdrawal.schema.js';

export interface NewWithdrawal {
  craftsman: string;
  amount: number;
  destination: Destination;
  idempotencyKey: string;
  requestHash: string;
  provider: 'manual' | 'paymob';
  expectedBy: Date;
}

@Injectable()
export class WithdrawalsRepository extends BaseRepository<Withdrawal, WithdrawalEntity> {
  constructor(@InjectModel(Withdrawal.name) model: Model<Withdrawal>) {
    super(model);
  }

  /** Writes it `requesting`. Throws E11000 when its idempotency key is taken. */
  async create(input: NewWithdrawal): Promise<WithdrawalEntity> {
    const created = await this.model.create({ ...input, status: WithdrawalStatus.Requesting });
    return this.toEntity(created.toObject());
  }

  async findByKey(idempotencyKey: string): Promise<WithdrawalEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ idempotencyKey }).lean().exec());
  }

  /** requesting → requested: the ledger holds the money in pending payout. */
  async markRequested(id: string): Promise<WithdrawalEntity | null> {
    return this.moved(id, [WithdrawalStatus.Requesting], { status: WithdrawalStatus.Requested });
  }

  /** A withdrawal the ledger refused (not enough money) leaves nothing behind. */
  async deleteRequesting(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id, status: WithdrawalStatus.Requesting }).exec();
  }

  /** requested → processing: the provider accepted the payout and will say how it ended. */
  markProcessing(id: string, reference: string | null): Promise<WithdrawalEntity | null> {
    return this.moved(id, [WithdrawalStatus.Requested], {
      status: WithdrawalStatus.Processing,
      reference,
      sendingUntil: null,
    });
  }

  /**
   * Decides how an open withdrawal ends, once: `paid` with the transfer's reference, or `failed`
   * with the reason; only a withdrawal of `provider` when given. Null when it was decided before
   * (the caller reads what was decided) or is another provider's.
   */
  decide(
    id: string,
    outcome: { outcome: 'paid'; reference: string } | { outcome: 'failed'; reason: string },
    provider?: 'manual' | 'paymob',
  ): Promise<WithdrawalEntity | null> {
    return this.moved(
      id,
      OPEN_WITHDRAWAL_STATUSES,
      outcome.outcome === 'paid'
        ? { outcome: 'paid', reference: outcome.reference }
        : { outcome: 'failed', failureReason: outcome.reason },
      { outcome: null, ...(provider ? { provider } : {}) },
    );
  }

  /** Its decided outcome became its status (the ledger moved the money). */
  settle(id: string, outcome: 'paid' | 'failed', at: Date): Promise<WithdrawalEntity | null> {
    return this.moved(
      id,
      OPEN_WITHDRAWAL_STATUSES,
      outcome === 'paid'
        ? { status: WithdrawalStatus.Paid, paidAt: at, sendingUntil: null }
        : { status: WithdrawalStatus.Failed, failedAt: at, sendingUntil: null },
      { outcome },
    );
  }

  /** Withdrawals whose outcome is decided but not settled (a crash between the two). */
  async findDecidedOpen(limit: number): Promise<WithdrawalEntity[]> {
    const found = await this.model
      .find({ outcome: { $in: ['paid', 'failed'] }, status: { $in: OPEN_WITHDRAWAL_STATUSES } })
      .limit(limit)
      .lean()
      .exec();
    return found.map((withdrawal) => this.toEntity(withdrawal));
  }

  private async moved(
    id: string,
    from: WithdrawalStatus[],
    set: Record<string, unknown>,
    guard: Record<string, unknown> = {},
  ): Promise<WithdrawalEntity | null> {
    return this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate(
            { ...guard, _id: id, status: { $in: from } },
            { $set: set },
            { returnDocument: 'after' },
          )
          .lean()
          .exec(),
      ),
    );
  }

  /**
   * Takes one requested payout of `provider` to send (or one in processing to ask about),
   * until `until`; one winner among instances.
   */
  async claimToSend(
    status: WithdrawalStatus.Requested | WithdrawalStatus.Processing,
    provider: 'paymob',
    now: Date,
    until: Date,
  ): Promise<WithdrawalEntity | null> {
    return this.toEntityOrNull(
      await this.model
        .findOneAndUpdate(
          {
            status,
            provider,
            outcome: null,
            $or: [{ sendingUntil: null }, { sendingUntil: { $lt: now } }],
          },
          { $set: { sendingUntil: until } },
          { returnDocument: 'after' },
        )
        .lean()
        .exec(),
    );
  }

  /** Withdrawals a crash left `requesting` before `before` (their ledger entry may be posted). */
  async findStaleRequesting(before: Date, limit: number): Promise<WithdrawalEntity[]> {
    const found = await this.model
      .find({ status: WithdrawalStatus.Requesting, createdAt: { $lt: before } })
      .limit(limit)
      .lean()
      .exec();
    return found.map((withdrawal) => this.toEntity(withdrawal));
  }

  /** The craftsman's manual withdrawals nobody has paid or decided yet, oldest first. */
  async findUnsentManual(craftsmanId: string): Promise<WithdrawalEntity[]> {
    const found = await this.model
      .find({
        craftsman: craftsmanId,
        provider: 'manual',
        status: WithdrawalStatus.Requested,
        outcome: null,
      })
      .sort({ createdAt: 1, _id: 1 })
      .limit(100)
      .lean()
      .exec();
    return found.map((withdrawal) => this.toEntity(withdrawal));
  }

  listForCraftsman(craftsmanId: string, page: PageRequest): Promise<Paginated<WithdrawalEntity>> {
    return this.findPage(
      { craftsman: craftsmanId, status: { $in: SHOWN_WITHDRAWAL_STATUSES } },
      { createdAt: -1, _id: -1 },
      page,
    );
  }

  /** Every withdrawal the craftsman asked for that went past requesting, newest first (export). */
  async findAllForCraftsman(craftsmanId: string): Promise<WithdrawalEntity[]> {
    const found = await this.model
      .find({ craftsman: craftsmanId, status: { $in: SHOWN_WITHDRAWAL_STATUSES } })
      .sort({ createdAt: -1, _id: -1 })
      .lean()
      .exec();
    return found.map((withdrawal) => this.toEntity(withdrawal));
  }

  list(
    status: WithdrawalStatus | undefined,
    page: PageRequest,
  ): Promise<Paginated<WithdrawalEntity>> {
    const filter: QueryFilter<Withdrawal> = {
      status: status ?? { $in: SHOWN_WITHDRAWAL_STATUSES },
    };
    return this.findPage(filter, { createdAt: -1, _id: -1 }, page);
  }
}
