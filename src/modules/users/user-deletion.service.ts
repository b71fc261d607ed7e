import { Injectable } from '@nestjs/common';
import { AccountDeletionsRepository } from './account-deletions.repository.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { UserTokensRevokedEvent } from './events/user-tokens-revoked.event.js';
import { PasswordService } from './password.service.js';
import type { AccountDeletionEntity, UserEntity } from './schemas/user.schema.js';
import { UsersErrors } from './users.errors.js';
import { UsersRepository } from './users.repository.js';

/**
 * Stored instead of a deleted account's password hash: no argon2 hash, so no password matches
 * it (PasswordService.verify answers false for what it can't parse).
 */
export const UNUSABLE_PASSWORD_HASH = '!account-deleted';

/**
 * The users module's side of an account deletion its owner asked for (API.md "Privacy and
 * contact"): the schedule on the user document, the claims of the sweep that runs it, and the
 * anonymisation of the document itself. The privacy module decides when, and what else goes.
 */
@Injectable()
export class UserDeletionService {
  constructor(
    private readonly usersRepository: UsersRepository,
    private readonly deletions: AccountDeletionsRepository,
    private readonly passwordService: PasswordService,
    private readonly events: DomainEvents,
  ) {}

  /** Whether `password` is the account's; false too when there is no such account. */
  async verifyPassword(userId: string, password: string): Promise<boolean> {
    const hash = await this.usersRepository.findPasswordHash(userId);
    if (!hash) {
      return this.passwordService.verifyAgainstNothing(password);
    }
    return this.passwordService.verify(hash, password);
  }

  /**
   * Schedules the deletion for `scheduledFor`, or answers the one scheduled before (asking
   * again moves nothing). Throws NOT_FOUND when the account is gone.
   */
  async schedule(
    userId: string,
    requestedAt: Date,
    scheduledFor: Date,
  ): Promise<AccountDeletionEntity> {
    const deletion = await this.deletions.scheduleDeletion(userId, requestedAt, scheduledFor);
    if (!deletion) {
      throw UsersErrors.notFound();
    }
    return deletion;
  }

  /**
   * Takes back a scheduled deletion; false when none is scheduled, or a sweep is running it
   * (a sweep that died gives it up at the end of its lease, `now`).
   */
  cancel(userId: string, now: Date): Promise<boolean> {
    return this.deletions.cancelDeletion(userId, now);
  }

  /** One account whose deletion is due, claimed until `leaseUntil` (see the repository). */
  claimDue(now: Date, leaseUntil: Date, claim: string): Promise<UserEntity | null> {
    return this.deletions.claimDueDeletion(now, leaseUntil, claim);
  }

  /** A claimed deletion that can't run yet, due again at `until`. */
  postpone(userId: string, claim: string, until: Date): Promise<boolean> {
    return this.deletions.postponeDeletion(userId, claim, until);
  }

  /**
   * Anonymises the user document under `claim` and revokes every token at once (sockets closed,
   * caches cleared on every instance, through UserTokensRevokedEvent). `null` when the claim was
   * lost (cancelled, or taken over by another sweep): nothing changed.
   */
  async anonymise(
    user: Pick<UserEntity, 'id' | 'role'>,
    claim: string,
    at: Date,
  ): Promise<UserEntity | null> {
    const anonymised = await this.deletions.anonymise(user, claim, {
      at,
      unusablePasswordHash: UNUSABLE_PASSWORD_HASH,
    });
    if (anonymised) {
      await this.events.publish(new UserTokensRevokedEvent(user.id));
    }
    return anonymised;
  }

  /** The deletion under `claim` is complete: the schedule goes, `deletedAt` stays. */
  finish(userId: string, claim: string): Promise<void> {
    return this.deletions.finishDeletion(userId, claim);
  }
}
