import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { hashToken } from '../../common/security/tokens.js';
import { InvitationClaimedEvent } from './events/invitation-claimed.event.js';
import { invitationRef } from './events/invitation-ref.js';
import { InvitationStatus } from './invitation-status.js';
import { InvitationsErrors } from './invitations.errors.js';
import { InvitationsRepository } from './invitations.repository.js';
import type { InvitationEntity } from './schemas/invitation.schema.js';

/**
 * Email invitations (to an address nobody had registered) becoming a craftsman's. Only proof of
 * the address claims them: the owner verified it (every pending invitation to it), or he holds
 * the token an invitation's email carried (that invitation). Registering with an address proves
 * nothing: anyone can type anyone's.
 */
@Injectable()
export class InvitationClaimsService {
  constructor(
    private readonly invitationsRepository: InvitationsRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** For sign-up: is this an invitation token at all? (INVALID_TOKEN before any account is made.) */
  async assertInviteToken(token: string): Promise<void> {
    if (!(await this.invitationsRepository.findByTokenHash(hashToken(token)))) {
      throw InvitationsErrors.invalidToken();
    }
  }

  /**
   * A craftsman signing up through an email invitation's link becomes that invitation's invitee,
   * whatever address he registers with: the token was sent to the invited address. Answers how
   * many were claimed (0 or 1; 0 when it is no longer pending or someone claimed it first).
   */
  async claimByToken(craftsmanId: string, token: string): Promise<number> {
    const invitation = await this.invitationsRepository.findByTokenHash(hashToken(token));
    const now = this.clock.now();
    if (!invitation || !this.claimable(invitation, now)) {
      return 0;
    }
    return this.claimEach([invitation], craftsmanId, now);
  }

  /**
   * A craftsman who has just verified his address takes over every pending invitation to it;
   * each inviter is told. Answers how many were claimed.
   */
  async claimForVerifiedEmail(craftsman: { id: string; email: string }): Promise<number> {
    const now = this.clock.now();
    const pending = await this.invitationsRepository.findPendingForEmail(craftsman.email, now);
    return this.claimEach(pending, craftsman.id, now);
  }

  private claimable(invitation: InvitationEntity, now: Date): boolean {
    return (
      invitation.craftsman === null &&
      invitation.inviteeEmail !== null &&
      invitation.status === InvitationStatus.Pending &&
      invitation.expiresAt > now
    );
  }

  private async claimEach(
    invitations: InvitationEntity[],
    craftsmanId: string,
    now: Date,
  ): Promise<number> {
    let claimed = 0;
    for (const invitation of invitations) {
      const mine = await this.invitationsRepository.claim(invitation.id, craftsmanId, now);
      if (mine) {
        claimed += 1;
        await this.events.publish(new InvitationClaimedEvent(invitationRef(mine)));
      }
    }
    return claimed;
  }
}
