import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { UserBannedEvent } from '../users/events/user-banned.event.js';
import { InvitationCancelledEvent } from './events/invitation-cancelled.event.js';
import { invitationRef } from './events/invitation-ref.js';
import { CancellationReason } from './invitation-status.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InviteLinksRepository } from './invite-links.repository.js';

/**
 * What a ban does to invitations (API.md "Quotes", banned users). A banned craftsman's pending
 * invitations are cancelled (`craftsman_suspended`); a banned client's invite links are revoked
 * (his pending invitations go with his open jobs, which the jobs module cancels). Idempotent:
 * a replay of the ban finds nothing pending or live. Unbanning brings nothing back; a client may
 * send a cancelled invitation again, as always.
 */
@Injectable()
export class InvitationBansListener {
  constructor(
    private readonly invitationsRepository: InvitationsRepository,
    private readonly inviteLinksRepository: InviteLinksRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  @OnEvent(UserBannedEvent.eventName)
  async onUserBanned(event: UserBannedEvent): Promise<void> {
    const now = this.clock.now();
    await this.inviteLinksRepository.revokeAllOfClient(event.userId, now);
    const reason = CancellationReason.CraftsmanSuspended;
    const cancelled = await this.invitationsRepository.cancelPendingForCraftsman(
      event.userId,
      { cancellationReason: reason },
      now,
    );
    for (const invitation of cancelled) {
      await this.events.publish(new InvitationCancelledEvent(invitationRef(invitation), reason));
    }
  }
}
