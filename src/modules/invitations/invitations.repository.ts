import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, type QueryFilter, Types } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { olderThan, type TimelineRead, timelineSort } from '../../common/database/timeline.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { InvitationAction, InvitationStatus, type InvitationSource } from './invitation-status.js';
import { Invitation, type InvitationEntity } from './schemas/invitation.schema.js';

const HISTORY_LIMIT = 20;

export interface NewInvitation {
  job: string;
  client: string;
  craftsman: string | null;
  inviteeEmail: string | null;
  inviteeKey: string;
  source: InvitationSource;
  message: string;
  tokenHash: string;
  expiresAt: Date;
  status?: InvitationStatus;
  respondedAt?: Date;
  idempotencyKey?: string | null;
  inviteLink?: string | null;
}

export interface InvitationListFilter {
  clientId?: string;
  craftsmanId?: string;
  jobId?: string;
  /** Matched as the API shows it: `expired` includes pending ones past their expiry. */
  status?: InvitationStatus;
}

export interface StatusCounts {
  byStatus: Partial<Record<InvitationStatus, number>>;
  rejectedByReason: Record<string, number>;
  viewed: number;
  craftsmanIds: string[];
}

function historyPush(action: InvitationAction, by: string | null, at: Date) {
  return { history: { $each: [{ action, by, at }], $slice: -HISTORY_LIMIT } };
}

@Injectable()
export class InvitationsRepository extends BaseRepository<Invitation, InvitationEntity> {
  constructor(@InjectModel(Invitation.name) model: Model<Invitation>) {
    super(model);
  }

  /**
   * The invitations the user sent (client) or received (craftsman), newest first, after
   * `read.before` (his history for staff).
   */
  async findForHistory(
    side: 'client' | 'craftsman',
    read: TimelineRead,
  ): Promise<InvitationEntity[]> {
    const found = await this.model
      .find({ [side]: read.userId, ...olderThan(read.before) } as QueryFilter<Invitation>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }

  /** Throws E11000 when the job already has an invitation for this invitee. */
  async create(input: NewInvitation, at: Date): Promise<InvitationEntity> {
    const action =
      input.status === InvitationStatus.Accepted
        ? InvitationAction.Accepted
        : InvitationAction.Created;
    const created = await this.model.create({
      ...input,
      lastSentAt: at,
      history: [
        {
          action,
          by: input.status === InvitationStatus.Accepted ? input.craftsman : input.client,
          at,
        },
      ],
    });
    return this.remembered(this.toEntity(created.toObject()));
  }

  async findByTokenHash(tokenHash: string): Promise<InvitationEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ tokenHash }).lean().exec());
  }

  async findForInvitee(jobId: string, inviteeKey: string): Promise<InvitationEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ job: jobId, inviteeKey }).lean().exec());
  }

  async findByIdempotencyKey(
    clientId: string,
    idempotencyKey: string,
  ): Promise<InvitationEntity | null> {
    return this.toEntityOrNull(
      await this.model.findOne({ client: clientId, idempotencyKey }).lean().exec(),
    );
  }

  /**
   * A cancelled or expired invitation of this job and invitee, sent again as a new one. `null`
   * when there is none in such a state (it is pending, accepted or rejected).
   */
  async reinvite(
    id: string,
    input: { message: string; tokenHash: string; expiresAt: Date; idempotencyKey: string | null },
    at: Date,
  ): Promise<InvitationEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        {
          _id: id,
          $or: [
            { status: { $in: [InvitationStatus.Cancelled, InvitationStatus.Expired] } },
            { status: InvitationStatus.Pending, expiresAt: { $lte: at } },
          ],
        },
        {
          $set: {
            ...input,
            status: InvitationStatus.Pending,
            lastSentAt: at,
            viewedAt: null,
            respondedAt: null,
            reminderSentAt: null,
            reminderClaimedAt: null,
            cancellationReason: null,
            batchStamp: null,
            expiryAnnouncedAt: null,
            announceClaimedAt: null,
          },
          $push: historyPush(InvitationAction.Reinvited, null, at),
        },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /**
   * pending → `to`, only if still pending and not past expiry, and (when given) only for this
   * craftsman or client: of two racing answers exactly one wins.
   */
  async respond(
    id: string,
    guard: { craftsmanId?: string; clientId?: string; inviteeKey?: string },
    change: {
      to: InvitationStatus;
      set?: Record<string, unknown>;
      action: InvitationAction;
      by: string | null;
    },
    at: Date,
  ): Promise<InvitationEntity | null> {
    const filter: QueryFilter<Invitation> = {
      _id: id,
      status: InvitationStatus.Pending,
      expiresAt: { $gt: at },
    };
    if (guard.craftsmanId) {
      filter.craftsman = guard.craftsmanId;
    }
    if (guard.clientId) {
      filter.client = guard.clientId;
    }
    const updated = await this.model
      .findOneAndUpdate(
        filter,
        {
          $set: { status: change.to, respondedAt: at, ...change.set },
          $push: historyPush(change.action, change.by, at),
        },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** The first view only; true when this call recorded it. */
  async markViewed(id: string, by: string | null, at: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, viewedAt: null },
        { $set: { viewedAt: at }, $push: historyPush(InvitationAction.Viewed, by, at) },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Pending, the client's, last sent before `sentBefore`: a new token, sent now. */
  async resend(
    id: string,
    clientId: string,
    input: { tokenHash: string; sentBefore: Date },
    at: Date,
  ): Promise<InvitationEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        {
          _id: id,
          client: clientId,
          status: InvitationStatus.Pending,
          expiresAt: { $gt: at },
          lastSentAt: { $lte: input.sentBefore },
        },
        {
          $set: { tokenHash: input.tokenHash, lastSentAt: at },
          $inc: { resendCount: 1 },
          $push: historyPush(InvitationAction.Resent, clientId, at),
        },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** Cancels the job's pending invitations; answers exactly those this call cancelled. */
  cancelPendingForJob(
    jobId: string,
    set: Record<string, unknown>,
    at: Date,
  ): Promise<InvitationEntity[]> {
    return this.cancelPending({ job: jobId }, set, at);
  }

  /** Cancels the craftsman's pending invitations; answers exactly those this call cancelled. */
  cancelPendingForCraftsman(
    craftsmanId: string,
    set: Record<string, unknown>,
    at: Date,
  ): Promise<InvitationEntity[]> {
    return this.cancelPending({ craftsman: craftsmanId }, set, at);
  }

  /** accepted → cancelled: an acceptance whose parties' re-check failed, before anyone heard. */
  async cancelAccepted(id: string, set: Record<string, unknown>, at: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, status: InvitationStatus.Accepted },
        {
          $set: { status: InvitationStatus.Cancelled, respondedAt: at, ...set },
          $push: historyPush(InvitationAction.Cancelled, null, at),
        },
      )
      .exec();
  }

  private async cancelPending(
    filter: QueryFilter<Invitation>,
    set: Record<string, unknown>,
    at: Date,
  ): Promise<InvitationEntity[]> {
    const stamp = `cancel:${new Types.ObjectId().toHexString()}`;
    await this.model
      .updateMany(
        { ...filter, status: InvitationStatus.Pending },
        {
          $set: { status: InvitationStatus.Cancelled, respondedAt: at, batchStamp: stamp, ...set },
          $push: historyPush(InvitationAction.Cancelled, null, at),
        },
      )
      .exec();
    return this.findByStamp(stamp);
  }

  /** Every invitation the user sent (as client) or received (as craftsman), newest first. */
  findAllOfUser(userId: string): Promise<InvitationEntity[]> {
    return this.findAllOnEitherSide(['client', 'craftsman'], userId);
  }

  /**
   * Forgets the address the craftsman was invited at before he registered (his account is
   * being deleted): the invitations stay his, under no address. Answers how many changed.
   */
  async forgetInviteeEmailOf(craftsmanId: string): Promise<number> {
    const result = await this.model
      .updateMany(
        { craftsman: craftsmanId, inviteeEmail: { $ne: null } },
        { $set: { inviteeEmail: null } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** Pending email invitations to this address, from any client. */
  async findPendingForEmail(email: string, now: Date): Promise<InvitationEntity[]> {
    const found = await this.model
      .find({
        inviteeEmail: email,
        craftsman: null,
        status: InvitationStatus.Pending,
        expiresAt: { $gt: now },
      })
      .lean()
      .exec();
    return found.map((invitation) => this.toEntity(invitation));
  }

  /**
   * An email invitation becomes the craftsman's. `null` when it was claimed already, or when
   * the craftsman already has an invitation to that job (the unique index refuses it).
   */
  async claim(id: string, craftsmanId: string, at: Date): Promise<InvitationEntity | null> {
    try {
      const updated = await this.model
        .findOneAndUpdate(
          { _id: id, craftsman: null },
          {
            $set: { craftsman: craftsmanId, inviteeKey: craftsmanId },
            $push: historyPush(InvitationAction.Claimed, craftsmanId, at),
          },
          { returnDocument: 'after' },
        )
        .lean()
        .exec();
      return this.remembered(this.toEntityOrNull(updated));
    } catch {
      return null;
    }
  }

  list(
    filter: InvitationListFilter,
    page: CursorPageRequest,
    now: Date,
  ): Promise<CursorPaginated<InvitationEntity>> {
    return this.findCursorPage(
      this.listFilter(filter, now),
      { createdAt: -1, _id: -1 },
      page,
      filter.jobId
        ? // one job's: bounded (INVITES_PER_JOB_PER_DAY a day while it is open); its job is read already
          { countWithPage: true }
        : // the page's jobs come with it: the answer embeds their summaries
          { embed: { from: 'jobs', localField: 'job' } },
    );
  }

  /**
   * Stamps the next `limit` due pending invitations (oldest expiry first) as expired by this
   * sweep; answers how many this call expired (0 when none are due, or another instance took
   * them). The batch is bounded by the (expiresAt, _id) of its last member rather than a list
   * of ids, so that one conditional updateMany claims it on any engine.
   */
  async expireDue(now: Date, limit: number, stamp: string): Promise<number> {
    const due: QueryFilter<Invitation> = {
      status: InvitationStatus.Pending,
      expiresAt: { $lte: now },
    };
    const result = await this.model
      .updateMany(await this.firstOf(due, limit), {
        $set: {
          status: InvitationStatus.Expired,
          batchStamp: stamp,
          expiredAt: now,
          expiryAnnouncedAt: null,
        },
        $push: historyPush(InvitationAction.Expired, null, now),
      })
      .exec();
    return result.modifiedCount;
  }

  async findByStamp(stamp: string): Promise<InvitationEntity[]> {
    const found = await this.model.find({ batchStamp: stamp }).lean().exec();
    return found.map((invitation) => this.toEntity(invitation));
  }

  async markAnnounced(stamp: string, at: Date): Promise<void> {
    await this.model.updateMany({ batchStamp: stamp }, { $set: { expiryAnnouncedAt: at } }).exec();
  }

  /** `filter` narrowed to its first `limit` documents in (expiresAt, _id) order. */
  private async firstOf(
    filter: QueryFilter<Invitation>,
    limit: number,
  ): Promise<QueryFilter<Invitation>> {
    const [last] = await this.model
      .find(filter, { expiresAt: 1 })
      .sort({ expiresAt: 1, _id: 1 })
      .skip(limit - 1)
      .limit(1)
      .lean()
      .exec();
    if (!last) {
      return filter;
    }
    return {
      $and: [
        filter,
        {
          $or: [
            { expiresAt: { $lt: last.expiresAt } },
            { expiresAt: last.expiresAt, _id: { $lte: last._id } },
          ],
        },
      ],
    };
  }

  /**
   * Claims expired invitations whose announcement a crashed sweep never made (expired before
   * `before`, and not taken over since `before` by another sweep): the caller announces them,
   * then `markAnnounced`; a sweep that dies in between leaves them to the next one.
   */
  async claimUnannounced(
    before: Date,
    limit: number,
    stamp: string,
    now: Date,
  ): Promise<InvitationEntity[]> {
    const stale: QueryFilter<Invitation> = {
      status: InvitationStatus.Expired,
      expiryAnnouncedAt: null,
      expiredAt: { $lte: before },
      $or: [{ announceClaimedAt: null }, { announceClaimedAt: { $lte: before } }],
    };
    const result = await this.model
      .updateMany(await this.firstOf(stale, limit), {
        $set: { announceClaimedAt: now, batchStamp: stamp },
      })
      .exec();
    return result.modifiedCount > 0 ? this.findByStamp(stamp) : [];
  }

  /**
   * Claims up to `limit` pending invitations expiring before `windowEnd` that were not reminded
   * (nor taken by another run since `reclaimBefore`); the caller reminds, then `markReminded`.
   */
  async claimReminders(
    now: Date,
    windowEnd: Date,
    limit: number,
    stamp: string,
    reclaimBefore: Date,
  ): Promise<InvitationEntity[]> {
    const due: QueryFilter<Invitation> = {
      status: InvitationStatus.Pending,
      reminderSentAt: null,
      craftsman: { $ne: null },
      expiresAt: { $gt: now, $lte: windowEnd },
      $or: [{ reminderClaimedAt: null }, { reminderClaimedAt: { $lte: reclaimBefore } }],
    };
    const result = await this.model
      .updateMany(await this.firstOf(due, limit), {
        $set: { reminderClaimedAt: now, batchStamp: stamp },
      })
      .exec();
    return result.modifiedCount > 0 ? this.findByStamp(stamp) : [];
  }

  async markReminded(stamp: string, at: Date): Promise<void> {
    await this.model
      .updateMany(
        { batchStamp: stamp, reminderSentAt: null },
        {
          $set: { reminderSentAt: at },
          $push: historyPush(InvitationAction.Reminded, null, at),
        },
      )
      .exec();
  }

  /** Every craftsman invited to the job, whatever became of the invitation. */
  async craftsmenInvitedTo(jobId: string): Promise<string[]> {
    const found = await this.model
      .find({ job: jobId, craftsman: { $ne: null } }, { craftsman: 1 })
      .lean()
      .exec();
    return found.map((invitation) => invitation.craftsman!.toHexString());
  }

  async countsForJob(jobId: string, now: Date): Promise<StatusCounts> {
    const invitations = await this.model
      .find(
        { job: jobId },
        { status: 1, expiresAt: 1, rejectionReasonCode: 1, viewedAt: 1, craftsman: 1 },
      )
      .lean()
      .exec();
    const counts: StatusCounts = {
      byStatus: {},
      rejectedByReason: {},
      viewed: 0,
      craftsmanIds: [],
    };
    for (const invitation of invitations) {
      const status =
        invitation.status === InvitationStatus.Pending && invitation.expiresAt <= now
          ? InvitationStatus.Expired
          : invitation.status;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
      if (status === InvitationStatus.Rejected) {
        const reason = invitation.rejectionReasonCode ?? 'unspecified';
        counts.rejectedByReason[reason] = (counts.rejectedByReason[reason] ?? 0) + 1;
      }
      if (invitation.viewedAt) {
        counts.viewed += 1;
      }
      if (invitation.craftsman) {
        counts.craftsmanIds.push(invitation.craftsman.toHexString());
      }
    }
    return counts;
  }

  private listFilter(filter: InvitationListFilter, now: Date): QueryFilter<Invitation> {
    const query: QueryFilter<Invitation> = {};
    if (filter.clientId) {
      query.client = filter.clientId;
    }
    if (filter.craftsmanId) {
      query.craftsman = filter.craftsmanId;
    }
    if (filter.jobId) {
      query.job = filter.jobId;
    }
    switch (filter.status) {
      case undefined:
        break;
      case InvitationStatus.Pending:
        query.status = InvitationStatus.Pending;
        query.expiresAt = { $gt: now };
        break;
      case InvitationStatus.Expired:
        query.$or = [
          { status: InvitationStatus.Expired },
          { status: InvitationStatus.Pending, expiresAt: { $lte: now } },
        ];
        break;
      default:
        query.status = filter.status;
    }
    return query;
  }
}
