import type { DomainEvent } from '../../../common/events/domain-events.js';

/** Every token issued to the user so far stopped working (a password change or reset). */
export class UserTokensRevokedEvent implements DomainEvent {
  static readonly eventName = 'user.tokens_revoked';
  readonly eventName = UserTokensRevokedEvent.eventName;

  constructor(readonly userId: string) {}
}
