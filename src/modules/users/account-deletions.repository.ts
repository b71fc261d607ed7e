import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Role } from '../../common/auth/role.js';
import { BaseRepository } from '../../common/database/base.repository.js';
import { type AccountDeletionEntity, User, type UserEntity } from './schemas/user.schema.js';
import { ANONYMOUS_NAME } from './users.repository.js';

/**
 * The writes of an account's deletion at its owner's request (API.md "Privacy and contact"),
 * on the users collection: scheduling and cancelling it, a sweep's guarded claim, and the
 * anonymisation itself. Everything else about users is `UsersRepository`'s.
 */
@Injectable()
export class AccountDeletionsRepository extends BaseRepository<User, UserEntity> {
  constructor(@InjectModel(User.name) model: Model<User>) {
    super(model);
  }

  /**
   * Schedules the account's deletion unless one is scheduled already (the earlier one stands):
   * the deletion as stored, or `null` when there is no such live account.
   */
  async scheduleDeletion(
    id: string,
    requestedAt: Date,
    scheduledFor: Date,
  ): Promise<AccountDeletionEntity | null> {
    const scheduled = await this.model
      .findOneAndUpdate(
        { _id: id, deletedAt: null, 'deletion.pending': { $ne: true } },
        { $set: { deletion: { pending: true, requestedAt, scheduledFor, claim: null } } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    const user =
      scheduled ?? (await this.model.findOne({ _id: id, deletedAt: null }).lean().exec());
    return user ? (this.remembered(this.toEntity(user)).deletion ?? null) : null;
  }

  /**
   * Takes back a deletion not yet run: false when none is scheduled, or a sweep holds its claim
   * (a claim whose lease ended before `now` is a dead sweep's, and does not stand in the way).
   */
  async cancelDeletion(id: string, now: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        {
          _id: id,
          deletedAt: null,
          'deletion.pending': true,
          $or: [{ 'deletion.claim': null }, { 'deletion.scheduledFor': { $lte: now } }],
        },
        { $unset: { deletion: 1 } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /**
   * Claims one account whose deletion is due (`scheduledFor` ≤ now) for `claim`, in one guarded
   * write that moves `scheduledFor` to `leaseUntil`: no other sweep finds it before then, and
   * one that finds it after (this one died) takes it over with its own claim.
   */
  async claimDueDeletion(now: Date, leaseUntil: Date, claim: string): Promise<UserEntity | null> {
    const claimed = await this.model
      .findOneAndUpdate(
        { 'deletion.pending': true, 'deletion.scheduledFor': { $lte: now } },
        { $set: { 'deletion.scheduledFor': leaseUntil, 'deletion.claim': claim } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.toEntityOrNull(claimed);
  }

  /** Gives a claimed deletion back, due again at `until`; false when the claim was lost. */
  async postponeDeletion(id: string, claim: string, until: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, 'deletion.claim': claim },
        { $set: { 'deletion.scheduledFor': until, 'deletion.claim': null } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /**
   * Strips the account of everything that names or reaches its owner, under `claim` (`null`
   * when the claim was lost: the owner cancelled, or another sweep took over). The id, role,
   * ratings, stats and moderation fields stay; the email and phone keys become ones nobody can
   * type, so the address and number are free to register again; every token is revoked and the
   * password can't match. Idempotent: a sweep finishing after a crash writes the same again.
   */
  async anonymise(
    user: Pick<UserEntity, 'id' | 'role'>,
    claim: string,
    change: { at: Date; unusablePasswordHash: string },
  ): Promise<UserEntity | null> {
    const set: Record<string, unknown> = {
      email: `deleted-${user.id}@deleted.invalid`,
      emailVerified: false,
      phoneKey: `none:${user.id}`,
      firstName: ANONYMOUS_NAME.firstName,
      lastName: ANONYMOUS_NAME.lastName,
      firstNameKey: ANONYMOUS_NAME.firstName.toLowerCase(),
      lastNameKey: ANONYMOUS_NAME.lastName.toLowerCase(),
      passwordHash: change.unusablePasswordHash,
      timezone: null,
      tokensValidAfter: change.at,
      deletedAt: change.at,
    };
    const unset: Record<string, 1> = {
      phone: 1,
      profilePicture: 1,
      profilePictureUpload: 1,
      location: 1,
      address: 1,
      notificationPreferences: 1,
    };
    if (user.role === Role.Craftsman) {
      Object.assign(set, {
        'craftsmanInfo.skills': [],
        'craftsmanInfo.bio': '',
        'craftsmanInfo.available': false,
        'craftsmanInfo.portfolioImageUrls': [],
        'craftsmanInfo.verificationDocs': [],
      });
      unset['craftsmanInfo.verificationRejectionReason'] = 1;
      unset['craftsmanInfo.portfolioUploads'] = 1;
    }
    const updated = await this.model
      .findOneAndUpdate(
        { _id: user.id, 'deletion.claim': claim },
        { $set: set, $unset: unset },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** The deletion under `claim` is done: the account keeps only `deletedAt`. */
  async finishDeletion(id: string, claim: string): Promise<void> {
    await this.model
      .updateOne({ _id: id, 'deletion.claim': claim }, { $unset: { deletion: 1 } })
      .exec();
  }
}
