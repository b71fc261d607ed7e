import { Injectable, Logger } from '@nestjs/common';
import type { TimelineRead } from '../../common/database/timeline.js';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { hashToken, newToken } from '../../common/security/tokens.js';
import type { AllConfig } from '../../config/config.js';
import type { InvitationsConfig } from '../../config/invitations.config.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { JobCancelledEvent } from '../jobs/events/job-cancelled.event.js';
import { JobStatusChangedEvent } from '../jobs/events/job-status-changed.event.js';
import { isOpen, JobStatus } from '../jobs/job-status.js';
import { JobsErrors } from '../jobs/jobs.errors.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import { QuotesService } from '../quotes/quotes.service.js';
import { JobSummaryDto } from '../jobs/dto/job-summary.dto.js';
import { UserSummaryDto } from '../users/dto/user-summary.dto.js';
import { AccountStandingService, type Parties } from '../users/account-standing.service.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { normalizeEmail, UsersService } from '../users/users.service.js';
import {
  BULK_INVITE_LIMIT,
  type BulkInviteDto,
  type BulkInviteResultDto,
} from './dto/bulk-invite.dto.js';
import type { CreateInvitationDto } from './dto/create-invitation.dto.js';
import type {
  InvitationPreviewDto,
  InvitationResponseDto,
  InvitationStatsDto,
} from './dto/invitation-response.dto.js';
import type { RejectInvitationDto, RespondInvitationDto } from './dto/respond-invitation.dto.js';
import { InvitationAcceptedEvent } from './events/invitation-accepted.event.js';
import { InvitationCancelledEvent } from './events/invitation-cancelled.event.js';
import { InvitationCreatedEvent } from './events/invitation-created.event.js';
import { invitationRef } from './events/invitation-ref.js';
import { InvitationRejectedEvent } from './events/invitation-rejected.event.js';
import { InvitationResentEvent } from './events/invitation-resent.event.js';
import { InvitationViewedEvent } from './events/invitation-viewed.event.js';
import {
  CancellationReason,
  InvitationAction,
  InvitationSource,
  InvitationStatus,
  inviteeKeyOf,
} from './invitation-status.js';
import { type InviteCount, InvitationLimits } from './invitation-limits.js';
import { InvitationsErrors } from './invitations.errors.js';
import { type InvitationListFilter, InvitationsRepository } from './invitations.repository.js';
import { effectiveStatus, type InvitationEntity } from './schemas/invitation.schema.js';

/** Whom an invitation goes to: a registered craftsman, or an email address nobody registered. */
export type InviteTarget =
  | { kind: 'craftsman'; craftsman: UserEntity; source: InvitationSource; byEmail?: string }
  | { kind: 'email'; email: string };

export interface AcceptedInvitation {
  invitation: InvitationEntity;
  conversationId: string;
}

/** A bulk target's refusal: the code a single invite would answer, and when to retry a 429. */
function skippedBecause(error: unknown): { code: string; retryAfterSeconds?: number } {
  if (!(error instanceof DomainError)) {
    return { code: ErrorCode.Internal };
  }
  if (error.code === ErrorCode.RateLimited) {
    const details = error.details as { retryAfterSeconds?: number } | undefined;
    return { code: error.code, retryAfterSeconds: details?.retryAfterSeconds };
  }
  return { code: error.code };
}

@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);
  private readonly config: InvitationsConfig;

  constructor(
    private readonly invitationsRepository: InvitationsRepository,
    private readonly jobsService: JobsService,
    private readonly usersService: UsersService,
    private readonly quotesService: QuotesService,
    private readonly conversationsService: ConversationsService,
    private readonly limits: InvitationLimits,
    private readonly standing: AccountStandingService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('invitations', { infer: true });
  }

  /**
   * Rules 1–5 and 9 of API.md, in that order. With an Idempotency-Key, a retry answers the
   * invitation the first request created instead of ALREADY_INVITED.
   */
  async invite(
    client: AuthUser,
    jobId: string,
    input: CreateInvitationDto,
    idempotencyKey?: string,
  ): Promise<InvitationEntity> {
    const given = [input.craftsmanId, input.email, input.phone].filter(
      (target) => target !== undefined,
    );
    if (given.length !== 1) {
      throw InvitationsErrors.oneTarget();
    }
    if (idempotencyKey) {
      const earlier = await this.invitationsRepository.findByIdempotencyKey(
        client.id,
        idempotencyKey,
      );
      if (earlier) {
        return earlier;
      }
    }
    const job = await this.requireOwnOpenJob(client, jobId);
    if (input.craftsmanId) {
      // the invitee and the client in one read: the notification and the answer name both
      await this.usersService.readAhead([input.craftsmanId, client.id]);
    }
    const target = await this.lookUpTarget(client.id, input);
    return this.createFor(client.id, job, target, input.message ?? '', idempotencyKey ?? null);
  }

  /**
   * Up to 50 targets, each with its own result: one bad target does not stop the others. Each
   * counts against the limits as a single invite would; a target over a limit is `skipped` with
   * code RATE_LIMITED and `retryAfterSeconds` (email targets past the client's daily cap or
   * lookup budget are not looked up).
   */
  async inviteMany(
    client: AuthUser,
    jobId: string,
    input: BulkInviteDto,
  ): Promise<BulkInviteResultDto[]> {
    const targets = [
      ...(input.craftsmanIds ?? []).map((craftsmanId) => ({
        target: craftsmanId,
        input: { craftsmanId },
      })),
      ...(input.emails ?? []).map((email) => ({ target: email, input: { email } })),
    ];
    if (targets.length === 0 || targets.length > BULK_INVITE_LIMIT) {
      throw InvitationsErrors.bulkTargets(BULK_INVITE_LIMIT);
    }
    const job = await this.requireOwnOpenJob(client, jobId);
    const results: BulkInviteResultDto[] = [];
    for (const { target, input: one } of targets) {
      try {
        const invitation = await this.createFor(
          client.id,
          job,
          await this.lookUpTarget(client.id, one),
          input.message ?? '',
          null,
        );
        results.push({ target, status: 'created', invitationId: invitation.id });
      } catch (error) {
        if (!(error instanceof DomainError)) {
          this.logger.error(
            `Bulk invite to ${target} failed: ${String(error)}`,
            (error as Error)?.stack,
          );
        }
        results.push({ target, status: 'skipped', ...skippedBecause(error) });
      }
    }
    return results;
  }

  /** Every invitation the user sent or received, newest first (his data export). */
  allOfUser(userId: string): Promise<InvitationEntity[]> {
    return this.invitationsRepository.findAllOfUser(userId);
  }

  /** A page of the invitations the user sent or received, for his history (see TimelineRead). */
  historyOf(side: 'client' | 'craftsman', read: TimelineRead): Promise<InvitationEntity[]> {
    return this.invitationsRepository.findForHistory(side, read);
  }

  /**
   * The craftsman's account is being deleted: his pending invitations are cancelled
   * (`account_deleted`, announced as any cancellation) and the address he was invited at before
   * he registered is forgotten. Idempotent. Answers how many were cancelled.
   */
  async forgetCraftsman(craftsmanId: string): Promise<number> {
    const reason = CancellationReason.AccountDeleted;
    const cancelled = await this.invitationsRepository.cancelPendingForCraftsman(
      craftsmanId,
      { cancellationReason: reason },
      this.clock.now(),
    );
    for (const invitation of cancelled) {
      await this.events.publish(new InvitationCancelledEvent(invitationRef(invitation), reason));
    }
    await this.invitationsRepository.forgetInviteeEmailOf(craftsmanId);
    return cancelled.length;
  }

  craftsmenInvitedTo(jobId: string): Promise<string[]> {
    return this.invitationsRepository.craftsmenInvitedTo(jobId);
  }

  /** For the marketplace's own use (notifications): no access check. */
  getById(id: string): Promise<InvitationEntity> {
    return this.requireInvitation(id);
  }

  async get(viewer: AuthUser, id: string): Promise<InvitationEntity> {
    const invitation = await this.requireInvitation(id);
    const isParty = invitation.client === viewer.id || invitation.craftsman === viewer.id;
    if (!isParty && viewer.role !== Role.Admin) {
      throw InvitationsErrors.notYours();
    }
    if (invitation.craftsman === viewer.id) {
      return this.markViewed(invitation, viewer.id);
    }
    return invitation;
  }

  listSent(
    client: AuthUser,
    filter: Omit<InvitationListFilter, 'clientId'>,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<InvitationEntity>> {
    return this.invitationsRepository.list(
      { ...filter, clientId: client.id },
      page,
      this.clock.now(),
    );
  }

  listReceived(
    craftsman: AuthUser,
    filter: Pick<InvitationListFilter, 'status'>,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<InvitationEntity>> {
    return this.invitationsRepository.list(
      { ...filter, craftsmanId: craftsman.id },
      page,
      this.clock.now(),
    );
  }

  async listForJob(
    client: AuthUser,
    jobId: string,
    filter: Pick<InvitationListFilter, 'status'>,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<InvitationEntity>> {
    await this.requireOwnJob(client, jobId);
    return this.invitationsRepository.list({ ...filter, jobId }, page, this.clock.now());
  }

  /** Rule 7: the job must still be open; the client–craftsman conversation is created or reused. */
  async accept(craftsman: AuthUser, id: string): Promise<AcceptedInvitation> {
    const invitation = await this.requireInvitation(id);
    if (invitation.craftsman !== craftsman.id) {
      throw InvitationsErrors.notYours();
    }
    return this.acceptAs(invitation, craftsman.id);
  }

  async reject(
    craftsman: AuthUser,
    id: string,
    input: RejectInvitationDto,
  ): Promise<InvitationEntity> {
    const invitation = await this.requireInvitation(id);
    if (invitation.craftsman !== craftsman.id) {
      throw InvitationsErrors.notYours();
    }
    return this.rejectAs(invitation, craftsman.id, input);
  }

  /** The invited craftsman answers by job instead of by invitation id. */
  async respondForJob(
    craftsman: AuthUser,
    jobId: string,
    input: RespondInvitationDto,
  ): Promise<AcceptedInvitation | InvitationEntity> {
    const invitation = await this.invitationsRepository.findForInvitee(jobId, craftsman.id);
    if (!invitation) {
      throw InvitationsErrors.notFound();
    }
    return input.response === InvitationStatus.Accepted
      ? this.acceptAs(invitation, craftsman.id)
      : this.rejectAs(invitation, craftsman.id, input);
  }

  async cancel(client: AuthUser, id: string): Promise<InvitationEntity> {
    const invitation = await this.requireInvitation(id);
    if (invitation.client !== client.id) {
      throw InvitationsErrors.notYours();
    }
    const now = this.clock.now();
    this.assertPending(invitation, now);
    const cancelled = await this.invitationsRepository.respond(
      id,
      { clientId: client.id },
      {
        to: InvitationStatus.Cancelled,
        set: { cancellationReason: CancellationReason.ByClient },
        action: InvitationAction.Cancelled,
        by: client.id,
      },
      now,
    );
    const result = cancelled ?? this.raceLost(await this.requireInvitation(id), now);
    await this.events.publish(
      new InvitationCancelledEvent(invitationRef(result), CancellationReason.ByClient),
    );
    return result;
  }

  /**
   * Pending only, once per INVITATION_RESEND_INTERVAL; the emailed link is renewed. A resend
   * of an email/phone invitation counts against the client's daily cap of those (429).
   */
  async resend(client: AuthUser, id: string): Promise<InvitationEntity> {
    const invitation = await this.requireInvitation(id);
    if (invitation.client !== client.id) {
      throw InvitationsErrors.notYours();
    }
    const now = this.clock.now();
    this.assertPending(invitation, now);
    const intervalMs = this.config.resendIntervalMs;
    const release = await this.limits.consumeResend(client.id, invitation.source);
    const { token, hash } = newToken();
    const resent = await this.invitationsRepository
      .resend(
        id,
        client.id,
        { tokenHash: hash, sentBefore: new Date(now.getTime() - intervalMs) },
        now,
      )
      .catch(async (error: unknown) => {
        await release();
        throw error;
      });
    if (!resent) {
      await release();
      const current = await this.requireInvitation(id);
      this.assertPending(current, now);
      const waitMs = current.lastSentAt.getTime() + intervalMs - now.getTime();
      throw InvitationsErrors.resendTooSoon(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    await this.events.publish(new InvitationResentEvent(invitationRef(resent), token));
    return resent;
  }

  /** What an email link shows before anyone acts: a GET changes no state (mail scanners open links). */
  async preview(token: string): Promise<InvitationPreviewDto> {
    const invitation = await this.requireByToken(token);
    const [job, summaries] = await Promise.all([
      this.jobsService.getById(invitation.job),
      this.usersService.getSummaries([invitation.client]),
    ]);
    if (invitation.craftsman) {
      await this.markViewed(invitation, invitation.craftsman);
    }
    return {
      jobTitle: job.title,
      category: job.category,
      clientFirstName: summaries.get(invitation.client)?.firstName ?? '',
      status: effectiveStatus(invitation, this.clock.now()),
      expiresAt: invitation.expiresAt,
      registrationRequired: invitation.craftsman === null,
    };
  }

  /** The emailed link's answer, without signing in; accepting needs a registered invitee. */
  async respondByToken(
    token: string,
    input: RespondInvitationDto,
  ): Promise<AcceptedInvitation | InvitationEntity> {
    const invitation = await this.requireByToken(token);
    if (input.response === InvitationStatus.Rejected) {
      return this.rejectAs(invitation, invitation.craftsman, input);
    }
    if (!invitation.craftsman) {
      this.assertPending(invitation, this.clock.now());
      throw InvitationsErrors.registrationRequired();
    }
    return this.acceptAs(invitation, invitation.craftsman);
  }

  async stats(client: AuthUser, jobId: string): Promise<InvitationStatsDto> {
    const job = await this.requireOwnJob(client, jobId);
    const [counts, quoted] = await Promise.all([
      this.invitationsRepository.countsForJob(jobId, this.clock.now()),
      this.quotesService.craftsmenWhoQuoted(jobId),
    ]);
    const invited = new Set(counts.craftsmanIds);
    const count = (status: InvitationStatus) => counts.byStatus[status] ?? 0;
    return {
      sent: Object.values(counts.byStatus).reduce((sum, n) => sum + n, 0),
      viewed: counts.viewed,
      accepted: count(InvitationStatus.Accepted),
      rejected: { total: count(InvitationStatus.Rejected), byReason: counts.rejectedByReason },
      cancelled: count(InvitationStatus.Cancelled),
      expired: count(InvitationStatus.Expired),
      quoted: quoted.filter((craftsmanId) => invited.has(craftsmanId)).length,
      hired: job.craftsman !== null && invited.has(job.craftsman) ? 1 : 0,
    };
  }

  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobStatusChanged(event: JobStatusChangedEvent): Promise<void> {
    if (event.to === JobStatus.Hired) {
      await this.cancelPendingForJob(event.jobId, CancellationReason.JobHired);
    }
  }

  @OnEvent(JobCancelledEvent.eventName)
  async onJobCancelled(event: JobCancelledEvent): Promise<void> {
    await this.cancelPendingForJob(event.jobId, CancellationReason.JobCancelled);
  }

  async toResponses(invitations: InvitationEntity[]): Promise<InvitationResponseDto[]> {
    const [jobs, users] = await Promise.all([
      this.jobsService.getMany(invitations.map((invitation) => invitation.job)),
      this.usersService.getSummaries(
        invitations.flatMap((invitation) => [invitation.client, invitation.craftsman]),
      ),
    ]);
    const now = this.clock.now();
    const summary = (id: string | null) => {
      const found = id ? users.get(id) : undefined;
      return found ? UserSummaryDto.from(found) : null;
    };
    return invitations.map((invitation) => {
      const job = jobs.get(invitation.job);
      return {
        id: invitation.id,
        job: job ? JobSummaryDto.from(job) : null,
        client: summary(invitation.client),
        craftsman: summary(invitation.craftsman),
        inviteeEmail: invitation.inviteeEmail,
        status: effectiveStatus(invitation, now),
        source: invitation.source,
        message: invitation.message,
        rejectionReason: invitation.rejectionReason,
        rejectionReasonCode: invitation.rejectionReasonCode,
        expiresAt: invitation.expiresAt,
        viewedAt: invitation.viewedAt,
        respondedAt: invitation.respondedAt,
        history: invitation.history,
        createdAt: invitation.createdAt,
        updatedAt: invitation.updatedAt,
      };
    });
  }

  async toResponse(invitation: InvitationEntity): Promise<InvitationResponseDto> {
    const [response] = await this.toResponses([invitation]);
    return response;
  }

  /** Creates an invitation for an invitee already checked against rules 1 and 2. */
  async createFor(
    clientId: string,
    job: JobEntity,
    target: InviteTarget,
    message: string,
    idempotencyKey: string | null,
    options: { status?: InvitationStatus; inviteLink?: string; skipLimits?: boolean } = {},
  ): Promise<InvitationEntity> {
    const inviteeKey =
      target.kind === 'craftsman'
        ? inviteeKeyOf({ craftsmanId: target.craftsman.id })
        : inviteeKeyOf({ email: target.email });
    if (
      target.kind === 'craftsman' &&
      (await this.quotesService.hasQuoted(job.id, target.craftsman.id))
    ) {
      throw InvitationsErrors.alreadyApplied();
    }
    const existing = await this.invitationsRepository.findForInvitee(job.id, inviteeKey);
    if (existing && idempotencyKey && existing.idempotencyKey === idempotencyKey) {
      // a retry of the request that created it (possibly still running)
      return existing;
    }
    if (existing && !options.status) {
      return this.reinviteOrRefuse(clientId, job, target, existing, message, idempotencyKey);
    }
    if (existing) {
      throw this.refusalFor(existing);
    }
    const release = options.skipLimits
      ? () => Promise.resolve()
      : await this.limits.consume(this.countOf(clientId, job, target));
    const now = this.clock.now();
    const { token, hash } = newToken();
    let invitation: InvitationEntity;
    try {
      invitation = await this.invitationsRepository.create(
        {
          job: job.id,
          client: job.client,
          craftsman: target.kind === 'craftsman' ? target.craftsman.id : null,
          inviteeEmail: target.kind === 'email' ? target.email : null,
          inviteeKey,
          source: target.kind === 'craftsman' ? target.source : InvitationSource.Email,
          message,
          tokenHash: hash,
          expiresAt: this.expiryFrom(now),
          status: options.status,
          respondedAt: options.status ? now : undefined,
          idempotencyKey,
          inviteLink: options.inviteLink ?? null,
        },
        now,
      );
    } catch (error) {
      await release();
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
      // a concurrent request created it first: that one answers, this one is refused
      const winner = await this.invitationsRepository.findForInvitee(job.id, inviteeKey);
      if (winner && idempotencyKey && winner.idempotencyKey === idempotencyKey) {
        return winner;
      }
      throw winner ? this.refusalFor(winner) : InvitationsErrors.alreadyInvited();
    }
    if (!options.status) {
      await this.events.publish(
        new InvitationCreatedEvent(invitationRef(invitation), token, invitation.source),
      );
    }
    return invitation;
  }

  /** `resolveTarget` for a client's invite: email and phone lookups spend his lookup budget. */
  private lookUpTarget(
    clientId: string,
    input: Pick<CreateInvitationDto, 'craftsmanId' | 'email' | 'phone'>,
  ): Promise<InviteTarget> {
    return input.craftsmanId
      ? this.resolveTarget(input)
      : this.limits.lookUp(clientId, () => this.resolveTarget(input));
  }

  /**
   * Rule 2: a registered craftsman, not banned; or an email address no verified craftsman owns.
   * Throws VALIDATION_FAILED for a phone that is no number.
   */
  async resolveTarget(
    input: Pick<CreateInvitationDto, 'craftsmanId' | 'email' | 'phone'>,
  ): Promise<InviteTarget> {
    let user: UserEntity | null;
    let source: InvitationSource;
    if (input.craftsmanId) {
      source = InvitationSource.CraftsmanId;
      user = await this.usersService.getById(input.craftsmanId).catch(() => null);
    } else if (input.email) {
      source = InvitationSource.Email;
      user = await this.usersService.findByEmail(input.email);
      // a craftsman who has not proved the address is not yet its owner: the invitation waits
      // for whoever verifies it (InvitationClaimsService), as for an address nobody registered
      if (!user || (user.role === Role.Craftsman && !user.emailVerified)) {
        return { kind: 'email', email: normalizeEmail(input.email) };
      }
    } else {
      source = InvitationSource.Phone;
      user = await this.usersService.findByPhone(input.phone!);
    }
    if (!user) {
      throw InvitationsErrors.craftsmanNotFound();
    }
    this.assertInvitable(user);
    return {
      kind: 'craftsman',
      craftsman: user,
      source,
      byEmail: input.email ? normalizeEmail(input.email) : undefined,
    };
  }

  assertInvitable(user: UserEntity): void {
    if (user.deletedAt) {
      // anonymised at his request: nobody to invite
      throw InvitationsErrors.craftsmanNotFound();
    }
    if (user.role !== Role.Craftsman) {
      throw InvitationsErrors.notACraftsman();
    }
    if (user.bannedAt) {
      throw InvitationsErrors.suspended();
    }
  }

  refusalFor(existing: InvitationEntity): DomainError {
    return existing.status === InvitationStatus.Rejected
      ? InvitationsErrors.previouslyRejected()
      : InvitationsErrors.alreadyInvited();
  }

  private async reinviteOrRefuse(
    clientId: string,
    job: JobEntity,
    target: InviteTarget,
    existing: InvitationEntity,
    message: string,
    idempotencyKey: string | null,
  ): Promise<InvitationEntity> {
    const now = this.clock.now();
    const status = effectiveStatus(existing, now);
    if (status !== InvitationStatus.Cancelled && status !== InvitationStatus.Expired) {
      throw this.refusalFor(existing);
    }
    const release = await this.limits.consume(this.countOf(clientId, job, target));
    const { token, hash } = newToken();
    const reinvited = await this.invitationsRepository.reinvite(
      existing.id,
      { message, tokenHash: hash, expiresAt: this.expiryFrom(now), idempotencyKey },
      now,
    );
    if (!reinvited) {
      await release();
      throw this.refusalFor((await this.invitationsRepository.findById(existing.id)) ?? existing);
    }
    await this.events.publish(
      new InvitationCreatedEvent(invitationRef(reinvited), token, reinvited.source),
    );
    return reinvited;
  }

  /** What rule 9 counts a new invitation of `target` against. */
  private countOf(clientId: string, job: JobEntity, target: InviteTarget): InviteCount {
    return target.kind === 'email'
      ? { clientId, jobId: job.id, source: InvitationSource.Email, email: target.email }
      : { clientId, jobId: job.id, source: target.source, email: target.byEmail };
  }

  private async acceptAs(
    invitation: InvitationEntity,
    craftsmanId: string,
  ): Promise<AcceptedInvitation> {
    const now = this.clock.now();
    this.assertPending(invitation, now);
    const parties = { clientId: invitation.client, craftsmanId };
    await this.standing.assertInGoodStanding(parties);
    const job = await this.jobsService.getById(invitation.job);
    if (!isOpen(job.status)) {
      throw JobsErrors.notOpen();
    }
    // first, so that an accepted invitation always has its conversation (reused when it exists)
    const conversation = await this.conversationsService.findOrCreate(
      invitation.client,
      craftsmanId,
    );
    const accepted = await this.invitationsRepository.respond(
      invitation.id,
      { craftsmanId },
      { to: InvitationStatus.Accepted, action: InvitationAction.Accepted, by: craftsmanId },
      now,
    );
    const result = accepted ?? this.raceLost(await this.requireInvitation(invitation.id), now);
    await this.recheckStanding(result, parties, now);
    await this.events.publish(new InvitationAcceptedEvent(invitationRef(result), conversation.id));
    return { invitation: result, conversationId: conversation.id };
  }

  private async rejectAs(
    invitation: InvitationEntity,
    craftsmanId: string | null,
    input: RejectInvitationDto,
  ): Promise<InvitationEntity> {
    const now = this.clock.now();
    this.assertPending(invitation, now);
    const rejected = await this.invitationsRepository.respond(
      invitation.id,
      craftsmanId ? { craftsmanId } : {},
      {
        to: InvitationStatus.Rejected,
        set: {
          rejectionReason: input.reason ?? null,
          rejectionReasonCode: input.reasonCode ?? null,
        },
        action: InvitationAction.Rejected,
        by: craftsmanId,
      },
      now,
    );
    const result = rejected ?? this.raceLost(await this.requireInvitation(invitation.id), now);
    await this.events.publish(
      new InvitationRejectedEvent(
        invitationRef(result),
        result.rejectionReason,
        result.rejectionReasonCode,
      ),
    );
    return result;
  }

  /**
   * After the acceptance is written, before anyone hears of it: a ban stored between the first
   * check and the write (which the ban's own cancellation of pending invitations missed) takes
   * the acceptance back, and the request answers CRAFTSMAN_SUSPENDED or CLIENT_SUSPENDED.
   */
  private async recheckStanding(
    invitation: InvitationEntity,
    parties: Parties,
    now: Date,
  ): Promise<void> {
    try {
      await this.standing.assertInGoodStanding(parties);
    } catch (error) {
      const reason =
        error instanceof DomainError && error.code === ErrorCode.ClientSuspended
          ? CancellationReason.ClientSuspended
          : CancellationReason.CraftsmanSuspended;
      await this.invitationsRepository.cancelAccepted(
        invitation.id,
        { cancellationReason: reason },
        now,
      );
      throw error;
    }
  }

  /** Rule 6 and 8: only a pending invitation, before its expiry, can be answered. */
  private assertPending(invitation: InvitationEntity, now: Date): void {
    const status = effectiveStatus(invitation, now);
    if (status === InvitationStatus.Expired) {
      throw InvitationsErrors.expired();
    }
    if (status !== InvitationStatus.Pending) {
      throw InvitationsErrors.notPending(status);
    }
  }

  /** A conditional write found the invitation changed under it: say what it is now. */
  private raceLost(current: InvitationEntity, now: Date): never {
    this.assertPending(current, now);
    throw InvitationsErrors.notPending(current.status);
  }

  private async markViewed(invitation: InvitationEntity, by: string): Promise<InvitationEntity> {
    if (invitation.viewedAt) {
      return invitation;
    }
    const now = this.clock.now();
    if (await this.invitationsRepository.markViewed(invitation.id, by, now)) {
      await this.events.publish(new InvitationViewedEvent(invitationRef(invitation)));
      return { ...invitation, viewedAt: now };
    }
    return invitation;
  }

  private async cancelPendingForJob(jobId: string, reason: CancellationReason): Promise<void> {
    try {
      const cancelled = await this.invitationsRepository.cancelPendingForJob(
        jobId,
        { cancellationReason: reason },
        this.clock.now(),
      );
      for (const invitation of cancelled) {
        await this.events.publish(new InvitationCancelledEvent(invitationRef(invitation), reason));
      }
    } catch (error) {
      this.logger.error(`Could not cancel the invitations of job ${jobId}: ${String(error)}`);
    }
  }

  private async requireOwnJob(client: AuthUser, jobId: string): Promise<JobEntity> {
    const job = await this.jobsService.getById(jobId);
    if (job.client !== client.id) {
      throw InvitationsErrors.notYourJob();
    }
    return job;
  }

  /** Rule 1: the job's owner, while the job is open. */
  async requireOwnOpenJob(client: AuthUser, jobId: string): Promise<JobEntity> {
    const job = await this.jobsService.getById(jobId);
    if (job.client !== client.id) {
      throw InvitationsErrors.notYourJob();
    }
    if (!isOpen(job.status)) {
      throw JobsErrors.notOpen();
    }
    return job;
  }

  private async requireInvitation(id: string): Promise<InvitationEntity> {
    const invitation = await this.invitationsRepository.findById(id);
    if (!invitation) {
      throw InvitationsErrors.notFound();
    }
    return invitation;
  }

  private async requireByToken(token: string): Promise<InvitationEntity> {
    const invitation = await this.invitationsRepository.findByTokenHash(hashToken(token));
    if (!invitation) {
      throw InvitationsErrors.notFound();
    }
    return invitation;
  }

  private expiryFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.ttlMs);
  }
}
