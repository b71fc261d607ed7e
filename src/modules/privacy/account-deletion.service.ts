import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { type MailMessage, MailService } from '../../common/mail/mail.service.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import type { RateLimit } from '../../config/auth.config.js';
import type { AllConfig } from '../../config/config.js';
import { AuthService } from '../auth/auth.service.js';
import { UploadsService } from '../files/uploads.service.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { QuotesService } from '../quotes/quotes.service.js';
import { ReviewsService } from '../reviews/reviews.service.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { UserDeletionService } from '../users/user-deletion.service.js';
import { UsersErrors } from '../users/users.errors.js';
import { UsersService } from '../users/users.service.js';
import { DeletionBlockersService } from './deletion-blockers.service.js';
import { AccountDeletedEvent } from './events/account-deleted.event.js';
import { AccountDeletionCancelledEvent } from './events/account-deletion-cancelled.event.js';
import { AccountDeletionRequestedEvent } from './events/account-deletion-requested.event.js';
import { accountDeletedMail, deletionScheduledMail } from './mail/account-deletion.mail.js';
import { PrivacyErrors } from './privacy.errors.js';

/** How long a sweep holds a due deletion before another may take it over (it died). */
const CLAIM_LEASE_MS = 10 * 60_000;
/** A due deletion the account can't take yet (money, a job...) is tried again this much later. */
const POSTPONE_MS = 24 * 3600_000;
/** Deletions one sweep runs at most; the next minute's takes the rest. */
const SWEEP_BATCH = 20;

/** Wrong passwords count with the sign-in failures of the account (as a password change does). */
const accountKey = (userId: string) => `user:${userId}`;

/**
 * Account deletion at the owner's request (API.md "Privacy and contact"). Asking schedules it
 * DELETION_GRACE later (P14D); until then the owner may cancel. At `scheduledFor` the minute
 * sweep anonymises the account instead of deleting it, as Discourse does: name, email, phone,
 * pictures, documents, devices, tokens, notifications and single-use links go; jobs, ratings,
 * payments, ledger entries and moderation records stay under the same id, which no longer names
 * anyone (payment history is kept for legal reasons; Egypt's Personal Data Protection Law
 * 151/2020 grants erasure with such exceptions). Money or work still in play keeps the account
 * (409 DELETION_BLOCKED when asked; a due deletion waits a day at a time).
 */
@Injectable()
export class AccountDeletionService {
  private readonly logger = new Logger(AccountDeletionService.name);
  private readonly graceMs: number;
  private readonly wrongPasswordLimit: RateLimit;
  private readonly defaultTimeZone: string;

  constructor(
    private readonly userDeletion: UserDeletionService,
    private readonly usersService: UsersService,
    private readonly blockers: DeletionBlockersService,
    private readonly jobsService: JobsService,
    private readonly quotesService: QuotesService,
    private readonly invitationsService: InvitationsService,
    private readonly reviewsService: ReviewsService,
    private readonly notificationsService: NotificationsService,
    private readonly authService: AuthService,
    private readonly uploadsService: UploadsService,
    private readonly mailService: MailService,
    private readonly rateLimits: RateLimitService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    config: ConfigService<AllConfig, true>,
  ) {
    this.graceMs = config.get('privacy', { infer: true }).deletionGraceMs;
    this.wrongPasswordLimit = config.get('auth', { infer: true }).rateLimits.loginPerAccount;
    this.defaultTimeZone = config.get('notifications', { infer: true }).defaultTimeZone;
  }

  /**
   * `POST /users/me/deletion`: schedules the caller's deletion DELETION_GRACE from now, or
   * answers the one already scheduled (asking twice moves nothing), and emails him when it will
   * happen. A wrong password counts against the account's sign-in failures
   * (LOGIN_RATE_LIMIT_PER_ACCOUNT): a stolen token alone can't delete an account.
   *
   * @throws 400 WRONG_CURRENT_PASSWORD, 429 RATE_LIMITED, 409 DELETION_BLOCKED (`details`: the
   *   DeletionBlocker list)
   */
  async request(user: AuthUser, password: string): Promise<{ scheduledFor: Date }> {
    await this.checkPassword(user.id, password);
    const blockers = await this.blockers.of(user);
    if (blockers.length > 0) {
      throw PrivacyErrors.deletionBlocked(blockers);
    }
    const now = this.clock.now();
    const deletion = await this.userDeletion.schedule(
      user.id,
      now,
      new Date(now.getTime() + this.graceMs),
    );
    if (deletion.requestedAt.getTime() === now.getTime()) {
      this.logger.log(
        `Deletion of user ${user.id} scheduled for ${deletion.scheduledFor.toISOString()}`,
      );
      const owner = await this.usersService.getById(user.id);
      this.sendLater(
        deletionScheduledMail({
          to: owner.email,
          firstName: owner.firstName,
          scheduledFor: deletion.scheduledFor,
          timeZone: owner.timezone ?? this.defaultTimeZone,
        }),
      );
    }
    // announced again on a repeated ask (the same `requestedAt`): what listens keys on it
    await this.events.publish(
      new AccountDeletionRequestedEvent(user.id, deletion.requestedAt, deletion.scheduledFor),
    );
    return { scheduledFor: deletion.scheduledFor };
  }

  /**
   * `DELETE /users/me/deletion`: the scheduled deletion is called off.
   *
   * @throws 409 DELETION_NOT_SCHEDULED (none scheduled, or it is running now)
   */
  async cancel(user: AuthUser): Promise<void> {
    const now = this.clock.now();
    if (!(await this.userDeletion.cancel(user.id, now))) {
      throw PrivacyErrors.deletionNotScheduled();
    }
    this.logger.log(`Deletion of user ${user.id} cancelled`);
    await this.events.publish(new AccountDeletionCancelledEvent(user.id, now));
  }

  /**
   * Runs the deletions due at `now`, each claimed by one guarded write (UserDeletionService
   * .claimDue), so that instances sweeping at once never run the same one, and one a crash cut
   * short is taken over when its claim's lease ends (every step is idempotent). Answers how
   * many accounts it anonymised. Run by the cron every minute.
   */
  async runDue(now: Date = this.clock.now()): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < SWEEP_BATCH; i += 1) {
      const claim = randomUUID();
      const user = await this.userDeletion.claimDue(
        now,
        new Date(now.getTime() + CLAIM_LEASE_MS),
        claim,
      );
      if (!user) {
        break;
      }
      try {
        deleted += (await this.runClaimed(user, claim)) ? 1 : 0;
      } catch (error) {
        this.logger.error(
          `Deletion of user ${user.id} failed, tried again when its claim ends: ${String(error)}`,
          (error as Error)?.stack,
        );
      }
    }
    return deleted;
  }

  /**
   * One claimed deletion: the obstacles are read again (an account anonymised by a run a crash
   * cut short is past them); then the user document is anonymised first (from that write on he
   * can't sign in, be hired, invited or written to), and the rest follows. False when it waits
   * (an obstacle, postponed a day) or the claim was lost (cancelled, or taken over).
   */
  private async runClaimed(user: UserEntity, claim: string): Promise<boolean> {
    const at = this.clock.now();
    if (!user.deletedAt) {
      const blockers = await this.blockers.of(user);
      if (blockers.length > 0) {
        await this.userDeletion.postpone(user.id, claim, new Date(at.getTime() + POSTPONE_MS));
        this.logger.log(
          `Deletion of user ${user.id} postponed by a day: ${[...new Set(blockers.map((b) => b.reason))].join(', ')}`,
        );
        return false;
      }
    }
    // written to the address he had, once (a run resumed after a crash has no address left)
    const farewell = user.deletedAt
      ? null
      : accountDeletedMail({ to: user.email, firstName: user.firstName });
    if (!(await this.userDeletion.anonymise(user, claim, at))) {
      this.logger.log(`Deletion of user ${user.id} stopped: cancelled, or taken over`);
      return false;
    }
    await this.forgetEverywhere(user);
    await this.userDeletion.finish(user.id, claim);
    this.logger.log(`User ${user.id} deleted: anonymised`);
    // also after a run a crash cut short: what listens keys on the account
    await this.events.publish(new AccountDeletedEvent(user.id, user.deletedAt ?? at));
    if (farewell) {
      this.sendLater(farewell);
    }
    return true;
  }

  /** What the other modules hold of him, removed or cut loose from him. Idempotent. */
  private async forgetEverywhere(user: UserEntity): Promise<void> {
    if (user.role === Role.Craftsman) {
      await this.quotesService.withdrawAllForDeletion(user.id);
      await this.invitationsService.forgetCraftsman(user.id);
    } else {
      await this.jobsService.forgetPlacesOfClient(user.id);
    }
    await this.reviewsService.forgetTextsOf(user.id);
    await this.notificationsService.forgetUser(user.id);
    await this.authService.forgetUser(user.id);
    await this.uploadsService.deleteAllOwnedBy(user.id);
    // a hire whose standing check ran just before the anonymisation: an admin must look at it
    const late = await this.jobsService.activeOfParty(user.id, 5);
    if (late.length > 0) {
      this.logger.error(
        `User ${user.id} was deleted while party to jobs under way: ${late.map((job) => job.id).join(', ')}`,
      );
    }
  }

  private async checkPassword(userId: string, password: string): Promise<void> {
    const limit = this.wrongPasswordLimit;
    const key = accountKey(userId);
    await this.rateLimits.consume(
      'login-account',
      limit,
      key,
      'Too many wrong passwords for this account, try again later',
    );
    if (!(await this.userDeletion.verifyPassword(userId, password))) {
      throw UsersErrors.wrongCurrentPassword();
    }
    await this.rateLimits.refund('login-account', limit, key);
  }

  /** After the answer: a slow or failing mail server neither delays nor fails the deletion. */
  private sendLater(mail: MailMessage): void {
    setImmediate(() => {
      this.mailService
        .send(mail)
        .catch((error: unknown) =>
          this.logger.error(`Could not send "${mail.subject}": ${String(error)}`),
        );
    });
  }
}
