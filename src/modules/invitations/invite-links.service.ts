import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { MailService } from '../../common/mail/mail.service.js';
import { hashToken, newToken } from '../../common/security/tokens.js';
import { InvitationsErrors } from './invitations.errors.js';
import { type AcceptedInvitation, InvitationsService } from './invitations.service.js';
import { InvitationSource, InvitationStatus } from './invitation-status.js';
import { InviteLinksRepository } from './invite-links.repository.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { AccountStandingService } from '../users/account-standing.service.js';
import { UsersService } from '../users/users.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { InviteLinkEntity } from './schemas/invite-link.schema.js';
import type { InviteLinkResponseDto } from './dto/invite-link.dto.js';
import { InvitationAcceptedEvent } from './events/invitation-accepted.event.js';
import { invitationRef } from './events/invitation-ref.js';
import { DomainEvents } from '../../common/events/domain-events.js';

const DEFAULT_MAX_USES = 10;
const DEFAULT_EXPIRY_DAYS = 30;

export interface CreatedInviteLink {
  link: InviteLinkEntity;
  token: string;
}

@Injectable()
export class InviteLinksService {
  constructor(
    private readonly inviteLinksRepository: InviteLinksRepository,
    private readonly invitationsService: InvitationsService,
    private readonly conversationsService: ConversationsService,
    private readonly usersService: UsersService,
    private readonly standing: AccountStandingService,
    private readonly jobsService: JobsService,
    private readonly mailService: MailService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async create(
    client: AuthUser,
    jobId: string,
    options: { maxUses?: number; expiresInDays?: number },
  ): Promise<CreatedInviteLink> {
    const job = await this.invitationsService.requireOwnOpenJob(client, jobId);
    const { token, hash } = newToken();
    const expiresAt = new Date(
      this.clock.now().getTime() + (options.expiresInDays ?? DEFAULT_EXPIRY_DAYS) * 86_400_000,
    );
    const link = await this.inviteLinksRepository.create({
      job: job.id,
      client: client.id,
      tokenHash: hash,
      maxUses: options.maxUses ?? DEFAULT_MAX_USES,
      expiresAt,
    });
    return { link, token };
  }

  async revoke(client: AuthUser, jobId: string, linkId: string): Promise<InviteLinkEntity> {
    const link = await this.inviteLinksRepository.findById(linkId);
    if (!link || link.job !== jobId) {
      throw InvitationsErrors.inviteLinkNotFound();
    }
    if (link.client !== client.id) {
      throw InvitationsErrors.notYourJob();
    }
    return (await this.inviteLinksRepository.revoke(linkId, this.clock.now())) ?? link;
  }

  /**
   * A craftsman follows the link: an accepted invitation for him (one use of the link) and the
   * conversation with the client. 410 when used up, revoked or expired.
   */
  async accept(craftsman: AuthUser, token: string): Promise<AcceptedInvitation> {
    const link = await this.inviteLinksRepository.findByTokenHash(hashToken(token));
    if (!link) {
      throw InvitationsErrors.inviteLinkNotFound();
    }
    const now = this.clock.now();
    this.assertUsable(link, now);
    const job = await this.jobsService.requireOpen(link.job);
    const user = await this.usersService.getById(craftsman.id);
    this.invitationsService.assertInvitable(user);
    // the link's client banned: his jobs close, but not before the ban's listeners ran
    await this.standing.assertInGoodStanding({ clientId: link.client, craftsmanId: user.id });
    if (!(await this.inviteLinksRepository.takeUse(link, now))) {
      const current = (await this.inviteLinksRepository.findById(link.id)) ?? link;
      this.assertUsable(current, now);
      throw InvitationsErrors.inviteLinkExhausted();
    }
    try {
      const invitation = await this.invitationsService.createFor(
        link.client,
        job,
        { kind: 'craftsman', craftsman: user, source: InvitationSource.InviteLink },
        '',
        null,
        { status: InvitationStatus.Accepted, inviteLink: link.id, skipLimits: true },
      );
      const conversation = await this.conversationsService.findOrCreate(link.client, craftsman.id);
      await this.events.publish(
        new InvitationAcceptedEvent(invitationRef(invitation), conversation.id),
      );
      return { invitation, conversationId: conversation.id };
    } catch (error) {
      await this.inviteLinksRepository.returnUse(link.id);
      throw error;
    }
  }

  toResponse(link: InviteLinkEntity, token?: string): InviteLinkResponseDto {
    return {
      id: link.id,
      url: token ? this.mailService.link(`/invite-links/${token}`) : undefined,
      token,
      expiresAt: link.expiresAt,
      maxUses: link.maxUses,
      uses: link.uses,
      revoked: link.revokedAt !== null,
    };
  }

  private assertUsable(link: InviteLinkEntity, now: Date): void {
    if (link.revokedAt || link.expiresAt <= now) {
      throw InvitationsErrors.inviteLinkExpired();
    }
    if (link.uses >= link.maxUses) {
      throw InvitationsErrors.inviteLinkExhausted();
    }
  }
}
