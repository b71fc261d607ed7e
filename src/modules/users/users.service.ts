import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Role, STAFF_ROLES } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { duplicateKeyField } from '../../common/database/duplicate-key.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { EventActor } from '../../common/events/event-actor.js';
import type { LatLng } from '../../common/geo/distance.js';
import { canonicalTimeZone } from '../../common/time/dates-for-people.js';
import { findNearby } from '../../common/geo/page-by-distance.js';
import { normalizeEmail } from '../../common/identity/email.js';
import { invalidPhoneMessage, type PhoneRegion, toE164 } from '../../common/identity/phone.js';
import { stripInvisible } from '../../common/identity/text.js';
import { mapPage, type PageRequest, type Paginated } from '../../common/pagination/paginated.js';
import type { AllConfig } from '../../config/config.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { BrowseUsersQueryDto } from './dto/browse-users-query.dto.js';
import type { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserBannedEvent } from './events/user-banned.event.js';
import { StaffCreatedEvent } from './events/staff-created.event.js';
import { UserRegisteredEvent } from './events/user-registered.event.js';
import { UserTokensRevokedEvent } from './events/user-tokens-revoked.event.js';
import { UserUnbannedEvent } from './events/user-unbanned.event.js';
import {
  VerificationApprovedEvent,
  VerificationRejectedEvent,
} from './events/verification-decided.event.js';
import { VerificationSubmittedEvent } from './events/verification-submitted.event.js';
import { PasswordService } from './password.service.js';
import { ProfileFilesService } from './profile-files.service.js';
import {
  type UserEntity,
  type VerificationDocType,
  VerificationStatus,
} from './schemas/user.schema.js';
import { UsersErrors } from './users.errors.js';
import {
  type AdminUserSearch,
  type CraftsmanSearch,
  type ProfileChanges,
  type UserAuthState,
  type UserSummary,
  UsersRepository,
} from './users.repository.js';

export const DEFAULT_SEARCH_RADIUS_KM = 25;

export interface NewAccount {
  email: string;
  password: string;
  role: Role;
  firstName: string;
  lastName: string;
  phone?: string;
}

export interface CraftsmanListItem {
  user: UserEntity;
  distanceKm?: number;
}

export { normalizeEmail };

/** What a sign-in's `loginIdentifier` names: an email, a phone (E.164), or nothing valid. */
export type LoginKey = { email: string } | { phone: string } | null;

/** A ban's effects are settled by the sweep when the ban is older than this and still unsettled. */
const BAN_SETTLE_GRACE_MS = 60_000;
const BAN_SETTLE_BATCH = 50;

@Injectable()
export class UsersService {
  private readonly phoneRegion: PhoneRegion;
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly usersRepository: UsersRepository,
    private readonly passwordService: PasswordService,
    private readonly catalogService: CatalogService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly profileFiles: ProfileFilesService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.phoneRegion = config.get('auth', { infer: true }).phoneDefaultRegion;
  }

  /**
   * The E.164 form under which a phone is stored and matched (`010 0123 4567`, `0020 10...` and
   * `+20 10...` are one number in region EG). Throws VALIDATION_FAILED on `field` when it is no
   * valid number.
   */
  phoneOf(raw: string, field = 'phone'): string {
    const e164 = toE164(raw, this.phoneRegion);
    if (!e164) {
      throw UsersErrors.invalidPhone(field, invalidPhoneMessage(field, this.phoneRegion));
    }
    return e164;
  }

  /**
   * The account key a sign-in names: an identifier with `@` (after folding full-width forms) is
   * an email, anything else a phone; `null` when it is neither (no account can match).
   */
  loginKeyOf(identifier: string): LoginKey {
    const folded = normalizeEmail(identifier);
    if (folded.includes('@')) {
      return { email: folded };
    }
    const phone = toE164(folded, this.phoneRegion);
    return phone ? { phone } : null;
  }

  /**
   * Throws EMAIL_TAKEN / PHONE_TAKEN (unique indexes decide, so concurrent sign-ups are safe),
   * VALIDATION_FAILED for a phone that is no number. Staff accounts are created by an admin (or
   * from ADMIN_EMAIL) who vouches for the address: their email counts as verified.
   *
   * @param createdBy the admin creating a staff account (null: the seed admin, at boot)
   */
  async register(account: NewAccount, createdBy: EventActor | null = null): Promise<UserEntity> {
    const phone = account.phone ? this.phoneOf(account.phone) : undefined;
    const passwordHash = await this.passwordService.hash(account.password);
    let user: UserEntity;
    try {
      user = await this.usersRepository.create({
        email: normalizeEmail(account.email),
        phone,
        passwordHash,
        role: account.role,
        firstName: stripInvisible(account.firstName),
        lastName: stripInvisible(account.lastName),
        emailVerified: STAFF_ROLES.includes(account.role),
      });
    } catch (error) {
      throw this.mapTakenField(error);
    }
    await this.events.publish(new UserRegisteredEvent(user.id, user.role, user.email));
    if (STAFF_ROLES.includes(user.role)) {
      await this.events.publish(new StaffCreatedEvent(user.id, user.role, createdBy));
    }
    return user;
  }

  /** The account behind an email or phone and password; `null` when either is wrong. */
  async verifyCredentials(identifier: string, password: string): Promise<UserEntity | null> {
    const by = this.loginKeyOf(identifier);
    const found = by ? await this.usersRepository.findWithPasswordHash(by) : null;
    if (!found) {
      return this.passwordService.verifyAgainstNothing(password).then(() => null);
    }
    return (await this.passwordService.verify(found.passwordHash, password)) ? found.user : null;
  }

  /**
   * The account behind a verification token, now verified: `null` when it is gone or its address
   * is no longer the one the token was sent to.
   */
  markEmailVerified(id: string, email: string): Promise<UserEntity | null> {
    return this.usersRepository.markEmailVerified(id, email);
  }

  getAuthState(id: string): Promise<UserAuthState | null> {
    return this.usersRepository.findAuthState(id);
  }

  async getById(id: string): Promise<UserEntity> {
    const user = await this.usersRepository.findById(id);
    if (!user) {
      throw UsersErrors.notFound();
    }
    return user;
  }

  /**
   * Reads these users in one command for the rest of the request (RequestReads): later
   * `getById`s and summaries of them cost nothing. Ids that match nobody are left for those
   * calls to refuse.
   */
  async readAhead(ids: string[]): Promise<void> {
    await this.usersRepository.findByIdsInOrder(ids);
  }

  /** Sets these notification channels (keys as stored on the user); 404 without the user. */
  async setNotificationPreferences(
    id: string,
    set: Record<string, { inApp: boolean; push: boolean; email: boolean }>,
  ): Promise<UserEntity> {
    const user = await this.usersRepository.setNotificationPreferences(id, set);
    if (!user) {
      throw UsersErrors.notFound();
    }
    return user;
  }

  /** See UsersRepository.adoptNotificationPreferences (a migration's). */
  adoptNotificationPreferences(
    id: string,
    preferences: Record<string, { inApp: boolean; push: boolean; email: boolean }>,
  ): Promise<void> {
    return this.usersRepository.adoptNotificationPreferences(id, preferences);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.usersRepository.findByEmail(normalizeEmail(email));
  }

  /** Summaries by id, for embedding; unknown ids are simply absent. */
  async getSummaries(ids: Array<string | null | undefined>): Promise<Map<string, UserSummary>> {
    const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    if (wanted.length === 0) {
      return new Map();
    }
    const summaries = await this.usersRepository.findSummaries(wanted);
    return new Map(summaries.map((summary) => [summary.id, summary]));
  }

  /** Throws VALIDATION_FAILED (on `phone`) when it is no valid number. */
  findByPhone(phone: string): Promise<UserEntity | null> {
    return this.usersRepository.findByPhone(this.phoneOf(phone));
  }

  /** The account a normalized email or E.164 phone names, or null (see `loginKeyOf`). */
  findByLoginKey(key: NonNullable<LoginKey>): Promise<UserEntity | null> {
    return 'email' in key
      ? this.usersRepository.findByEmail(key.email)
      : this.usersRepository.findByPhone(key.phone);
  }

  /** Full users by id, in this order (unknown ids are skipped). */
  findByIdsInOrder(ids: string[]): Promise<UserEntity[]> {
    return this.usersRepository.findByIdsInOrder(ids);
  }

  findRecommendationCandidates(
    search: Parameters<UsersRepository['findRecommendationCandidates']>[0],
  ): Promise<UserEntity[]> {
    return this.usersRepository.findRecommendationCandidates(search);
  }

  /** For the recommendations module's activity listener. */
  updateCraftsmanStats(
    id: string,
    change: Parameters<UsersRepository['updateCraftsmanStats']>[1],
  ): Promise<void> {
    return this.usersRepository.updateCraftsmanStats(id, change);
  }

  /**
   * A published review's rating into its reviewee's `rating`/`ratingCount`, exactly once per
   * review (UsersRepository.countPublishedReview); `counted` false when it was counted before.
   */
  countPublishedReview(
    userId: string,
    reviewId: string,
    rating: number,
  ): Promise<{ counted: boolean }> {
    return this.usersRepository.countPublishedReview(userId, reviewId, rating);
  }

  hasUserWithRole(role: Role): Promise<boolean> {
    return this.usersRepository.existsWithRole(role);
  }

  /**
   * Edits the own profile. `profilePicture` and `craftsmanInfo.portfolioImageUrls` may name the
   * user's uploads by id (ProfileFilesService).
   */
  async updateProfile(userId: string, input: UpdateProfileDto): Promise<UserEntity> {
    const user = await this.getById(userId);
    const changes: ProfileChanges = {
      firstName: input.firstName === undefined ? undefined : stripInvisible(input.firstName),
      lastName: input.lastName === undefined ? undefined : stripInvisible(input.lastName),
      phone: input.phone === undefined ? undefined : this.phoneOf(input.phone),
      location: input.location ? { lat: input.location.lat, lng: input.location.lng } : undefined,
      address: input.address,
      timezone:
        input.timezone === undefined
          ? undefined
          : (canonicalTimeZone(input.timezone) ?? input.timezone),
    };
    const craftsman = input.craftsmanInfo
      ? await this.craftsmanChanges(user, input.craftsmanInfo)
      : undefined;
    // the files last: what they attach is taken back if the edit is not written
    const files = await this.profileFiles.profileChanges(user, input);
    Object.assign(changes, files.changes);
    if (craftsman) {
      changes.craftsman = { ...craftsman, ...files.portfolio };
    }
    let updated: UserEntity | null;
    try {
      updated = await this.usersRepository.updateProfile(userId, withoutUndefined(changes));
    } catch (error) {
      await this.profileFiles.notWritten(files);
      throw this.mapTakenField(error);
    }
    if (!updated) {
      await this.profileFiles.notWritten(files);
      throw UsersErrors.notFound();
    }
    await this.profileFiles.released(files);
    return updated;
  }

  /** Sets the new password and revokes every token issued before now. */
  async changePassword(
    userId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<UserEntity> {
    const hash = await this.usersRepository.findPasswordHash(userId);
    if (!hash) {
      throw UsersErrors.notFound();
    }
    if (!(await this.passwordService.verify(hash, currentPassword))) {
      throw UsersErrors.wrongCurrentPassword();
    }
    await this.setPassword(userId, newPassword);
    return this.getById(userId);
  }

  /** Sets the password and revokes every token issued before now. */
  async setPassword(userId: string, newPassword: string): Promise<void> {
    const passwordHash = await this.passwordService.hash(newPassword);
    if (!(await this.usersRepository.setPasswordHash(userId, passwordHash, this.clock.now()))) {
      throw UsersErrors.notFound();
    }
    await this.events.publish(new UserTokensRevokedEvent(userId));
  }

  async browseCraftsmen(query: BrowseUsersQueryDto): Promise<Paginated<CraftsmanListItem>> {
    const search: CraftsmanSearch = {
      skill: query.skill ? await this.canonicalSkill(query.skill) : undefined,
      nameWords: query.q
        ? normalizeEmail(query.q).split(/\s+/).filter(Boolean).slice(0, 2)
        : undefined,
      available: query.available,
      verifiedOnly: query.verified,
    };
    if (query.lat === undefined || query.lng === undefined) {
      const page = await this.usersRepository.searchCraftsmen(search, query);
      return { data: page.data.map((user) => ({ user })), pagination: page.pagination };
    }
    return this.browseNear(
      { lat: query.lat, lng: query.lng },
      query.radiusKm ?? DEFAULT_SEARCH_RADIUS_KM,
      search,
      query,
    );
  }

  /**
   * A craftsman's documents for verification: his own `verification_doc` uploads.
   *
   * @throws as `ProfileFilesService.submitVerification`
   */
  async submitVerification(
    userId: string,
    docs: Array<{ docType: VerificationDocType; fileId: string }>,
  ): Promise<UserEntity> {
    const user = await this.getById(userId);
    const updated = await this.profileFiles.submitVerification(user, docs, this.clock.now());
    await this.events.publish(new VerificationSubmittedEvent(userId));
    return updated;
  }

  listPendingVerifications(page: PageRequest): Promise<Paginated<UserEntity>> {
    return this.usersRepository.listPendingVerifications(page);
  }

  async approveVerification(craftsmanId: string, decidedBy: string): Promise<UserEntity> {
    const updated = await this.decide(craftsmanId, VerificationStatus.Verified);
    await this.events.publish(
      new VerificationApprovedEvent(craftsmanId, decidedBy, decidedAtOf(updated)),
    );
    return updated;
  }

  async rejectVerification(
    craftsmanId: string,
    decidedBy: string,
    reason: string,
  ): Promise<UserEntity> {
    const updated = await this.decide(craftsmanId, VerificationStatus.Rejected, reason);
    await this.events.publish(
      new VerificationRejectedEvent(craftsmanId, decidedBy, reason, decidedAtOf(updated)),
    );
    return updated;
  }

  /**
   * Moderators ban clients and craftsmen; admins also moderators. Nobody bans himself or an
   * admin. The ban revokes the user's tokens at once.
   */
  async ban(
    targetId: string,
    reason: string,
    actor: { id: string; role: Role },
  ): Promise<UserEntity> {
    const target = await this.getById(targetId);
    this.assertMayModerate(target, actor);
    const bannedAt = this.clock.now();
    const banned = await this.usersRepository.ban(targetId, reason, actor.id, bannedAt);
    if (!banned) {
      throw UsersErrors.alreadyBanned();
    }
    await this.settleBan(banned);
    return banned;
  }

  /**
   * Settles the bans whose effects may be incomplete (the process died after storing the ban,
   * or a module's listener failed): each is published again, which every listener takes
   * idempotently. Answers how many were settled. Run by the cron every minute.
   */
  async settleBans(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - BAN_SETTLE_GRACE_MS);
    let settled = 0;
    for (const user of await this.usersRepository.findUnsettledBans(before, BAN_SETTLE_BATCH)) {
      settled += (await this.settleBan(user)) ? 1 : 0;
    }
    return settled;
  }

  async unban(targetId: string, actor: { id: string; role: Role }): Promise<UserEntity> {
    const target = await this.getById(targetId);
    this.assertMayModerate(target, actor);
    const unbanned = await this.usersRepository.unban(targetId);
    if (!unbanned) {
      throw UsersErrors.notBanned();
    }
    await this.events.publish(new UserUnbannedEvent(targetId, actor.id, this.clock.now()));
    return unbanned;
  }

  listForAdmin(search: AdminUserSearch, page: PageRequest): Promise<Paginated<UserEntity>> {
    // the same folding as stored emails and names; a phone, however written, matches exactly
    const prefix = search.prefix ? normalizeEmail(search.prefix) : '';
    return this.usersRepository.listForAdmin(
      {
        ...search,
        prefix: prefix || undefined,
        phone: prefix ? (toE164(prefix, this.phoneRegion) ?? undefined) : undefined,
      },
      page,
    );
  }

  private async browseNear(
    center: LatLng,
    radiusKm: number,
    search: CraftsmanSearch,
    page: PageRequest,
  ): Promise<Paginated<CraftsmanListItem>> {
    // a craftsman's location is hidden from everyone: measured from his ~1 km cell, 0.5 km steps
    const near = await findNearby(
      center,
      radiusKm,
      page,
      {
        positionsIn: (box) => this.usersRepository.findCraftsmanPositions({ ...search, box }),
        findByIdsInOrder: (ids) => this.usersRepository.findByIdsInOrder(ids),
      },
      'coarse',
    );
    return mapPage(near, ({ found, distanceKm }) => ({ user: found, distanceKm }));
  }

  private async craftsmanChanges(
    user: UserEntity,
    info: NonNullable<UpdateProfileDto['craftsmanInfo']>,
  ): Promise<ProfileChanges['craftsman']> {
    if (user.role !== Role.Craftsman) {
      throw UsersErrors.invalidProfile([
        { field: 'craftsmanInfo', message: 'craftsmanInfo is only for craftsman accounts' },
      ]);
    }
    let skills: string[] | undefined;
    if (info.skills) {
      const { known, unknown } = await this.catalogService.resolveNames(info.skills);
      if (unknown.length > 0) {
        throw UsersErrors.invalidProfile([
          {
            field: 'craftsmanInfo.skills',
            message: `not in the services catalog: ${unknown.join(', ')}`,
          },
        ]);
      }
      skills = known;
    }
    return withoutUndefined({
      skills,
      bio: info.bio,
      serviceRadiusKm: info.serviceRadiusKm,
      available: info.available,
      portfolioImageUrls: info.portfolioImageUrls,
    });
  }

  private async canonicalSkill(skill: string): Promise<string> {
    const { known } = await this.catalogService.resolveNames([skill]);
    return known[0] ?? skill;
  }

  private async decide(
    craftsmanId: string,
    decision: VerificationStatus.Verified | VerificationStatus.Rejected,
    reason?: string,
  ): Promise<UserEntity> {
    const updated = await this.usersRepository.decideVerification(
      craftsmanId,
      decision,
      this.clock.now(),
      reason,
    );
    if (updated) {
      return updated;
    }
    const user = await this.getById(craftsmanId);
    throw user.role === Role.Craftsman
      ? UsersErrors.verificationNotPending()
      : UsersErrors.notACraftsman();
  }

  /**
   * Tells every module of the ban (quotes withdrawn, invitations cancelled, open jobs closed,
   * sockets closed) and marks it settled once all of them succeeded; false when one failed.
   */
  private async settleBan(user: UserEntity): Promise<boolean> {
    const { id, bannedAt } = user;
    if (!bannedAt) {
      return false;
    }
    try {
      await this.events.publishOrThrow(
        new UserBannedEvent(id, user.banReason ?? '', user.bannedBy ?? '', bannedAt),
      );
    } catch {
      return false; // logged by publishOrThrow; the sweep tries again
    }
    await this.usersRepository.markBanSettled(id, bannedAt);
    return true;
  }

  private assertMayModerate(target: UserEntity, actor: { id: string; role: Role }): void {
    if (target.id === actor.id) {
      throw UsersErrors.cannotBan('You cannot ban or unban yourself');
    }
    if (target.role === Role.Admin) {
      throw UsersErrors.cannotBan('Admins cannot be banned');
    }
    if (target.role === Role.Moderator && actor.role !== Role.Admin) {
      throw UsersErrors.cannotBan('Only admins may ban or unban moderators');
    }
  }

  private mapTakenField(error: unknown): unknown {
    switch (duplicateKeyField(error)) {
      case 'email':
        return UsersErrors.emailTaken();
      case 'phoneKey':
        return UsersErrors.phoneTaken();
      default:
        return error;
    }
  }
}

/** When the craftsman's verification request was decided (the decision's write stamps it). */
function decidedAtOf(user: UserEntity): Date {
  return user.craftsmanInfo?.verificationDecidedAt ?? user.updatedAt;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
