import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { STAFF_ROLES } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import type { TimelineRead } from '../../common/database/timeline.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { actorOf } from '../../common/events/event-actor.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import type { AllConfig } from '../../config/config.js';
import type { TrustConfig } from '../../config/trust.config.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { JobStatus } from '../jobs/job-status.js';
import { JobDisputesService } from '../jobs/job-disputes.service.js';
import { UploadPurpose } from '../files/schemas/upload.schema.js';
import { UploadsService } from '../files/uploads.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import { DisputesErrors } from './disputes.errors.js';
import { type AlertKind, DisputesRepository } from './disputes.repository.js';
import type { AddEvidenceDto } from './dto/add-evidence.dto.js';
import type { OpenDisputeDto } from './dto/open-dispute.dto.js';
import { DisputeAssignedEvent } from './events/dispute-assigned.event.js';
import { DisputeEvidenceAddedEvent } from './events/dispute-evidence-added.event.js';
import { DisputeOpenedEvent } from './events/dispute-opened.event.js';
import { DisputeReminderDueEvent } from './events/dispute-reminder-due.event.js';
import { DisputeSlaAlertEvent } from './events/dispute-sla-alert.event.js';
import {
  type DisputeEntity,
  DisputeReason,
  DisputeStatus,
  type EvidenceMessageEntity,
} from './schemas/dispute.schema.js';

/** Job statuses a party may dispute from (`completed` within DISPUTE_WINDOW). */
const DISPUTABLE: readonly JobStatus[] = [
  JobStatus.Hired,
  JobStatus.OnTheWay,
  JobStatus.InProgress,
  JobStatus.Completed,
];
/** A dispute inserted this long ago without its job's move is a crash's leftover. */
const UNMOVED_GRACE_MS = 60_000;
/** At most this many of each kind per sweep run; the next minute takes the rest. */
const SWEEP_BATCH = 100;

/** What a sweep did, for the log. */
export interface DisputeSweepResult {
  reminders: number;
  alerts: number;
  repaired: number;
}

/**
 * Disputes (API.md "Disputes and cancellations"): a party opens one on a job, which freezes its
 * money and reviews (`disputed`); both submit evidence, each answered within
 * DISPUTE_RESPONSE_WINDOW; admins are reminded of the SLA. The resolution is
 * DisputeResolutionService's, the report DisputeReportsService's.
 */
@Injectable()
export class DisputesService {
  private readonly logger = new Logger(DisputesService.name);
  private readonly trust: TrustConfig;
  /**
   * Jobs this instance is moving to `disputed` for a dispute it wrote (POST /disputes): their
   * move's event needs no record of its own (saves a refused insert per opening).
   */
  private readonly opening = new Set<string>();

  constructor(
    private readonly disputes: DisputesRepository,
    private readonly jobs: JobsService,
    private readonly jobDisputes: JobDisputesService,
    private readonly conversations: ConversationsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly uploads: UploadsService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.trust = config.get('trust', { infer: true });
  }

  /**
   * A party disputes the job: the dispute is written first (its unique key is the job's: one
   * open dispute per job), then the job moves to `disputed`. When the job can't move (it moved
   * meanwhile to where it can't be disputed), the dispute is taken back.
   *
   * @throws 404 NOT_FOUND (job), 403 FORBIDDEN (not a party), 409 DISPUTE_EXISTS, 409
   *   JOB_NOT_DISPUTABLE, 409 DISPUTE_WINDOW_CLOSED
   */
  async open(viewer: AuthUser, input: OpenDisputeDto): Promise<DisputeEntity> {
    const job = await this.jobs.getById(input.jobId);
    if (job.client !== viewer.id && job.craftsman !== viewer.id) {
      throw DisputesErrors.notAParty();
    }
    if (job.status === JobStatus.Disputed) {
      throw DisputesErrors.exists();
    }
    this.assertDisputable(job);
    // a disputable job has its craftsman hired
    const other = job.client === viewer.id ? (job.craftsman as string) : job.client;
    let dispute: DisputeEntity;
    try {
      dispute = await this.disputes.create({
        ...this.newDispute(job, viewer.id, other),
        reason: input.reason,
        description: input.description,
        jobMoved: false,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw DisputesErrors.exists();
      }
      throw error;
    }
    // the job's move tells this service (recordFromJobMove) that its dispute is written
    this.opening.add(job.id);
    try {
      await this.moveJobToDisputed(job, viewer.id);
    } catch (error) {
      await this.disputes.deleteUnmoved(dispute.id);
      throw error;
    } finally {
      this.opening.delete(job.id);
    }
    await this.disputes.markJobMoved(dispute.id);
    const moved = { ...dispute, jobMoved: true };
    await this.events.publish(new DisputeOpenedEvent(moved));
    return moved;
  }

  /**
   * A move of the job to `disputed` made through PATCH /jobs/:id/status (API.md "Jobs": either
   * party → disputed) gets its dispute record, reason `other`, unless the job has an open one
   * (POST /disputes writes its own before moving the job): the unique key makes this
   * idempotent, so either way the job ends with exactly one open dispute.
   */
  async recordFromJobMove(job: JobEntity, by: string | null): Promise<void> {
    if (job.craftsman === null || this.opening.has(job.id)) {
      return;
    }
    const openedBy = by ?? job.client;
    const other = openedBy === job.craftsman ? job.client : job.craftsman;
    try {
      const dispute = await this.disputes.create({
        ...this.newDispute(job, openedBy, other),
        reason: DisputeReason.Other,
        description: 'Opened by moving the job to disputed (PATCH /api/jobs/:id/status).',
        jobMoved: true,
      });
      await this.events.publish(new DisputeOpenedEvent(dispute));
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
    }
  }

  /** @throws 404 NOT_FOUND */
  async getById(id: string): Promise<DisputeEntity> {
    const dispute = await this.disputes.findById(id);
    if (!dispute) {
      throw DisputesErrors.notFound();
    }
    return dispute;
  }

  /**
   * A dispute for its parties and staff.
   * @throws 404 NOT_FOUND, 403 FORBIDDEN
   */
  async getForViewer(id: string, viewer: AuthUser): Promise<DisputeEntity> {
    const dispute = await this.disputes.findById(id);
    if (!dispute) {
      throw DisputesErrors.notFound();
    }
    if (!dispute.parties.includes(viewer.id) && !STAFF_ROLES.includes(viewer.role)) {
      throw DisputesErrors.notYours();
    }
    return dispute;
  }

  /** The disputes the user is a party to (either side), newest first. */
  listMine(viewer: AuthUser, page: PageRequest): Promise<Paginated<DisputeEntity>> {
    return this.disputes.listForParty(viewer.id, page);
  }

  /** Every dispute the user is a party to, newest first (his data export). */
  allOfParty(userId: string): Promise<DisputeEntity[]> {
    return this.disputes.findAllForParty(userId);
  }

  /** A page of the user's disputes, for his history (see TimelineRead). */
  historyOf(read: TimelineRead): Promise<DisputeEntity[]> {
    return this.disputes.findForHistory(read);
  }

  /** The user's disputes not resolved yet (at most `limit`): they keep his account alive. */
  unresolvedOfParty(userId: string, limit: number): Promise<DisputeEntity[]> {
    return this.disputes.findUnresolvedForParty(userId, limit);
  }

  /** Staff's list, by status, newest first or the nearest SLA due first. */
  listForStaff(
    status: DisputeStatus | undefined,
    sort: 'newest' | 'slaDue',
    page: PageRequest,
  ): Promise<Paginated<DisputeEntity>> {
    return this.disputes.listForStaff(status, sort, page);
  }

  /**
   * A party submits evidence: a statement and/or messages of the parties' conversation,
   * copied as they read now. The other party is told and has DISPUTE_RESPONSE_WINDOW to answer
   * (`respondBy`).
   *
   * @throws 404, 403 (not a party), 400 VALIDATION_FAILED (nothing given, or a message not of
   *   the parties' conversation), 409 DISPUTE_CLOSED; for `fileIds` as
   *   `UploadsService.resolve` (404, 403 someone else's, 400 UPLOAD_PURPOSE_MISMATCH, 409
   *   UPLOAD_IN_USE)
   */
  async addEvidence(id: string, viewer: AuthUser, input: AddEvidenceDto): Promise<DisputeEntity> {
    const dispute = await this.getForViewer(id, viewer);
    if (!dispute.parties.includes(viewer.id)) {
      throw DisputesErrors.notAParty();
    }
    const messageIds = [...new Set(input.messageIds ?? [])];
    const fileIds = [...new Set(input.fileIds ?? [])];
    if (input.text === undefined && messageIds.length === 0 && fileIds.length === 0) {
      throw DisputesErrors.noEvidence();
    }
    if (dispute.status !== DisputeStatus.Open) {
      throw DisputesErrors.closed();
    }
    const messages = await this.copyMessages(dispute, messageIds);
    const at = this.clock.now();
    const other = viewer.id === dispute.client ? dispute.craftsman : dispute.client;
    const { uploads } = await this.uploads.resolve({
      owner: viewer.id,
      purpose: UploadPurpose.DisputeEvidence,
      ids: fileIds,
    });
    const respondBy = new Date(at.getTime() + this.trust.disputeResponseWindowMs);
    const updated = await this.uploads.attachWhile(
      { owner: viewer.id, uploads, readers: [other] },
      () =>
        this.disputes.addEvidence(id, {
          by: viewer.id,
          text: input.text ?? null,
          messages,
          fileIds,
          at,
          awaitingFrom: other,
          respondBy,
          reminderAt: this.reminderAtFor(respondBy),
          isResponse: viewer.id !== dispute.openedBy,
        }),
    );
    if (!updated) {
      throw DisputesErrors.closed();
    }
    await this.events.publish(
      new DisputeEvidenceAddedEvent(id, dispute.job, viewer.id, other, respondBy),
    );
    return updated;
  }

  /**
   * An admin takes an open dispute (the latest to take it holds it): it stops counting as
   * unassigned for the SLA alert.
   * @throws 404, 409 DISPUTE_CLOSED
   */
  async assign(id: string, admin: AuthUser): Promise<DisputeEntity> {
    const at = this.clock.now();
    const assigned = await this.disputes.assign(id, admin.id, at);
    if (assigned) {
      await this.events.publish(
        new DisputeAssignedEvent(assigned.id, assigned.job, actorOf(admin), at),
      );
      return assigned;
    }
    if (!(await this.disputes.findById(id))) {
      throw DisputesErrors.notFound();
    }
    throw DisputesErrors.closed();
  }

  /**
   * The minute sweep: reminders before `respondBy`, SLA alerts to admins, and disputes a crash
   * left inserted without their job's move (resolutions left `resolving`:
   * DisputeResolutionService.sweep).
   */
  async sweep(): Promise<DisputeSweepResult> {
    const now = this.clock.now();
    const result: DisputeSweepResult = { reminders: 0, alerts: 0, repaired: 0 };
    for (let index = 0; index < SWEEP_BATCH; index += 1) {
      const due = await this.disputes.claimDueReminder(now);
      if (!due) {
        break;
      }
      if (due.respondBy.getTime() > now.getTime()) {
        await this.events.publish(new DisputeReminderDueEvent(due));
        result.reminders += 1;
      }
    }
    for (const kind of ['unassigned', 'unresolved'] as const) {
      result.alerts += await this.sendAlerts(kind, now);
    }
    result.repaired += await this.repairUnmoved(now);
    return result;
  }

  private async sendAlerts(kind: AlertKind, now: Date): Promise<number> {
    let sent = 0;
    for (let index = 0; index < SWEEP_BATCH; index += 1) {
      const due = await this.disputes.claimDueAlert(kind, now);
      if (!due) {
        break;
      }
      await this.events.publish(new DisputeSlaAlertEvent(due, kind));
      sent += 1;
    }
    return sent;
  }

  /** Finishes (moves the job) or takes back disputes whose insert a crash left alone. */
  private async repairUnmoved(now: Date): Promise<number> {
    const stranded = await this.disputes.findUnmoved(
      new Date(now.getTime() - UNMOVED_GRACE_MS),
      SWEEP_BATCH,
    );
    for (const dispute of stranded) {
      try {
        await this.moveJobToDisputed(await this.jobs.getById(dispute.job), dispute.openedBy);
        await this.disputes.markJobMoved(dispute.id);
        await this.events.publish(new DisputeOpenedEvent({ ...dispute, jobMoved: true }));
      } catch (error) {
        this.logger.warn(`Dispute ${dispute.id} taken back: ${String(error)}`);
        await this.disputes.deleteUnmoved(dispute.id);
      }
    }
    return stranded.length;
  }

  /**
   * Moves the job to `disputed`, judged again when it moved meanwhile (e.g. completed while
   * the dispute was written: still disputable within the window). A job some other call
   * disputed meanwhile is left: the dispute written first holds the job's key, so it is the
   * job's record.
   */
  private async moveJobToDisputed(job: JobEntity, by: string): Promise<void> {
    let current = job;
    for (let round = 0; round < 3; round += 1) {
      if (current.status === JobStatus.Disputed) {
        return;
      }
      this.assertDisputable(current);
      if (await this.jobDisputes.openDispute(current, by)) {
        return;
      }
      current = await this.jobs.getById(job.id);
    }
    throw DisputesErrors.notDisputable(current.status);
  }

  /** @throws 409 JOB_NOT_DISPUTABLE, 409 DISPUTE_WINDOW_CLOSED */
  private assertDisputable(job: JobEntity): void {
    if (!DISPUTABLE.includes(job.status)) {
      throw DisputesErrors.notDisputable(job.status);
    }
    this.jobs.assertDisputeWindowOpen(job);
  }

  private newDispute(job: JobEntity, openedBy: string, other: string) {
    const at = this.clock.now();
    const respondBy = new Date(at.getTime() + this.trust.disputeResponseWindowMs);
    return {
      job: job.id,
      client: job.client,
      craftsman: job.craftsman as string,
      openedBy,
      awaitingFrom: other,
      respondBy,
      reminderAt: this.reminderAtFor(respondBy),
      slaDueAt: new Date(at.getTime() + this.trust.disputeUnresolvedAlertAfterMs),
      unassignedAlertAt: new Date(at.getTime() + this.trust.disputeUnassignedAlertAfterMs),
      unresolvedAlertAt: new Date(at.getTime() + this.trust.disputeUnresolvedAlertAfterMs),
      at,
    };
  }

  private reminderAtFor(respondBy: Date): Date {
    return new Date(respondBy.getTime() - this.trust.disputeResponseReminderBeforeMs);
  }

  /** @throws 400 VALIDATION_FAILED when a message is not of the parties' conversation */
  private async copyMessages(
    dispute: DisputeEntity,
    ids: string[],
  ): Promise<EvidenceMessageEntity[]> {
    if (ids.length === 0) {
      return [];
    }
    const found = await this.conversations.messagesOfPair(dispute.client, dispute.craftsman, ids);
    const byId = new Map(found.map((message) => [message.id, message]));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw DisputesErrors.unknownMessages(unknown);
    }
    return ids.map((id) => {
      const message = byId.get(id) as (typeof found)[number];
      return { id, sender: message.sender, text: message.text, sentAt: message.createdAt };
    });
  }
}
