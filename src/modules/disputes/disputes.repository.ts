import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { olderThan, type TimelineRead, timelineSort } from '../../common/database/timeline.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import type { DisputeOutcome } from '../money/payments/dispute-settlement.service.js';
import {
  Dispute,
  type DisputeEntity,
  type DisputeReason,
  DisputeStatus,
  type EvidenceMessageEntity,
} from './schemas/dispute.schema.js';

export interface NewDispute {
  job: string;
  client: string;
  craftsman: string;
  openedBy: string;
  reason: DisputeReason;
  description: string;
  /** False when the job is still to be moved to `disputed` (POST /disputes inserts first). */
  jobMoved: boolean;
  awaitingFrom: string;
  respondBy: Date;
  reminderAt: Date;
  slaDueAt: Date;
  unassignedAlertAt: Date;
  unresolvedAlertAt: Date;
  at: Date;
}

export interface NewEvidence {
  by: string;
  text: string | null;
  messages: EvidenceMessageEntity[];
  /** Upload ids (dispute_evidence) of the submitter's. */
  fileIds: string[];
  at: Date;
  /** The other party: his answer is awaited until `respondBy`. */
  awaitingFrom: string;
  respondBy: Date;
  reminderAt: Date;
  /** The party that did not open it answers: `firstResponseAt` is set if still unset. */
  isResponse: boolean;
}

export interface Decision {
  outcome: DisputeOutcome;
  clientAmount?: number;
  craftsmanAmount?: number;
  note: string;
  by: string;
  at: Date;
}

/** The report's raw numbers: durations of the resolutions in the range. */
export interface ResolutionTimes {
  opened: number;
  /** Milliseconds from opening to resolution, one per dispute resolved in the range. */
  durationsMs: number[];
}

/**
 * The disputes one user opened and how they ended (the admin user view, to spot abuse): `won`
 * resolved for his side (a refund to the client who opened it, a release to the craftsman who
 * did), `lost` for the other side, `other` a split or no payment; `open` not resolved yet.
 */
export interface OpenerStats {
  userId: string;
  opened: number;
  open: number;
  won: number;
  lost: number;
  other: number;
}

export type AlertKind = 'unassigned' | 'unresolved';

@Injectable()
export class DisputesRepository extends BaseRepository<Dispute, DisputeEntity> {
  constructor(@InjectModel(Dispute.name) model: Model<Dispute>) {
    super(model);
  }

  /** The disputes the user is a party to, newest first, after `read.before` (his history). */
  async findForHistory(read: TimelineRead): Promise<DisputeEntity[]> {
    const found = await this.model
      .find({ parties: read.userId, ...olderThan(read.before) } as QueryFilter<Dispute>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }

  /** Writes it open. Throws E11000 (openKey) when the job has an open dispute already. */
  async create(input: NewDispute): Promise<DisputeEntity> {
    const { at, ...fields } = input;
    const created = await this.model.create({
      ...fields,
      parties: [input.client, input.craftsman],
      openKey: input.job,
      status: DisputeStatus.Open,
      evidence: [],
      openedAt: at,
    });
    return this.remembered(this.toEntity(created.toObject()));
  }

  /** The job's open (or resolving) dispute, if any. */
  async findOpenForJob(jobId: string): Promise<DisputeEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ openKey: jobId }).lean().exec());
  }

  /** Takes back a dispute whose job could not be moved to `disputed`: nothing half-written stays. */
  async deleteUnmoved(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id, jobMoved: false, status: DisputeStatus.Open }).exec();
  }

  async markJobMoved(id: string): Promise<void> {
    await this.model.updateOne({ _id: id, jobMoved: false }, { $set: { jobMoved: true } }).exec();
  }

  /** Disputes a crash left inserted without their job's move, older than `before`. */
  async findUnmoved(before: Date, limit: number): Promise<DisputeEntity[]> {
    const found = await this.model
      .find({ jobMoved: false, openedAt: { $lt: before } })
      .limit(limit)
      .lean()
      .exec();
    return found.map((dispute) => this.toEntity(dispute));
  }

  /** Appends evidence to an open dispute; null when it is no longer open. */
  async addEvidence(id: string, evidence: NewEvidence): Promise<DisputeEntity | null> {
    const item = {
      by: evidence.by,
      text: evidence.text,
      messages: evidence.messages,
      fileIds: evidence.fileIds,
      createdAt: evidence.at,
    };
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, status: DisputeStatus.Open },
        {
          $push: { evidence: item },
          $set: {
            awaitingFrom: evidence.awaitingFrom,
            respondBy: evidence.respondBy,
            reminderAt: evidence.reminderAt,
          },
        },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    if (updated && evidence.isResponse) {
      const answered = await this.model
        .findOneAndUpdate(
          { _id: id, firstResponseAt: null },
          { $set: { firstResponseAt: evidence.at } },
          { returnDocument: 'after' },
        )
        .lean()
        .exec();
      return this.remembered(this.toEntityOrNull(answered ?? updated));
    }
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** A party's disputes (either side), newest first. */
  listForParty(userId: string, page: PageRequest): Promise<Paginated<DisputeEntity>> {
    return this.findPage({ parties: userId }, { createdAt: -1, _id: -1 }, page);
  }

  /** Every dispute the user is a party to, newest first (his data export; deletion's check). */
  async findAllForParty(userId: string): Promise<DisputeEntity[]> {
    const found = await this.model
      .find({ parties: userId })
      .sort({ createdAt: -1, _id: -1 })
      .lean()
      .exec();
    return found.map((dispute) => this.toEntity(dispute));
  }

  /** The user's disputes not resolved yet (open, or being resolved), at most `limit`. */
  async findUnresolvedForParty(userId: string, limit: number): Promise<DisputeEntity[]> {
    const found = await this.model
      .find({ parties: userId, status: { $ne: DisputeStatus.Resolved } })
      .limit(limit)
      .lean()
      .exec();
    return found.map((dispute) => this.toEntity(dispute));
  }

  /** Staff's list: by status, newest first or the nearest SLA due first. */
  listForStaff(
    status: DisputeStatus | undefined,
    sort: 'newest' | 'slaDue',
    page: PageRequest,
  ): Promise<Paginated<DisputeEntity>> {
    const filter: QueryFilter<Dispute> = status ? { status } : {};
    return this.findPage(
      filter,
      sort === 'slaDue' ? { slaDueAt: 1, _id: 1 } : { createdAt: -1, _id: -1 },
      page,
    );
  }

  /** An open dispute taken by an admin (the first to take it keeps it). */
  async assign(id: string, adminId: string, at: Date): Promise<DisputeEntity | null> {
    return this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate(
            { _id: id, status: DisputeStatus.Open },
            { $set: { assignedTo: adminId, assignedAt: at, unassignedAlertAt: null } },
            { returnDocument: 'after' },
          )
          .lean()
          .exec(),
      ),
    );
  }

  /**
   * Claims an open dispute for a resolution: open → resolving with the decision stored, one
   * winner. Null when it was not open (the caller reads what it is).
   */
  async claimForResolution(id: string, decision: Decision): Promise<DisputeEntity | null> {
    return this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate(
            { _id: id, status: DisputeStatus.Open, jobMoved: true },
            {
              $set: {
                status: DisputeStatus.Resolving,
                decision,
                reminderAt: null,
                unassignedAlertAt: null,
                unresolvedAlertAt: null,
              },
            },
            { returnDocument: 'after' },
          )
          .lean()
          .exec(),
      ),
    );
  }

  /** Resolving → resolved: the job's key is freed for a later dispute. */
  async markResolved(dispute: DisputeEntity, at: Date): Promise<DisputeEntity | null> {
    return this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate(
            { _id: dispute.id, status: DisputeStatus.Resolving },
            {
              $set: {
                status: DisputeStatus.Resolved,
                resolvedAt: at,
                resolvedBy: dispute.decision?.by ?? null,
                openKey: `${dispute.job}:${dispute.id}`,
              },
            },
            { returnDocument: 'after' },
          )
          .lean()
          .exec(),
      ),
    );
  }

  /** Disputes a crash left `resolving` since before `before`. */
  async findStuckResolving(before: Date, limit: number): Promise<DisputeEntity[]> {
    const found = await this.model
      .find({ status: DisputeStatus.Resolving, 'decision.at': { $lt: before } })
      .limit(limit)
      .lean()
      .exec();
    return found.map((dispute) => this.toEntity(dispute));
  }

  /**
   * Claims one open dispute whose reminder is due: its `reminderAt` is cleared in the same
   * write, so each `respondBy` is reminded of once among all instances.
   */
  async claimDueReminder(now: Date): Promise<DisputeEntity | null> {
    return this.toEntityOrNull(
      await this.model
        .findOneAndUpdate(
          { reminderAt: { $lte: now }, status: DisputeStatus.Open },
          { $set: { reminderAt: null } },
          { returnDocument: 'before' },
        )
        .lean()
        .exec(),
    );
  }

  /** Claims one open dispute whose `kind` alert is due (cleared in the same write: once). */
  async claimDueAlert(kind: AlertKind, now: Date): Promise<DisputeEntity | null> {
    const field = kind === 'unassigned' ? 'unassignedAlertAt' : 'unresolvedAlertAt';
    return this.toEntityOrNull(
      await this.model
        .findOneAndUpdate(
          { [field]: { $lte: now }, status: DisputeStatus.Open },
          { $set: { [field]: null } },
          { returnDocument: 'before' },
        )
        .lean()
        .exec(),
    );
  }

  /** How many were opened in [from, to), and how long each resolved in [from, to) took. */
  async resolutionTimes(from: Date, to: Date, limit: number): Promise<ResolutionTimes> {
    const [opened, resolved] = await Promise.all([
      this.model.countDocuments({ openedAt: { $gte: from, $lt: to } }).exec(),
      this.model
        .find({ resolvedAt: { $gte: from, $lt: to } }, { openedAt: 1, resolvedAt: 1 })
        .limit(limit)
        .lean()
        .exec(),
    ]);
    return {
      opened,
      durationsMs: resolved.map(
        (dispute) => (dispute.resolvedAt as Date).getTime() - dispute.openedAt.getTime(),
      ),
    };
  }

  /** Per user of `userIds`: the disputes he opened and how they ended; one aggregation. */
  async openerStats(userIds: string[]): Promise<OpenerStats[]> {
    if (userIds.length === 0) {
      return [];
    }
    const resolved = { $eq: ['$status', DisputeStatus.Resolved] };
    const outcomeIs = (outcome: string) => ({ $eq: ['$decision.outcome', outcome] });
    const openedAs = (side: string) => ({ $eq: ['$openedBy', side] });
    const when = (condition: unknown) => ({ $sum: { $cond: [condition, 1, 0] } });
    const rows = await this.model
      .aggregate<Omit<OpenerStats, 'userId'> & { _id: unknown }>([
        { $match: { openedBy: { $in: userIds.map((id) => this.objectId(id)) } } },
        {
          $group: {
            _id: '$openedBy',
            opened: { $sum: 1 },
            open: when({ $not: [resolved] }),
            won: when({
              $and: [
                resolved,
                {
                  $or: [
                    { $and: [openedAs('$client'), outcomeIs('refund_client')] },
                    { $and: [openedAs('$craftsman'), outcomeIs('release_to_craftsman')] },
                  ],
                },
              ],
            }),
            lost: when({
              $and: [
                resolved,
                {
                  $or: [
                    { $and: [openedAs('$client'), outcomeIs('release_to_craftsman')] },
                    { $and: [openedAs('$craftsman'), outcomeIs('refund_client')] },
                  ],
                },
              ],
            }),
            other: when({
              $and: [resolved, { $or: [outcomeIs('split'), outcomeIs('no_payment')] }],
            }),
          },
        },
      ])
      .exec();
    return rows.map(({ _id, ...counts }) => ({ userId: String(_id), ...counts }));
  }

  private objectId(id: string) {
    return new this.model.base.Types.ObjectId(id);
  }
}
