import type { DomainEvent } from '../../../common/events/domain-events.js';

export class VerificationApprovedEvent implements DomainEvent {
  static readonly eventName = 'user.verification_approved';
  readonly eventName = VerificationApprovedEvent.eventName;

  constructor(
    readonly craftsmanId: string,
    readonly decidedBy: string,
    /** When it was decided: tells a craftsman's successive requests apart. */
    readonly decidedAt: Date,
  ) {}
}

export class VerificationRejectedEvent implements DomainEvent {
  static readonly eventName = 'user.verification_rejected';
  readonly eventName = VerificationRejectedEvent.eventName;

  constructor(
    readonly craftsmanId: string,
    readonly decidedBy: string,
    readonly reason: string,
    readonly decidedAt: Date,
  ) {}
}
