import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InvitationAcceptedEvent } from '../invitations/events/invitation-accepted.event.js';
import { InvitationCancelledEvent } from '../invitations/events/invitation-cancelled.event.js';
import { InvitationClaimedEvent } from '../invitations/events/invitation-claimed.event.js';
import { InvitationCreatedEvent } from '../invitations/events/invitation-created.event.js';
import { InvitationExpiredEvent } from '../invitations/events/invitation-expired.event.js';
import { type InvitationRef, roundKeyOf } from '../invitations/events/invitation-ref.js';
import { InvitationRejectedEvent } from '../invitations/events/invitation-rejected.event.js';
import { InvitationSource, RejectionReasonCode } from '../invitations/invitation-status.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import type { InvitationEntity } from '../invitations/schemas/invitation.schema.js';
import { JobStatusChangedEvent } from '../jobs/events/job-status-changed.event.js';
import { JobStatus } from '../jobs/job-status.js';
import { UsersService } from '../users/users.service.js';

/**
 * Keeps each craftsman's activity (CraftsmanStats on his profile) up to date from the invitation
 * and job events: the recommender then scores a candidate from one document.
 */
@Injectable()
export class CraftsmanActivityListener {
  private readonly logger = new Logger(CraftsmanActivityListener.name);

  constructor(
    private readonly usersService: UsersService,
    private readonly invitationsService: InvitationsService,
  ) {}

  @OnEvent(InvitationCreatedEvent.eventName)
  async onCreated(event: InvitationCreatedEvent): Promise<void> {
    await this.record(event.invitation.craftsmanId, {
      inc: { invitationsReceived: 1, pendingInvitations: 1 },
      eventKey: eventKeyOf(event),
    });
  }

  @OnEvent(InvitationClaimedEvent.eventName)
  async onClaimed(event: InvitationClaimedEvent): Promise<void> {
    await this.record(event.invitation.craftsmanId, {
      inc: { invitationsReceived: 1, pendingInvitations: 1 },
      eventKey: eventKeyOf(event),
    });
  }

  @OnEvent(InvitationAcceptedEvent.eventName)
  async onAccepted(event: InvitationAcceptedEvent): Promise<void> {
    const invitation = await this.find(event.invitation.invitationId);
    if (!invitation) {
      return;
    }
    if (invitation.source === InvitationSource.InviteLink) {
      // he came by himself through a link: nothing was pending, no answer time to count
      await this.record(invitation.craftsman, {
        inc: { invitationsAccepted: 1 },
        eventKey: eventKeyOf(event),
      });
      return;
    }
    await this.record(invitation.craftsman, {
      inc: { invitationsAccepted: 1, pendingInvitations: -1 },
      responseTimeMs: responseTimeMs(invitation),
      eventKey: eventKeyOf(event),
    });
  }

  @OnEvent(InvitationRejectedEvent.eventName)
  async onRejected(event: InvitationRejectedEvent): Promise<void> {
    const invitation = await this.find(event.invitation.invitationId);
    if (!invitation) {
      return;
    }
    await this.record(invitation.craftsman, {
      inc: { invitationsRejected: 1, pendingInvitations: -1 },
      responseTimeMs: responseTimeMs(invitation),
      busyAt:
        event.reasonCode === RejectionReasonCode.Busy
          ? (invitation.respondedAt ?? undefined)
          : undefined,
      eventKey: eventKeyOf(event),
    });
  }

  @OnEvent(InvitationCancelledEvent.eventName)
  async onCancelled(event: InvitationCancelledEvent): Promise<void> {
    await this.record(event.invitation.craftsmanId, {
      inc: { pendingInvitations: -1 },
      eventKey: eventKeyOf(event),
    });
  }

  @OnEvent(InvitationExpiredEvent.eventName)
  async onExpired(event: InvitationExpiredEvent): Promise<void> {
    // the sweep announces again what a crashed sweep may have announced: the key counts it once
    await this.record(event.invitation.craftsmanId, {
      inc: { pendingInvitations: -1 },
      eventKey: eventKeyOf(event),
    });
  }

  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobStatusChanged(event: JobStatusChangedEvent): Promise<void> {
    if (event.to === JobStatus.Completed) {
      await this.record(event.craftsmanId, { inc: { completedJobs: 1 } });
    }
  }

  private async find(id: string): Promise<InvitationEntity | null> {
    return this.invitationsService.getById(id).catch(() => null);
  }

  private async record(
    craftsmanId: string | null,
    change: Parameters<UsersService['updateCraftsmanStats']>[1],
  ): Promise<void> {
    if (!craftsmanId) {
      return;
    }
    try {
      await this.usersService.updateCraftsmanStats(craftsmanId, change);
    } catch (error) {
      this.logger.error(`Could not record activity of craftsman ${craftsmanId}: ${String(error)}`);
    }
  }
}

/**
 * The key under which an event's change is counted once: the event, the invitation and its
 * round (a cancelled or expired invitation can be sent again, and then counts again).
 */
function eventKeyOf(event: { eventName: string; invitation: InvitationRef }): string {
  return `${event.eventName}:${roundKeyOf(event.invitation)}`;
}

/** From his first look (or, never looked at, from when it was sent) to his answer. */
export function responseTimeMs(
  invitation: Pick<InvitationEntity, 'viewedAt' | 'lastSentAt' | 'respondedAt'>,
): number | undefined {
  if (!invitation.respondedAt) {
    return undefined;
  }
  const from = invitation.viewedAt ?? invitation.lastSentAt;
  return Math.max(0, invitation.respondedAt.getTime() - from.getTime());
}
