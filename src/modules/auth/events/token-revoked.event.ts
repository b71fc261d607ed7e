import type { DomainEvent } from '../../../common/events/domain-events.js';

/** One access token was logged out: sockets opened with it are closed. */
export class TokenRevokedEvent implements DomainEvent {
  static readonly eventName = 'auth.token_revoked';
  readonly eventName = TokenRevokedEvent.eventName;

  constructor(
    readonly userId: string,
    readonly tokenId: string,
  ) {}
}
