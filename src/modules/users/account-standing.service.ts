import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { UsersRepository } from './users.repository.js';

/** The two sides of a deal: a client and a craftsman (either may be unknown yet). */
export interface Parties {
  clientId?: string | null;
  craftsmanId?: string | null;
}

export const StandingErrors = {
  craftsmanSuspended: () =>
    new DomainError(
      ErrorCode.CraftsmanSuspended,
      'This craftsman is suspended: he cannot be invited, hired or written to',
    ),
  clientSuspended: () =>
    new DomainError(
      ErrorCode.ClientSuspended,
      'This client is suspended: his jobs and conversations are closed',
    ),
};

/**
 * Whether the parties of a deal may still deal (API.md "Quotes", banned users): no rule accepts
 * a banned party at any step. Read from the database every time, never from a cache: the steps
 * that a concurrent ban must not slip past call it again right after their own conditional
 * write, and undo that write when it throws (a ban stored before the re-check is always seen).
 */
@Injectable()
export class AccountStandingService {
  constructor(private readonly usersRepository: UsersRepository) {}

  /**
   * Throws 422 CRAFTSMAN_SUSPENDED or CLIENT_SUSPENDED when either party is banned, or his
   * account was deleted (anonymised: nobody deals with it any more).
   */
  async assertInGoodStanding(parties: Parties): Promise<void> {
    const ids = [parties.craftsmanId, parties.clientId].filter((id): id is string => Boolean(id));
    if (ids.length === 0) {
      return;
    }
    const banned = new Set(await this.usersRepository.findBannedIds(ids));
    if (parties.craftsmanId && banned.has(parties.craftsmanId)) {
      throw StandingErrors.craftsmanSuspended();
    }
    if (parties.clientId && banned.has(parties.clientId)) {
      throw StandingErrors.clientSuspended();
    }
  }
}
