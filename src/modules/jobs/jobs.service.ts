import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { STAFF_ROLES } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { TimelineRead } from '../../common/database/timeline.js';
import { actorOf } from '../../common/events/event-actor.js';
import type { LatLng } from '../../common/geo/distance.js';
import { gridCellOf } from '../../common/geo/location-privacy.js';
import { type DistancePrecision, findNearby } from '../../common/geo/page-by-distance.js';
import {
  type CursorPaginated,
  mapPage,
  type PageRequest,
} from '../../common/pagination/paginated.js';
import type { AllConfig } from '../../config/config.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { UserSummaryDto } from '../users/dto/user-summary.dto.js';
import { Role } from '../../common/auth/role.js';
import { UserBannedEvent } from '../users/events/user-banned.event.js';
import { type ImageList, UploadsService } from '../files/uploads.service.js';
import { UploadPurpose } from '../files/schemas/upload.schema.js';
import { UsersService } from '../users/users.service.js';
import type { BrowseJobsQueryDto } from './dto/browse-jobs-query.dto.js';
import type { CreateJobDto } from './dto/create-job.dto.js';
import type { JobResponseDto, StatusChangeDto } from './dto/job-response.dto.js';
import type { UpdateJobDto } from './dto/update-job.dto.js';
import { JobCancelledEvent } from './events/job-cancelled.event.js';
import { JobStatusForcedEvent } from './events/job-status-forced.event.js';
import { JobCreatedEvent } from './events/job-created.event.js';
import { JobStatusChangedEvent } from './events/job-status-changed.event.js';
import { JobUpdatedEvent, type MaterialField } from './events/job-updated.event.js';
import { isOpen, JobStatus, OPEN_STATUSES } from './job-status.js';
import { moneyFlagsOf, needsPaymentToMove } from './job-money-flags.js';
import { JobActor, judgeTransition } from './job-state-machine.js';
import { JobsErrors } from './jobs.errors.js';
import { type Hire, type JobChanges, type JobSearch, JobsRepository } from './jobs.repository.js';
import { type JobEntity, type StatusChangeEntity, titleWordsOf } from './schemas/job.schema.js';

export const DEFAULT_JOB_SEARCH_RADIUS_KM = 25;

export interface JobListItem {
  job: JobEntity;
  distanceKm?: number;
}

@Injectable()
export class JobsService {
  constructor(
    private readonly jobsRepository: JobsRepository,
    private readonly catalogService: CatalogService,
    private readonly usersService: UsersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly config: ConfigService<AllConfig, true>,
    private readonly uploads: UploadsService,
  ) {}

  /** The photos as the job keeps them (upload ids → URLs); undefined when none were sent. */
  private async photosOf(
    clientId: string,
    entries: string[] | null | undefined,
    current?: readonly string[],
  ): Promise<ImageList | undefined> {
    if (!entries) {
      return undefined;
    }
    return this.uploads.resolveImageList({
      owner: clientId,
      purpose: UploadPurpose.JobPhoto,
      entries,
      current,
    });
  }

  /**
   * Posts a job. `photos` may name the client's `job_photo` uploads by id (they become their
   * URLs) or, as before uploads existed, be URLs.
   *
   * @throws 404 (unknown upload), 403 (someone else's), 400 UPLOAD_PURPOSE_MISMATCH, 409
   *   UPLOAD_IN_USE (a photo of another job)
   */
  async create(clientId: string, input: CreateJobDto): Promise<JobEntity> {
    const photos = await this.photosOf(clientId, input.photos);
    const category = await this.canonicalCategory(input.category);
    const job = await this.uploads.attachWhile(
      { owner: clientId, uploads: photos?.added ?? [] },
      () =>
        this.jobsRepository.create(
          {
            ...input,
            client: clientId,
            category,
            ...(photos ? { photos: photos.urls, photoUploads: photos.uploadIds } : {}),
          },
          this.clock.now(),
        ),
    );
    await this.events.publish(new JobCreatedEvent(job.id, clientId, job.category));
    return job;
  }

  async getById(jobId: string): Promise<JobEntity> {
    const job = await this.jobsRepository.findById(jobId);
    if (!job) {
      throw JobsErrors.notFound();
    }
    return job;
  }

  /** Open jobs are for every signed-in user; the others only for their parties and staff. */
  async getForViewer(jobId: string, viewer: AuthUser): Promise<JobEntity> {
    const job = await this.getById(jobId);
    if (!isOpen(job.status) && this.actorFor(job, viewer) === JobActor.Other) {
      throw JobsErrors.notVisible();
    }
    return job;
  }

  /** Jobs by id, for embedding summaries; unknown ids are absent. */
  async getMany(ids: string[]): Promise<Map<string, JobEntity>> {
    const jobs = await this.jobsRepository.findByIdsInOrder([...new Set(ids)]);
    return new Map(jobs.map((job) => [job.id, job]));
  }

  /** An open job, for quoting and inviting: 404 when there is none, 409 JOB_NOT_OPEN. */
  async requireOpen(jobId: string): Promise<JobEntity> {
    const job = await this.getById(jobId);
    if (!isOpen(job.status)) {
      throw JobsErrors.notOpen();
    }
    return job;
  }

  /**
   * The owner edits his open job. A material edit (title, description, category or location
   * changed) starts a new edition of the job: the quotes made before it can't be accepted until
   * their craftsmen confirm them, and each quoting craftsman is told (`job.updated`).
   */
  async update(jobId: string, viewer: AuthUser, input: UpdateJobDto): Promise<JobEntity> {
    const job = await this.getById(jobId);
    if (job.client !== viewer.id) {
      throw JobsErrors.notYours();
    }
    const category =
      input.category === undefined ? undefined : await this.canonicalCategory(input.category);
    const photos = await this.photosOf(viewer.id, input.photos, job.photoUploads ?? []);
    const changes: JobChanges = {
      ...input,
      ...(category ? { category } : {}),
      ...(photos ? { photos: photos.urls, photoUploads: photos.uploadIds } : {}),
    };
    const changedFields = materialChanges(job, changes);
    const at = this.clock.now();
    const updated = await this.uploads.attachWhile(
      { owner: viewer.id, uploads: photos?.added ?? [] },
      () =>
        this.jobsRepository.updateOpen(
          jobId,
          viewer.id,
          changes,
          changedFields.length > 0 ? at : undefined,
        ),
    );
    if (!updated) {
      throw JobsErrors.notOpen();
    }
    if (photos) {
      await this.uploads.release(photos.removed);
    }
    if (changedFields.length > 0) {
      await this.events.publish(
        new JobUpdatedEvent(updated.id, updated.client, changedFields, updated.edition, at),
      );
    }
    return updated;
  }

  /**
   * A move of the state machine by a person (API.md "Jobs"); `cancelled` also via `cancel`.
   *
   * A move to `disputed` is the opening of a dispute (the disputes module records it).
   *
   * @throws 403 FORBIDDEN (not this caller's move), 409 INVALID_STATUS_TRANSITION, 409
   *   PAYMENT_REQUIRED (setting out on an escrow or cash-protected job not paid yet), 409
   *   DISPUTE_WINDOW_CLOSED (disputing a job completed longer than DISPUTE_WINDOW ago)
   */
  async changeStatus(jobId: string, viewer: AuthUser, to: JobStatus): Promise<JobEntity> {
    let job = await this.getById(jobId);
    const actor = this.actorFor(job, viewer);
    if (actor === JobActor.Other) {
      throw JobsErrors.notYours();
    }
    let moved: JobEntity | null = null;
    // at most a few rounds: a round is lost only to the payment being recorded meanwhile
    for (let round = 0; round < 3 && !moved; round += 1) {
      switch (judgeTransition(job.status, to, actor)) {
        case 'illegal':
          throw JobsErrors.invalidTransition(job.status, to);
        case 'forbidden':
          throw JobsErrors.notYours();
        case 'allowed':
          break;
      }
      if (to === JobStatus.Disputed) {
        this.assertDisputeWindowOpen(job);
      }
      // staff may (support settling a payment outside the platform); the craftsman may not
      if (needsPaymentToMove(job, to) && job.payment === null && actor !== JobActor.Staff) {
        throw JobsErrors.paymentRequired();
      }
      const at = this.clock.now();
      moved = await this.jobsRepository.transition(
        jobId,
        { from: job.status, to, by: viewer.id, at },
        moneyFlagsOf(job, to),
        // the flags follow the payment the job had when read: a payment recorded meanwhile
        // makes this move fail and be judged again
        { payment: job.payment },
      );
      if (moved) {
        await this.publishMove(moved, job.status, viewer.id, at);
        if (actor === JobActor.Staff) {
          await this.events.publish(
            new JobStatusForcedEvent(moved.id, job.status, to, actorOf(viewer), at),
          );
        }
        break;
      }
      // another move won the race, or the payment was recorded meanwhile: judged again
      job = await this.getById(jobId);
    }
    if (!moved) {
      throw JobsErrors.invalidTransition(job.status, to);
    }
    if (to === JobStatus.Cancelled) {
      await this.events.publish(
        new JobCancelledEvent(moved.id, moved.client, moved.craftsman, viewer.id),
      );
    }
    return moved;
  }

  /**
   * The last moment a completed job may be disputed (completedAt + DISPUTE_WINDOW); null for a
   * job not completed.
   */
  disputeWindowEnd(job: JobEntity): Date | null {
    if (job.status !== JobStatus.Completed || job.completedAt === null) {
      return null;
    }
    const windowMs = this.config.get('trust', { infer: true }).disputeWindowMs;
    return new Date(job.completedAt.getTime() + windowMs);
  }

  /** @throws 409 DISPUTE_WINDOW_CLOSED for a job completed longer than DISPUTE_WINDOW ago */
  assertDisputeWindowOpen(job: JobEntity): void {
    const end = this.disputeWindowEnd(job);
    if (end && this.clock.now().getTime() > end.getTime()) {
      throw JobsErrors.disputeWindowClosed(end);
    }
  }

  /** Completed cash jobs whose fee is not posted yet (`feeDue`), at most `limit`. */
  findWithFeeDue(limit: number): Promise<JobEntity[]> {
    return this.jobsRepository.findWithFeeDue(limit);
  }

  /** The job's fee is posted: it leaves `findWithFeeDue`. */
  async feePosted(jobId: string): Promise<void> {
    await this.jobsRepository.clearFeeDue(jobId);
  }

  /** Jobs whose held payment is to be released (`releaseDue`) or refunded (`refundDue`). */
  findFlagged(flag: 'releaseDue' | 'refundDue', limit: number): Promise<JobEntity[]> {
    return this.jobsRepository.findFlagged(flag, limit);
  }

  /** The release or refund the flag asked for is posted: the job leaves `findFlagged`. */
  async clearFlag(jobId: string, flag: 'releaseDue' | 'refundDue'): Promise<void> {
    await this.jobsRepository.clearFlag(jobId, flag);
  }

  /**
   * Records the payment the gateway confirmed for the job, once (the first confirmed wins).
   * @returns true when the job's payment is this one; false when another was recorded first
   */
  recordPayment(jobId: string, paymentId: string): Promise<boolean> {
    return this.jobsRepository.recordPayment(jobId, paymentId);
  }

  /**
   * The job's payment was refunded at the gateway: while the job is still hired it waits for a
   * new payment (see `JobsRepository.forgetPayment`).
   */
  async paymentRefunded(jobId: string, paymentId: string): Promise<void> {
    await this.jobsRepository.forgetPayment(jobId, paymentId);
  }

  cancel(jobId: string, viewer: AuthUser): Promise<JobEntity> {
    return this.changeStatus(jobId, viewer, JobStatus.Cancelled);
  }

  /**
   * Counts a quote just written on `job` (as read before it was written): the first one also
   * moves a posted job to quoted, in the same write. False when the job is no longer open (it
   * was hired or cancelled meanwhile): the caller takes the quote back.
   */
  async recordQuote(job: JobEntity): Promise<boolean> {
    const at = this.clock.now();
    // the first quote moves posted → quoted in the write that counts it; for later ones the
    // job read before the quote is written says it is quoted: counted straight away
    const moved =
      job.status === JobStatus.Posted
        ? await this.jobsRepository.transition(
            job.id,
            { from: JobStatus.Posted, to: JobStatus.Quoted, by: null, at },
            {},
            {},
            { quotesCount: 1 },
          )
        : null;
    if (moved) {
      await this.publishMove(moved, JobStatus.Posted, null, at);
      return true;
    }
    return this.jobsRepository.countQuoteIfOpen(job.id);
  }

  /**
   * Open → hired, atomically: of two quotes accepted at once, one hires; a material edit since
   * the quote's edition refuses it. `null` when the job is no longer open at that edition (the
   * caller tells a re-run of its own accept from a lost race). `confirm` runs after the write and
   * before anyone is told: when it throws (the craftsman was banned meanwhile), the hire is
   * undone and the error thrown.
   */
  async hire(
    jobId: string,
    hire: Omit<Hire, 'at'>,
    confirm: (job: JobEntity) => Promise<void>,
  ): Promise<JobEntity | null> {
    const at = this.clock.now();
    const hired = await this.jobsRepository.hire(jobId, { ...hire, at });
    if (!hired) {
      return null;
    }
    try {
      await confirm(hired.job);
    } catch (error) {
      await this.jobsRepository.undoHire(jobId, hire.quoteId, hired.from);
      throw error;
    }
    await this.publishMove(hired.job, hired.from, null, at);
    return hired.job;
  }

  /**
   * A banned client's open jobs are closed (API.md "Quotes", banned users): cancelled by the
   * marketplace, so they leave browsing and take no quotes, invitations or acceptance; their
   * pending invitations are cancelled and quotes declined by those modules, as for any
   * cancelled job. Idempotent: a replay finds no open job. Unbanning reopens nothing.
   */
  @OnEvent(UserBannedEvent.eventName)
  async onUserBanned(event: UserBannedEvent): Promise<void> {
    for (const job of await this.jobsRepository.findOpenOfClient(event.userId)) {
      await this.closeForBan(job, event.bannedBy);
    }
  }

  /** Cancels an open job; a concurrent first quote (posted → quoted) is retried from there. */
  private async closeForBan(job: JobEntity, bannedBy: string): Promise<void> {
    let current: JobEntity | null = job;
    while (current && isOpen(current.status)) {
      const at = this.clock.now();
      const cancelled = await this.jobsRepository.transition(current.id, {
        from: current.status,
        to: JobStatus.Cancelled,
        by: null,
        at,
      });
      if (cancelled) {
        await this.publishMove(cancelled, current.status, null, at);
        await this.events.publish(
          new JobCancelledEvent(cancelled.id, cancelled.client, null, bannedBy),
        );
        return;
      }
      current = await this.jobsRepository.findById(current.id);
    }
  }

  /**
   * The user's jobs still under way, as client or hired craftsman (at most `limit` of each):
   * what keeps him from deleting his account.
   */
  activeOfParty(userId: string, limit: number): Promise<JobEntity[]> {
    return this.jobsRepository.findActiveOfParty(userId, limit);
  }

  /** Every job the user posted or was hired for, newest first (his data export). */
  allOfParty(userId: string): Promise<JobEntity[]> {
    return this.jobsRepository.findAllOfParty(userId);
  }

  /** A page of the user's jobs on one side, for his history (see TimelineRead). */
  historyOf(side: 'client' | 'craftsman', read: TimelineRead): Promise<JobEntity[]> {
    return this.jobsRepository.findForHistory(side, read);
  }

  /** His jobs stay, without his address, position and photos (his account is being deleted). */
  forgetPlacesOfClient(clientId: string): Promise<number> {
    return this.jobsRepository.forgetPlacesOfClient(clientId);
  }

  async browse(viewer: AuthUser, query: BrowseJobsQueryDto): Promise<CursorPaginated<JobListItem>> {
    const search: JobSearch = {
      statuses: this.statusesFor(viewer, query),
      // an unknown category matches nothing, rather than everything
      category: query.category
        ? ((await this.catalogName(query.category)) ?? query.category)
        : undefined,
      titleWords: query.q ? titleWordsOf(query.q).slice(0, 5) : undefined,
      ...(query.mine ? this.ownJobsOf(viewer) : {}),
    };
    if (query.lat === undefined || query.lng === undefined) {
      const page = await this.jobsRepository.search(search, query);
      return { data: page.data.map((job) => ({ job })), pagination: page.pagination };
    }
    if (query.after !== undefined) {
      throw JobsErrors.cursorNotByDistance();
    }
    // one's own jobs (and, for staff, anyone's) exactly; other people's by their ~1 km cell
    const precision: DistancePrecision =
      query.mine || STAFF_ROLES.includes(viewer.role) ? 'exact' : 'coarse';
    return this.browseNear(
      { lat: query.lat, lng: query.lng },
      query.radiusKm ?? DEFAULT_JOB_SEARCH_RADIUS_KM,
      search,
      query,
      precision,
    );
  }

  /** How the viewer stands to the job: the state machine and visibility rules go by it. */
  actorFor(job: JobEntity, viewer: AuthUser): JobActor {
    if (job.client === viewer.id) {
      return JobActor.Owner;
    }
    if (job.craftsman !== null && job.craftsman === viewer.id) {
      return JobActor.HiredCraftsman;
    }
    return STAFF_ROLES.includes(viewer.role) ? JobActor.Staff : JobActor.Other;
  }

  /**
   * Jobs as the viewer may see them, with their client and craftsman summaries. Anyone but the
   * job's parties and staff gets no address, the centre of the ~1 km grid cell holding the job
   * instead of its position (location-privacy.ts), and no staff ids in the history.
   */
  async toResponses(items: JobListItem[], viewer: AuthUser): Promise<JobResponseDto[]> {
    const summaries = await this.usersService.getSummaries(
      items.flatMap(({ job }) => [job.client, job.craftsman]),
    );
    const summary = (id: string | null) => {
      const found = id ? summaries.get(id) : undefined;
      return found ? UserSummaryDto.from(found) : null;
    };
    return items.map(({ job, distanceKm }) => {
      const outsider = this.actorFor(job, viewer) === JobActor.Other;
      return {
        id: job.id,
        client: summary(job.client),
        title: job.title,
        description: job.description,
        category: job.category,
        address: outsider ? undefined : job.address,
        location: job.location && outsider ? gridCellOf(job.location) : job.location,
        photos: job.photos,
        paymentType: job.paymentType,
        budget: job.budget,
        status: job.status,
        craftsman: summary(job.craftsman),
        jobPrice: job.jobPrice,
        hiredAt: job.hiredAt,
        acceptedQuote: job.acceptedQuote,
        payment: job.payment,
        completedAt: job.completedAt,
        completionRequestedAt: job.completionRequestedAt,
        autoCompleteAt: job.autoCompleteAt,
        quotesCount: job.quotesCount,
        materialEditAt: job.materialEditAt,
        distanceKm,
        statusHistory: job.statusHistory.map((change) => this.historyFor(change, job, viewer)),
        createdAt: job.createdAt,
        updatedAt: job.updatedAt,
      };
    });
  }

  /**
   * A move of the job as the viewer may see it: staff see who moved it; the others see the ids
   * of the job's parties, and of a staff member only that staff moved it (a staff id is of no
   * use to them, and one step towards forging a staff token).
   */
  private historyFor(
    change: StatusChangeEntity,
    job: JobEntity,
    viewer: AuthUser,
  ): StatusChangeDto {
    const byParty = change.by === null || change.by === job.client || change.by === job.craftsman;
    if (byParty || STAFF_ROLES.includes(viewer.role)) {
      return change;
    }
    return { ...change, by: null, byStaff: true };
  }

  async toResponse(job: JobEntity, viewer: AuthUser): Promise<JobResponseDto> {
    const [response] = await this.toResponses([{ job }], viewer);
    return response;
  }

  /** Tells everyone the job moved (`JobStatusChangedEvent`): after the move's write. */
  async publishMove(job: JobEntity, from: JobStatus, by: string | null, at: Date): Promise<void> {
    await this.events.publish(
      new JobStatusChangedEvent(job.id, job.client, job.craftsman, from, job.status, by, at, job),
    );
  }

  private statusesFor(viewer: AuthUser, query: BrowseJobsQueryDto): JobStatus[] | undefined {
    if (query.mine || STAFF_ROLES.includes(viewer.role)) {
      return query.status ? [query.status] : undefined;
    }
    if (query.status && !isOpen(query.status)) {
      throw JobsErrors.browseOpenOnly();
    }
    return query.status ? [query.status] : [...OPEN_STATUSES];
  }

  private ownJobsOf(viewer: AuthUser): Pick<JobSearch, 'clientId' | 'craftsmanId'> {
    return viewer.role === Role.Craftsman ? { craftsmanId: viewer.id } : { clientId: viewer.id };
  }

  private async browseNear(
    center: LatLng,
    radiusKm: number,
    search: JobSearch,
    page: PageRequest,
    precision: DistancePrecision,
  ): Promise<CursorPaginated<JobListItem>> {
    const near = await findNearby(
      center,
      radiusKm,
      page,
      {
        positionsIn: (box) => this.jobsRepository.findPositions({ ...search, box }),
        findByIdsInOrder: (ids) => this.jobsRepository.findByIdsInOrder(ids),
      },
      precision,
    );
    const { data, pagination } = mapPage(near, ({ found, distanceKm }) => ({
      job: found,
      distanceKm,
    }));
    return { data, pagination: { ...pagination, nextCursor: null } };
  }

  private async canonicalCategory(category: string): Promise<string> {
    const known = await this.catalogName(category);
    if (!known) {
      throw JobsErrors.unknownCategory(category);
    }
    return known;
  }

  /** The catalog's spelling, or `undefined` for a name it does not know. */
  private async catalogName(name: string): Promise<string | undefined> {
    return (await this.catalogService.resolveNames([name])).known[0];
  }
}

/** The material fields (API.md "Quotes") that `changes` would really change. */
export function materialChanges(job: JobEntity, changes: JobChanges): MaterialField[] {
  const changed: MaterialField[] = [];
  for (const field of ['title', 'description', 'category'] as const) {
    if (changes[field] !== undefined && changes[field] !== job[field]) {
      changed.push(field);
    }
  }
  const location = changes.location;
  if (
    location !== undefined &&
    (location.lat !== job.location?.lat || location.lng !== job.location?.lng)
  ) {
    changed.push('location');
  }
  return changed;
}
