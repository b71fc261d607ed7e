import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { InviteLink, type InviteLinkEntity } from './schemas/invite-link.schema.js';

@Injectable()
export class InviteLinksRepository extends BaseRepository<InviteLink, InviteLinkEntity> {
  constructor(@InjectModel(InviteLink.name) model: Model<InviteLink>) {
    super(model);
  }

  async create(
    input: Pick<InviteLinkEntity, 'job' | 'client' | 'tokenHash' | 'maxUses' | 'expiresAt'>,
  ): Promise<InviteLinkEntity> {
    const created = await this.model.create(input);
    return this.toEntity(created.toObject());
  }

  async findByTokenHash(tokenHash: string): Promise<InviteLinkEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ tokenHash }).lean().exec());
  }

  async revoke(id: string, at: Date): Promise<InviteLinkEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, revokedAt: null },
        { $set: { revokedAt: at } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.toEntityOrNull(updated);
  }

  /** Revokes every live link of the client (a ban); answers how many. */
  async revokeAllOfClient(clientId: string, at: Date): Promise<number> {
    const result = await this.model
      .updateMany({ client: clientId, revokedAt: null }, { $set: { revokedAt: at } })
      .exec();
    return result.modifiedCount;
  }

  /** One use, atomically: never more than `maxUses`, however many craftsmen click at once. */
  async takeUse(link: Pick<InviteLinkEntity, 'id' | 'maxUses'>, now: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: link.id, revokedAt: null, expiresAt: { $gt: now }, uses: { $lt: link.maxUses } },
        { $inc: { uses: 1 } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Gives a use back when the invitation it paid for could not be made. */
  async returnUse(id: string): Promise<void> {
    await this.model.updateOne({ _id: id, uses: { $gt: 0 } }, { $inc: { uses: -1 } }).exec();
  }
}
