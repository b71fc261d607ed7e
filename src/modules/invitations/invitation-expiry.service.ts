import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { AllConfig } from '../../config/config.js';
import type { InvitationsConfig } from '../../config/invitations.config.js';
import { InvitationExpiredEvent } from './events/invitation-expired.event.js';
import { invitationRef } from './events/invitation-ref.js';
import { InvitationReminderEvent } from './events/invitation-reminder.event.js';
import { InvitationsRepository } from './invitations.repository.js';
import type { InvitationEntity } from './schemas/invitation.schema.js';

/**
 * How long an announcement (or a reminder) a sweep took may stay unmade before a later sweep
 * makes it: the first sweep died, or is that slow.
 */
const ANNOUNCE_GRACE_MS = 5 * 60 * 1000;

export interface SweepResult {
  expired: number;
  announced: number;
}

/**
 * Rule 8: pending invitations expire INVITATION_TTL after they were sent, and the craftsman
 * is reminded once before. Batches are claimed with a stamp (one conditional updateMany), then
 * exactly the stamped invitations are read back and announced: several instances may sweep at
 * once, and a sweep that dies half-way is finished by the next one.
 */
@Injectable()
export class InvitationExpiryService {
  private readonly logger = new Logger(InvitationExpiryService.name);
  private readonly config: InvitationsConfig;

  constructor(
    private readonly invitationsRepository: InvitationsRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('invitations', { infer: true });
  }

  async expireDue(): Promise<SweepResult> {
    const now = this.clock.now();
    const result: SweepResult = { expired: 0, announced: 0 };
    for (;;) {
      const stamp = `expire:${randomUUID()}`;
      const expired = await this.invitationsRepository.expireDue(
        now,
        this.config.sweepBatch,
        stamp,
      );
      if (expired === 0) {
        break;
      }
      result.expired += expired;
      result.announced += await this.announce(stamp, now);
    }
    result.announced += await this.announceLeftovers(now);
    if (result.expired > 0 || result.announced > 0) {
      this.logger.log(`Expired ${result.expired} invitations, announced ${result.announced}`);
    }
    return result;
  }

  /** Once per invitation, INVITATION_REMINDER_BEFORE before it expires. */
  async sendReminders(): Promise<number> {
    const now = this.clock.now();
    const windowEnd = new Date(now.getTime() + this.config.reminderBeforeMs);
    const reclaimBefore = new Date(now.getTime() - ANNOUNCE_GRACE_MS);
    let reminded = 0;
    for (;;) {
      const stamp = `remind:${randomUUID()}`;
      const claimed = await this.invitationsRepository.claimReminders(
        now,
        windowEnd,
        this.config.sweepBatch,
        stamp,
        reclaimBefore,
      );
      if (claimed.length === 0) {
        break;
      }
      await this.publishEach(
        claimed,
        (invitation) => new InvitationReminderEvent(invitationRef(invitation)),
      );
      await this.invitationsRepository.markReminded(stamp, now);
      reminded += claimed.length;
    }
    if (reminded > 0) {
      this.logger.log(`Reminded ${reminded} invited craftsmen of invitations about to expire`);
    }
    return reminded;
  }

  /** Announces what the sweep stamped, then records it: a crash in between re-announces later. */
  private async announce(stamp: string, now: Date): Promise<number> {
    const invitations = await this.invitationsRepository.findByStamp(stamp);
    await this.publishEach(
      invitations,
      (invitation) => new InvitationExpiredEvent(invitationRef(invitation)),
    );
    await this.invitationsRepository.markAnnounced(stamp, now);
    return invitations.length;
  }

  private async announceLeftovers(now: Date): Promise<number> {
    const before = new Date(now.getTime() - ANNOUNCE_GRACE_MS);
    let announced = 0;
    for (;;) {
      const stamp = `announce:${randomUUID()}`;
      const stale = await this.invitationsRepository.claimUnannounced(
        before,
        this.config.sweepBatch,
        stamp,
        now,
      );
      if (stale.length === 0) {
        return announced;
      }
      await this.publishEach(
        stale,
        (invitation) => new InvitationExpiredEvent(invitationRef(invitation)),
      );
      await this.invitationsRepository.markAnnounced(stamp, now);
      announced += stale.length;
    }
  }

  private async publishEach(
    invitations: InvitationEntity[],
    eventOf: (invitation: InvitationEntity) => InvitationExpiredEvent | InvitationReminderEvent,
  ): Promise<void> {
    for (const invitation of invitations) {
      await this.events.publish(eventOf(invitation));
    }
  }
}
