import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { MailService } from '../../common/mail/mail.service.js';
import type { AllConfig } from '../../config/config.js';
import { MessageCreatedEvent } from '../conversations/events/message-created.event.js';
import { InvitationAcceptedEvent } from '../invitations/events/invitation-accepted.event.js';
import { InvitationCancelledEvent } from '../invitations/events/invitation-cancelled.event.js';
import { InvitationClaimedEvent } from '../invitations/events/invitation-claimed.event.js';
import { InvitationCreatedEvent } from '../invitations/events/invitation-created.event.js';
import { InvitationExpiredEvent } from '../invitations/events/invitation-expired.event.js';
import { type InvitationRef, roundKeyOf } from '../invitations/events/invitation-ref.js';
import { InvitationRejectedEvent } from '../invitations/events/invitation-rejected.event.js';
import { InvitationReminderEvent } from '../invitations/events/invitation-reminder.event.js';
import { InvitationResentEvent } from '../invitations/events/invitation-resent.event.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { JobAutoCompleteReminderEvent } from '../jobs/events/job-auto-complete-reminder.event.js';
import { JobCompletionRequestedEvent } from '../jobs/events/job-completion-requested.event.js';
import { JobStatusChangedEvent } from '../jobs/events/job-status-changed.event.js';
import { JobsService } from '../jobs/jobs.service.js';
import { QuoteAcceptedEvent } from '../quotes/events/quote-accepted.event.js';
import { QuoteDeclinedEvent } from '../quotes/events/quote-declined.event.js';
import { QuoteSubmittedEvent } from '../quotes/events/quote-submitted.event.js';
import { QuotesService } from '../quotes/quotes.service.js';
import { UserRegisteredEvent } from '../users/events/user-registered.event.js';
import {
  VerificationApprovedEvent,
  VerificationRejectedEvent,
} from '../users/events/verification-decided.event.js';
import { UsersService } from '../users/users.service.js';
import { NotificationsService } from './notifications.service.js';
import type { NotificationType, TemplateContext } from './templates/notification-templates.js';

const fullName = (user: { firstName: string; lastName: string }) =>
  `${user.firstName} ${user.lastName}`;

/**
 * Who hears of what (API.md "Notifications"): one handler per domain event, deciding the
 * recipients and the content, then handing each to NotificationsService. A failure is logged;
 * it never undoes the change the event announced.
 */
/**
 * The dedupe key of an expiry notification: one per side and round of the invitation, however
 * often the sweep announces it (a cancelled or expired invitation can be sent again).
 */
export function expiryNotificationKey(
  ref: Pick<InvitationRef, 'invitationId' | 'sentAt'>,
  side: 'client' | 'invitee',
): string {
  return `invitation.expired:${roundKeyOf(ref)}:${side}`;
}

@Injectable()
export class NotificationsListener {
  private readonly logger = new Logger(NotificationsListener.name);
  private readonly enabled: boolean;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly usersService: UsersService,
    private readonly jobsService: JobsService,
    private readonly invitationsService: InvitationsService,
    private readonly quotesService: QuotesService,
    private readonly mailService: MailService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.enabled = config.get('notifications', { infer: true }).enabled;
    if (!this.enabled) {
      this.logger.warn('NOTIFICATIONS_ENABLED=false: events notify nobody');
    }
  }

  /** invitation created → the craftsman, or the email address of someone not registered. */
  @OnEvent(InvitationCreatedEvent.eventName)
  async onInvitationCreated(event: InvitationCreatedEvent): Promise<void> {
    await this.safely(event.eventName, () =>
      this.announceInvitation(event.invitation, event.token),
    );
  }

  /** A resend tells the invitee again, with the new link. */
  @OnEvent(InvitationResentEvent.eventName)
  async onInvitationResent(event: InvitationResentEvent): Promise<void> {
    await this.safely(event.eventName, () =>
      this.announceInvitation(event.invitation, event.token),
    );
  }

  @OnEvent(InvitationAcceptedEvent.eventName)
  async onInvitationAccepted(event: InvitationAcceptedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const ref = event.invitation;
      const context = await this.invitationContext(ref);
      await this.notifyAbout(ref.clientId, 'invitation.accepted', context, ref, {
        conversationId: event.conversationId,
      });
      const invitation = await this.invitationsService.toResponse(
        await this.invitationsService.getById(ref.invitationId),
      );
      this.notifications.live(ref.clientId, 'invitation.accepted', {
        invitation,
        conversationId: event.conversationId,
      });
    });
  }

  @OnEvent(InvitationRejectedEvent.eventName)
  async onInvitationRejected(event: InvitationRejectedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const ref = event.invitation;
      const context = {
        ...(await this.invitationContext(ref)),
        reason: event.reason ?? event.reasonCode,
      };
      await this.notifyAbout(ref.clientId, 'invitation.rejected', context, ref);
      await this.liveInvitation(ref.clientId, 'invitation.rejected', ref);
    });
  }

  /** cancelled → the craftsman (or the invited address). */
  @OnEvent(InvitationCancelledEvent.eventName)
  async onInvitationCancelled(event: InvitationCancelledEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const ref = event.invitation;
      const context = {
        ...(await this.invitationContext(ref)),
        reason: event.reason.replace(/_/g, ' '),
      };
      await this.toInvitee(ref, 'invitation.cancelled', context);
    });
  }

  /** expired → both sides, once each per round even if the sweep announces it twice. */
  @OnEvent(InvitationExpiredEvent.eventName)
  async onInvitationExpired(event: InvitationExpiredEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const ref = event.invitation;
      const context = await this.invitationContext(ref);
      await this.notifyAbout(
        ref.clientId,
        'invitation.expired',
        context,
        ref,
        {},
        expiryNotificationKey(ref, 'client'),
      );
      await this.liveInvitation(ref.clientId, 'invitation.expired', ref);
      await this.toInvitee(
        ref,
        'invitation.expired',
        context,
        expiryNotificationKey(ref, 'invitee'),
      );
    });
  }

  @OnEvent(InvitationReminderEvent.eventName)
  async onInvitationReminder(event: InvitationReminderEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const ref = event.invitation;
      if (!ref.craftsmanId) {
        return;
      }
      const invitation = await this.invitationsService.getById(ref.invitationId);
      const context = { ...(await this.invitationContext(ref)), expiresAt: invitation.expiresAt };
      await this.notifyAbout(
        ref.craftsmanId,
        'invitation.reminder',
        context,
        ref,
        {},
        `invitation.reminder:${roundKeyOf(ref)}`,
      );
    });
  }

  /** An email invitation became a new craftsman's: the inviter is told. */
  @OnEvent(InvitationClaimedEvent.eventName)
  async onInvitationClaimed(event: InvitationClaimedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const ref = event.invitation;
      await this.notifyAbout(
        ref.clientId,
        'invitation.claimed',
        await this.invitationContext(ref),
        ref,
      );
    });
  }

  @OnEvent(QuoteSubmittedEvent.eventName)
  async onQuoteSubmitted(event: QuoteSubmittedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const [job, craftsman] = await Promise.all([
        this.jobsService.getById(event.jobId),
        this.usersService.getById(event.craftsmanId),
      ]);
      await this.notifications.notify({
        recipientId: event.clientId,
        type: 'quote.submitted',
        context: { jobTitle: job.title, craftsmanName: fullName(craftsman), price: event.price },
        data: {
          jobId: event.jobId,
          quoteId: event.quoteId,
          deepLink: `/jobs/${event.jobId}/quotes`,
        },
      });
      await this.liveQuote(event.clientId, 'quote.submitted', event.quoteId);
    });
  }

  @OnEvent(QuoteAcceptedEvent.eventName)
  async onQuoteAccepted(event: QuoteAcceptedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const [job, client] = await Promise.all([
        this.jobsService.getById(event.jobId),
        this.usersService.getById(event.clientId),
      ]);
      await this.notifications.notify({
        recipientId: event.craftsmanId,
        type: 'quote.accepted',
        context: { jobTitle: job.title, clientName: fullName(client), price: event.price },
        data: { jobId: event.jobId, quoteId: event.quoteId, deepLink: `/jobs/${event.jobId}` },
      });
      await this.liveQuote(event.craftsmanId, 'quote.accepted', event.quoteId);
    });
  }

  @OnEvent(QuoteDeclinedEvent.eventName)
  async onQuoteDeclined(event: QuoteDeclinedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const job = await this.jobsService.getById(event.jobId);
      await this.notifications.notify({
        recipientId: event.craftsmanId,
        type: 'quote.declined',
        context: { jobTitle: job.title, reason: event.reason.replace(/_/g, ' ') },
        data: { jobId: event.jobId, quoteId: event.quoteId, deepLink: '/quotes/mine' },
      });
    });
  }

  /** Every move of a job → both parties, and the sockets subscribed to the job. */
  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobStatusChanged(event: JobStatusChangedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const job = await this.jobsService.getById(event.jobId);
      const parties: AuthUser[] = [
        { id: event.clientId, role: Role.Client, tokenId: '', tokenExpiresAt: new Date(0) },
      ];
      if (event.craftsmanId) {
        parties.push({
          id: event.craftsmanId,
          role: Role.Craftsman,
          tokenId: '',
          tokenExpiresAt: new Date(0),
        });
      }
      await this.notifications.notifyAll(
        parties.map((party) => ({
          recipientId: party.id,
          type: 'job.status_changed' as const,
          context: { jobTitle: job.title, status: event.to },
          data: { jobId: event.jobId, status: event.to, deepLink: `/jobs/${event.jobId}` },
        })),
      );
      for (const party of parties) {
        this.notifications.live(
          party.id,
          'job.status_changed',
          await this.jobsService.toResponse(job, party),
        );
      }
      this.notifications.liveToJob(
        event.jobId,
        'job.status_changed',
        await this.jobsService.toResponse(job, parties[0]),
      );
    });
  }

  /** The craftsman asked for completion → the client, with when the job completes by itself. */
  @OnEvent(JobCompletionRequestedEvent.eventName)
  async onJobCompletionRequested(event: JobCompletionRequestedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const [job, craftsman] = await Promise.all([
        this.jobsService.getById(event.jobId),
        this.usersService.getById(event.craftsmanId),
      ]);
      await this.notifications.notify({
        recipientId: event.clientId,
        type: 'job.completion_requested',
        context: {
          jobTitle: job.title,
          craftsmanName: fullName(craftsman),
          expiresAt: event.autoCompleteAt,
        },
        data: { jobId: job.id, deepLink: `/jobs/${job.id}` },
        dedupeKey: `job.completion_requested:${job.id}`,
      });
    });
  }

  /** A job completes by itself soon → its client (2 days and 1 day before). */
  @OnEvent(JobAutoCompleteReminderEvent.eventName)
  async onJobAutoCompleteReminder(event: JobAutoCompleteReminderEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const job = await this.jobsService.getById(event.jobId);
      await this.notifications.notify({
        recipientId: event.clientId,
        type: 'job.auto_complete_reminder',
        context: { jobTitle: job.title, expiresAt: event.autoCompleteAt },
        data: { jobId: job.id, deepLink: `/jobs/${job.id}` },
        dedupeKey: `job.auto_complete_reminder:${job.id}:${event.step}`,
      });
    });
  }

  @OnEvent(MessageCreatedEvent.eventName)
  async onMessageCreated(event: MessageCreatedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const sender = await this.usersService.getById(event.senderId);
      await this.notifications.notify({
        recipientId: event.recipientId,
        type: 'message.created',
        context: { senderName: fullName(sender), text: event.text },
        data: {
          conversationId: event.conversationId,
          messageId: event.messageId,
          deepLink: `/conversations/${event.conversationId}`,
        },
      });
      this.notifications.live(event.recipientId, 'message.created', {
        id: event.messageId,
        conversation: event.conversationId,
        sender: event.senderId,
        text: event.text,
        createdAt: event.createdAt,
      });
    });
  }

  @OnEvent(UserRegisteredEvent.eventName)
  async onUserRegistered(event: UserRegisteredEvent): Promise<void> {
    if (event.role !== Role.Client && event.role !== Role.Craftsman) {
      return;
    }
    await this.safely(event.eventName, async () => {
      const user = await this.usersService.getById(event.userId);
      await this.notifications.notify({
        recipientId: event.userId,
        type: 'user.registered',
        context: { firstName: user.firstName },
        data: { deepLink: '/profile' },
      });
    });
  }

  @OnEvent(VerificationApprovedEvent.eventName)
  async onVerificationApproved(event: VerificationApprovedEvent): Promise<void> {
    await this.safely(event.eventName, () =>
      this.notifications.notify({
        recipientId: event.craftsmanId,
        type: 'user.verification_approved',
        context: {},
        data: { deepLink: '/profile' },
      }),
    );
  }

  @OnEvent(VerificationRejectedEvent.eventName)
  async onVerificationRejected(event: VerificationRejectedEvent): Promise<void> {
    await this.safely(event.eventName, () =>
      this.notifications.notify({
        recipientId: event.craftsmanId,
        type: 'user.verification_rejected',
        context: { reason: event.reason },
        data: { deepLink: '/profile/verification' },
      }),
    );
  }

  private async announceInvitation(ref: InvitationRef, token: string): Promise<void> {
    const context = {
      ...(await this.invitationContext(ref)),
      respondLink: this.mailService.link('/invitations/respond', { token }),
    };
    await this.toInvitee(ref, 'invitation.created', context);
    if (ref.craftsmanId) {
      await this.liveInvitation(ref.craftsmanId, 'invitation.created', ref);
    }
  }

  /** The invited craftsman, or (nobody registered yet) an email to the invited address. */
  private async toInvitee(
    ref: InvitationRef,
    type: NotificationType,
    context: TemplateContext,
    dedupeKey?: string,
  ): Promise<void> {
    if (ref.craftsmanId) {
      await this.notifyAbout(ref.craftsmanId, type, context, ref, {}, dedupeKey);
      if (type === 'invitation.cancelled' || type === 'invitation.expired') {
        await this.liveInvitation(ref.craftsmanId, type, ref);
      }
      return;
    }
    if (ref.inviteeEmail) {
      await this.notifications.emailOnly({
        to: ref.inviteeEmail,
        type,
        context,
        deepLink: '/invitations',
      });
    }
  }

  private notifyAbout(
    recipientId: string,
    type: NotificationType,
    context: TemplateContext,
    ref: InvitationRef,
    extra: Record<string, string> = {},
    dedupeKey?: string,
  ): Promise<unknown> {
    return this.notifications.notify({
      recipientId,
      type,
      context,
      data: {
        invitationId: ref.invitationId,
        jobId: ref.jobId,
        ...extra,
        deepLink: `/invitations/${ref.invitationId}`,
      },
      dedupeKey,
    });
  }

  private async invitationContext(ref: InvitationRef): Promise<TemplateContext> {
    const summaries = await this.usersService.getSummaries([ref.clientId, ref.craftsmanId]);
    const job = await this.jobsService.getById(ref.jobId);
    const client = summaries.get(ref.clientId);
    const craftsman = ref.craftsmanId ? summaries.get(ref.craftsmanId) : undefined;
    return {
      jobTitle: job.title,
      clientName: client ? fullName(client) : 'A client',
      craftsmanName: craftsman ? fullName(craftsman) : (ref.inviteeEmail ?? undefined),
    };
  }

  private async liveInvitation(
    userId: string,
    event:
      'invitation.created' | 'invitation.rejected' | 'invitation.cancelled' | 'invitation.expired',
    ref: InvitationRef,
  ): Promise<void> {
    const invitation = await this.invitationsService.toResponse(
      await this.invitationsService.getById(ref.invitationId),
    );
    this.notifications.live(userId, event, invitation);
  }

  private async liveQuote(
    userId: string,
    event: 'quote.submitted' | 'quote.accepted',
    quoteId: string,
  ): Promise<void> {
    const [quote] = await this.quotesService.toResponses([
      await this.quotesService.getById(quoteId),
    ]);
    this.notifications.live(userId, event, quote);
  }

  private async safely(eventName: string, work: () => Promise<unknown>): Promise<void> {
    if (!this.enabled) {
      return;
    }
    try {
      await work();
    } catch (error) {
      this.logger.error(`Notifying ${eventName} failed: ${String(error)}`, (error as Error)?.stack);
    }
  }
}
