import type { DomainEvent } from '../../../common/events/domain-events.js';

export class VerificationSubmittedEvent implements DomainEvent {
  static readonly eventName = 'user.verification_submitted';
  readonly eventName = VerificationSubmittedEvent.eventName;

  constructor(readonly craftsmanId: string) {}
}
