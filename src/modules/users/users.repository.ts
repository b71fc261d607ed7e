import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, type QueryFilter, Types } from 'mongoose';
import { Role, STAFF_ROLES } from '../../common/auth/role.js';
import { BaseRepository, type SortSpec } from '../../common/database/base.repository.js';
import { prefixRegex } from '../../common/database/prefix-regex.js';
import { RequestReads } from '../../common/database/request-reads.js';
import type { BoundingBox } from '../../common/geo/distance.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import {
  type CraftsmanStatsEntity,
  type GeoPointEntity,
  User,
  type UserEntity,
  VerificationStatus,
  type VerificationDocType,
} from './schemas/user.schema.js';

/** Events a craftsman's stats remember having counted: replays come within minutes. */
const RECENT_EVENT_KEYS = 200;

/**
 * How many counted reviews' ids a user keeps as markers (User.countedReviews): a review is
 * counted twice only if this many other reviews of the same person were counted between its
 * publication and the moment its count was recorded on the review (a crash, then the next sweep).
 */
export const RATING_MARKERS = 200;

export interface NewUser {
  email: string;
  phone?: string;
  passwordHash: string;
  role: Role;
  firstName: string;
  lastName: string;
  emailVerified: boolean;
}

export type UserSummary = Pick<
  UserEntity,
  'id' | 'role' | 'firstName' | 'lastName' | 'profilePicture' | 'rating' | 'ratingCount'
>;

/** What the auth check reads on every request: one small indexed lookup. */
export interface UserAuthState {
  id: string;
  role: Role;
  bannedAt: Date | null;
  tokensValidAfter: Date | null;
}

export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  phone?: string;
  profilePicture?: string;
  /** The upload behind `profilePicture`; null: a URL typed by hand. */
  profilePictureUpload?: string | null;
  location?: GeoPointEntity;
  address?: string;
  timezone?: string;
  craftsman?: {
    skills?: string[];
    bio?: string;
    serviceRadiusKm?: number;
    available?: boolean;
    portfolioImageUrls?: string[];
    portfolioUploads?: string[];
  };
}

export interface CraftsmanSearch {
  skill?: string;
  /** Lower-cased words: the first a prefix of the first or last name, the second of the last. */
  nameWords?: string[];
  /** A bounding box; the service filters the exact radius. */
  box?: BoundingBox;
  available?: boolean;
  verifiedOnly?: boolean;
}

export interface AdminUserSearch {
  role?: Role;
  /** Lower-cased prefix of the email, first or last name. */
  prefix?: string;
  /** An E.164 phone, matched exactly (with the prefix: either matches). */
  phone?: string;
  banned?: boolean;
}

/** What a deleted (anonymised) account is called from then on. */
export const ANONYMOUS_NAME = { firstName: 'Deleted', lastName: 'user' } as const;

export function phoneKeyOf(id: Types.ObjectId, phone?: string): string {
  return phone ?? `none:${id.toHexString()}`;
}

@Injectable()
export class UsersRepository extends BaseRepository<User, UserEntity> {
  constructor(@InjectModel(User.name) model: Model<User>) {
    super(model);
  }

  /** Throws E11000 on a taken email (`email`) or phone (`phoneKey`). */
  async create(input: NewUser): Promise<UserEntity> {
    const _id = new Types.ObjectId();
    const created = await this.model.create({
      _id,
      ...input,
      phoneKey: phoneKeyOf(_id, input.phone),
      firstNameKey: input.firstName.toLowerCase(),
      lastNameKey: input.lastName.toLowerCase(),
      craftsmanInfo: input.role === Role.Craftsman ? {} : undefined,
    });
    const { passwordHash: _hash, ...user } = created.toObject();
    return this.toEntity(user);
  }

  async findAuthState(id: string): Promise<UserAuthState | null> {
    const found = await this.model
      .findById(id, { role: 1, bannedAt: 1, tokensValidAfter: 1 })
      .lean()
      .exec();
    return found ? this.toEntity(found) : null;
  }

  async findWithPasswordHash(
    by: { email: string } | { phone: string },
  ): Promise<{ user: UserEntity; passwordHash: string } | null> {
    const filter = 'email' in by ? { email: by.email } : { phoneKey: by.phone };
    const found = await this.model.findOne(filter).select('+passwordHash').lean().exec();
    if (!found) {
      return null;
    }
    const { passwordHash, ...user } = found;
    return { user: this.toEntity(user), passwordHash };
  }

  async findPasswordHash(id: string): Promise<string | null> {
    const found = await this.model.findById(id).select('+passwordHash').lean().exec();
    return found?.passwordHash ?? null;
  }

  async findByEmail(email: string): Promise<UserEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ email }).lean().exec());
  }

  async findByPhone(phone: string): Promise<UserEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ phoneKey: phone }).lean().exec());
  }

  /**
   * Accounts whose phone is not yet written `+<digits>` (stored before phones were E.164), in id
   * order from `afterId`: what the start-up migration converts.
   */
  async findLegacyPhones(
    afterId: string | null,
    limit: number,
  ): Promise<Array<{ id: string; phone: string }>> {
    const filter: QueryFilter<User> = { phone: { $exists: true, $not: /^\+\d+$/ } };
    if (afterId) {
      filter._id = { $gt: new Types.ObjectId(afterId) };
    }
    const found = await this.model
      .find(filter, { phone: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean()
      .exec();
    return found.map((user) => ({ id: user._id.toHexString(), phone: user.phone! }));
  }

  /**
   * Rewrites a phone (and its unique key) only if it still reads `from`: false when another
   * instance converted it first. Throws E11000 (`phoneKey`) when `to` belongs to another account.
   */
  async replacePhone(id: string, from: string, to: string): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id, phone: from }, { $set: { phone: to, phoneKey: to } })
      .exec();
    return result.modifiedCount === 1;
  }

  async findIdByPhone(phone: string): Promise<string | null> {
    const found = await this.model.findOne({ phoneKey: phone }, { _id: 1 }).lean().exec();
    return found ? found._id.toHexString() : null;
  }

  /** Staff created before email verification existed count as verified (see User.emailVerified). */
  async markLegacyStaffVerified(): Promise<number> {
    const result = await this.model
      .updateMany(
        { role: { $in: STAFF_ROLES }, emailVerified: { $exists: false } },
        { $set: { emailVerified: true } },
      )
      .exec();
    return result.modifiedCount;
  }

  /**
   * Sets these notification channels (`notificationPreferences.<key>`, keys as stored), leaving
   * the other types as they are; the user as the write left it, `null` if there is none.
   */
  async setNotificationPreferences(
    id: string,
    set: Record<string, { inApp: boolean; push: boolean; email: boolean }>,
  ): Promise<UserEntity | null> {
    const paths = Object.fromEntries(
      Object.entries(set).map(([key, channels]) => [`notificationPreferences.${key}`, channels]),
    );
    return this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate({ _id: id }, { $set: paths }, { returnDocument: 'after' })
          .lean()
          .exec(),
      ),
    );
  }

  /**
   * Preferences kept elsewhere before (a collection of their own), given to a user who has none
   * on his document yet: a second run changes nothing.
   */
  async adoptNotificationPreferences(
    id: string,
    preferences: Record<string, { inApp: boolean; push: boolean; email: boolean }>,
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, notificationPreferences: { $exists: false } },
        { $set: { notificationPreferences: preferences } },
      )
      .exec();
  }

  /** Marks the address verified if it is still the account's address; `null` otherwise. */
  async markEmailVerified(id: string, email: string): Promise<UserEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, email },
        { $set: { emailVerified: true } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  async existsWithRole(role: Role): Promise<boolean> {
    return (await this.model.exists({ role }).exec()) !== null;
  }

  /** Throws E11000 (`phoneKey`) when the new phone is taken. */
  async updateProfile(id: string, changes: ProfileChanges): Promise<UserEntity | null> {
    const { craftsman, profilePictureUpload, ...own } = changes;
    const set: Record<string, unknown> = { ...own };
    const unset: Record<string, 1> = {};
    if (profilePictureUpload === null) {
      unset.profilePictureUpload = 1;
    } else if (profilePictureUpload !== undefined) {
      set.profilePictureUpload = profilePictureUpload;
    }
    if (own.firstName !== undefined) {
      set.firstNameKey = own.firstName.toLowerCase();
    }
    if (own.lastName !== undefined) {
      set.lastNameKey = own.lastName.toLowerCase();
    }
    if (own.phone !== undefined) {
      set.phoneKey = own.phone;
    }
    for (const [key, value] of Object.entries(craftsman ?? {})) {
      set[`craftsmanInfo.${key}`] = value;
    }
    const update = Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set };
    const updated = await this.model
      .findByIdAndUpdate(id, update, { returnDocument: 'after', runValidators: true })
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /**
   * Points the user's picture at a new upload; returns the user as he was before (to delete the
   * picture it replaced), null when there is no such user.
   */
  async setProfilePicture(
    id: string,
    picture: { url: string; uploadId: string },
  ): Promise<UserEntity | null> {
    const previous = await this.model
      .findByIdAndUpdate(
        id,
        { $set: { profilePicture: picture.url, profilePictureUpload: picture.uploadId } },
        { returnDocument: 'before' },
      )
      .lean()
      .exec();
    return this.toEntityOrNull(previous);
  }

  async setPasswordHash(
    id: string,
    passwordHash: string,
    tokensValidAfter: Date,
  ): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id }, { $set: { passwordHash, tokensValidAfter } })
      .exec();
    return result.matchedCount === 1;
  }

  /** A craftsman not yet verified submits documents; `null` when he is not one or is verified. */
  async submitVerification(
    id: string,
    docs: Array<{ docType: VerificationDocType; fileId: string }>,
    at: Date,
  ): Promise<UserEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        {
          _id: id,
          role: Role.Craftsman,
          'craftsmanInfo.verificationStatus': { $ne: VerificationStatus.Verified },
        },
        {
          $set: {
            'craftsmanInfo.verificationStatus': VerificationStatus.Pending,
            'craftsmanInfo.verificationDocs': docs,
            'craftsmanInfo.verificationSubmittedAt': at,
          },
          $unset: { 'craftsmanInfo.verificationRejectionReason': 1 },
        },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** pending → verified | rejected, once; `null` when the request is not pending (any more). */
  async decideVerification(
    id: string,
    decision: VerificationStatus.Verified | VerificationStatus.Rejected,
    at: Date,
    reason?: string,
  ): Promise<UserEntity | null> {
    const set: Record<string, unknown> = {
      'craftsmanInfo.verificationStatus': decision,
      'craftsmanInfo.verificationDecidedAt': at,
    };
    if (reason !== undefined) {
      set['craftsmanInfo.verificationRejectionReason'] = reason;
    }
    const updated = await this.model
      .findOneAndUpdate(
        {
          _id: id,
          role: Role.Craftsman,
          'craftsmanInfo.verificationStatus': VerificationStatus.Pending,
        },
        { $set: set },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /**
   * Which of these users are banned, or deleted (anonymised: nobody deals with them either),
   * read from the database now (never from what the request read before). The users read are
   * remembered for the rest of the request (RequestReads): the notifications and answers that
   * name them read them no more.
   */
  async findBannedIds(ids: string[]): Promise<string[]> {
    const found = await this.model
      .find({ _id: { $in: ids } })
      .lean()
      .exec();
    return found
      .map((user) => this.remembered(this.toEntity(user)))
      .filter((user) => user.bannedAt || user.deletedAt)
      .map((user) => user.id);
  }

  /** Only an unbanned user is banned; the ban also revokes every token issued so far. */
  async ban(id: string, reason: string, by: string, at: Date): Promise<UserEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, bannedAt: null },
        {
          $set: {
            bannedAt: at,
            banReason: reason,
            bannedBy: by,
            tokensValidAfter: at,
            banSettled: false,
          },
        },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** The ban of `bannedAt` had all its effects (a newer ban of the same user is not touched). */
  async markBanSettled(id: string, bannedAt: Date): Promise<void> {
    await this.model.updateOne({ _id: id, bannedAt }, { $set: { banSettled: true } }).exec();
  }

  /** Users banned before `before` whose ban's effects are not known to be complete. */
  async findUnsettledBans(before: Date, limit: number): Promise<UserEntity[]> {
    const found = await this.model
      .find({ bannedAt: { $ne: null, $lte: before }, banSettled: { $ne: true } })
      .limit(limit)
      .lean()
      .exec();
    return found.map((user) => this.toEntity(user));
  }

  async unban(id: string): Promise<UserEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, bannedAt: { $ne: null } },
        { $set: { bannedAt: null }, $unset: { banReason: 1, bannedBy: 1 } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  searchCraftsmen(search: CraftsmanSearch, page: PageRequest): Promise<Paginated<UserEntity>> {
    return this.findPage(this.craftsmanFilter(search), this.craftsmanSort(search), page);
  }

  /** Ids and positions of every craftsman matching inside the box: the service sorts by distance. */
  async findCraftsmanPositions(
    search: CraftsmanSearch,
  ): Promise<Array<{ id: string; location: GeoPointEntity }>> {
    const found = await this.model
      .find(this.craftsmanFilter(search), { location: 1 })
      .lean()
      .exec();
    return found.map((user) => ({ id: user._id.toHexString(), location: user.location! }));
  }

  /** Names and ratings only, for the summaries embedded in jobs, quotes and invitations. */
  async findSummaries(ids: string[]): Promise<UserSummary[]> {
    // a whole user read before in this request holds its summary
    const { known, missing } = this.readBefore<UserSummary>(ids, 'summary');
    const found =
      missing.length === 0
        ? []
        : await this.model
            .find(
              { _id: { $in: missing } },
              { firstName: 1, lastName: 1, profilePicture: 1, rating: 1, ratingCount: 1, role: 1 },
            )
            .lean()
            .exec();
    return [
      ...known.values(),
      ...this.rememberedAs(
        'summary',
        found.map((user) => this.toEntity(user) as UserSummary),
      ),
    ];
  }

  /**
   * Craftsmen who could take a job: the skill, not banned, (verified), inside the box, not
   * excluded; at most `limit`, in no order (the caller scores them). Partial users: the fields
   * scoring reads.
   */
  async findRecommendationCandidates(search: {
    skill: string;
    box?: BoundingBox;
    verifiedOnly: boolean;
    excludeIds: string[];
    limit: number;
  }): Promise<UserEntity[]> {
    const filter: QueryFilter<User> = {
      role: Role.Craftsman,
      'craftsmanInfo.skills': search.skill,
      bannedAt: null,
      deletedAt: null,
    };
    if (search.verifiedOnly) {
      filter['craftsmanInfo.verificationStatus'] = VerificationStatus.Verified;
    }
    if (search.excludeIds.length > 0) {
      filter._id = { $nin: search.excludeIds };
    }
    if (search.box) {
      filter['location.lat'] = { $gte: search.box.minLat, $lte: search.box.maxLat };
      filter['location.lng'] = { $gte: search.box.minLng, $lte: search.box.maxLng };
    }
    // only what scoring reads: the profiles of the few recommended are fetched afterwards
    const found = await this.model
      .find(filter, {
        role: 1,
        rating: 1,
        ratingCount: 1,
        location: 1,
        'craftsmanInfo.skills': 1,
        'craftsmanInfo.serviceRadiusKm': 1,
        'craftsmanInfo.available': 1,
        'craftsmanInfo.stats': 1,
      })
      .limit(search.limit)
      .batchSize(200)
      .lean()
      .exec();
    return found.map((user) => this.toEntity(user));
  }

  /** Counters and the recent response times of a craftsman's activity (see CraftsmanStats). */
  async updateCraftsmanStats(
    id: string,
    change: {
      inc?: Partial<
        Record<
          keyof Omit<
            CraftsmanStatsEntity,
            'recentResponseTimesMs' | 'lastBusyRejectionAt' | 'recentEventKeys'
          >,
          number
        >
      >;
      responseTimeMs?: number;
      busyAt?: Date;
      /** The event's key: a change already made under this key is not made again. */
      eventKey?: string;
    },
  ): Promise<void> {
    const filter: QueryFilter<User> = { _id: id, role: Role.Craftsman };
    const update: Record<string, unknown> = {};
    const push: Record<string, unknown> = {};
    if (change.inc) {
      update.$inc = Object.fromEntries(
        Object.entries(change.inc).map(([key, value]) => [`craftsmanInfo.stats.${key}`, value]),
      );
    }
    if (change.responseTimeMs !== undefined) {
      push['craftsmanInfo.stats.recentResponseTimesMs'] = {
        $each: [change.responseTimeMs],
        $slice: -20,
      };
    }
    if (change.eventKey !== undefined) {
      // one conditional write: the change and the key that marks it made, or neither
      filter['craftsmanInfo.stats.recentEventKeys'] = { $ne: change.eventKey };
      push['craftsmanInfo.stats.recentEventKeys'] = {
        $each: [change.eventKey],
        $slice: -RECENT_EVENT_KEYS,
      };
    }
    if (Object.keys(push).length > 0) {
      update.$push = push;
    }
    if (change.busyAt) {
      update.$set = { 'craftsmanInfo.stats.lastBusyRejectionAt': change.busyAt };
    }
    // neither remembered nor forgotten for the request (see RequestReads.outside): it runs in a
    // listener beside the others of the same event, which read this user too
    await RequestReads.outside(() => this.model.updateOne(filter, update).exec());
  }

  /**
   * Adds a published review's rating to its reviewee's aggregate, exactly once per review: the
   * `$inc` of `ratingSum`/`ratingCount` and the review's id pushed to `countedReviews` are one
   * conditional write that matches only while that id is not there, so a second call for the
   * same review (a retry after a crash, two sweeps) changes nothing. Then `rating` is set from
   * the totals that write produced, guarded by them: if another review was counted meanwhile its
   * own call sets `rating` from the newer totals, and this older value is not written over them.
   * `counted` is false when the review had been counted before; `rating` is set all the same
   * (from the totals read now), which mends a crash between the two writes.
   */
  async countPublishedReview(
    userId: string,
    reviewId: string,
    rating: number,
  ): Promise<{ counted: boolean }> {
    const after = await RequestReads.outside(() =>
      this.model
        .findOneAndUpdate(
          { _id: userId, countedReviews: { $ne: new Types.ObjectId(reviewId) } },
          {
            $inc: { ratingSum: rating, ratingCount: 1 },
            $push: {
              countedReviews: {
                $each: [new Types.ObjectId(reviewId)],
                $slice: -RATING_MARKERS,
              },
            },
          },
          { returnDocument: 'after', projection: { ratingSum: 1, ratingCount: 1 } },
        )
        .lean()
        .exec(),
    );
    const totals =
      after ??
      (await RequestReads.outside(() =>
        this.model.findById(userId, { ratingSum: 1, ratingCount: 1 }).lean().exec(),
      ));
    if (totals) {
      await this.setRatingFrom(userId, totals.ratingSum ?? 0, totals.ratingCount ?? 0);
    }
    return { counted: after !== null };
  }

  /** `rating` = round(sum / count, 1), while the totals are still these. */
  private async setRatingFrom(userId: string, sum: number, count: number): Promise<void> {
    const rating = count > 0 ? Math.round((sum / count) * 10) / 10 : 0;
    await RequestReads.outside(() =>
      this.model
        .updateOne(
          { _id: userId, ratingSum: sum, ratingCount: count, rating: { $ne: rating } },
          { $set: { rating } },
        )
        .exec(),
    );
  }

  listForAdmin(search: AdminUserSearch, page: PageRequest): Promise<Paginated<UserEntity>> {
    const filter: QueryFilter<User> = {};
    if (search.role) {
      filter.role = search.role;
    }
    if (search.banned !== undefined) {
      filter.bannedAt = search.banned ? { $ne: null } : null;
    }
    if (search.prefix) {
      const prefix = prefixRegex(search.prefix);
      filter.$or = [{ email: prefix }, { firstNameKey: prefix }, { lastNameKey: prefix }];
    }
    if (search.phone) {
      filter.$or = [...(filter.$or ?? []), { phoneKey: search.phone }];
    }
    return this.findPage(filter, { createdAt: -1, _id: -1 }, page);
  }

  /** A deleted craftsman's request is not listed: his documents went with his account. */
  listPendingVerifications(page: PageRequest): Promise<Paginated<UserEntity>> {
    return this.findPage(
      {
        role: Role.Craftsman,
        'craftsmanInfo.verificationStatus': VerificationStatus.Pending,
        deletedAt: null,
      },
      { 'craftsmanInfo.verificationSubmittedAt': 1, _id: 1 },
      page,
    );
  }

  private craftsmanFilter(search: CraftsmanSearch): QueryFilter<User> {
    // a deleted (anonymised) craftsman is nobody to find
    const filter: QueryFilter<User> = { role: Role.Craftsman, bannedAt: null, deletedAt: null };
    if (search.skill) {
      filter['craftsmanInfo.skills'] = search.skill;
    }
    if (search.available !== undefined) {
      filter['craftsmanInfo.available'] = search.available;
    }
    if (search.verifiedOnly) {
      filter['craftsmanInfo.verificationStatus'] = VerificationStatus.Verified;
    }
    const [first, second] = search.nameWords ?? [];
    if (first && second) {
      filter.firstNameKey = prefixRegex(first);
      filter.lastNameKey = prefixRegex(second);
    } else if (first) {
      const prefix = prefixRegex(first);
      filter.$or = [{ firstNameKey: prefix }, { lastNameKey: prefix }];
    }
    if (search.box) {
      filter['location.lat'] = { $gte: search.box.minLat, $lte: search.box.maxLat };
      filter['location.lng'] = { $gte: search.box.minLng, $lte: search.box.maxLng };
    }
    return filter;
  }

  private craftsmanSort(search: CraftsmanSearch): SortSpec {
    if (search.nameWords?.length) {
      return { firstNameKey: 1, lastNameKey: 1, _id: 1 };
    }
    return { rating: -1, ratingCount: -1, _id: 1 };
  }
}
