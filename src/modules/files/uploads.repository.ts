import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { Upload, type UploadEntity } from './schemas/upload.schema.js';

/** What `create` writes: the record of a file about to be stored (pending, no readers). */
export type NewUpload = Omit<
  UploadEntity,
  'id' | 'attachedAt' | 'releasedAt' | 'readers' | 'createdAt'
> & { id: Types.ObjectId };

@Injectable()
export class UploadsRepository extends BaseRepository<Upload, UploadEntity> {
  constructor(@InjectModel(Upload.name) model: Model<Upload>) {
    super(model);
  }

  async create(input: NewUpload): Promise<UploadEntity> {
    const { id, ...fields } = input;
    const created = await this.model.create({ _id: id, ...fields });
    return this.remembered(this.toEntity(created.toObject()));
  }

  /** These uploads, in one command (any order; missing ones left out). */
  async findByIds(ids: string[]): Promise<UploadEntity[]> {
    const found = await this.model
      .find({ _id: { $in: ids } })
      .lean()
      .exec();
    return found.map((upload) => this.toEntity(upload));
  }

  /**
   * Marks one pending upload of `owner` attached (adding `readers`), one guarded write: false
   * when it was attached or released meanwhile (a concurrent request won it).
   */
  async attachOne(input: {
    id: string;
    owner: string;
    at: Date;
    readers?: string[];
  }): Promise<boolean> {
    const update: Record<string, unknown> = { $set: { attachedAt: input.at } };
    if (input.readers && input.readers.length > 0) {
      update.$addToSet = { readers: { $each: input.readers.map((id) => new Types.ObjectId(id)) } };
    }
    const result = await this.model
      .updateOne({ _id: input.id, owner: input.owner, attachedAt: null, releasedAt: null }, update)
      .exec();
    return result.modifiedCount === 1;
  }

  /**
   * Takes back attachments made at `at` (the write they were for failed): the uploads are
   * pending again, without the `readers` added with them.
   */
  async detach(ids: string[], at: Date, readers: string[] = []): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    const update: Record<string, unknown> = { $set: { attachedAt: null } };
    if (readers.length > 0) {
      update.$pullAll = { readers: readers.map((id) => new Types.ObjectId(id)) };
    }
    await this.model.updateMany({ _id: { $in: ids }, attachedAt: at }, update).exec();
  }

  /** Marks these uploads released (nothing points at them any more); the sweep deletes them. */
  async release(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    await this.model
      .updateMany({ _id: { $in: ids }, releasedAt: null }, { $set: { releasedAt: at } })
      .exec();
  }

  /** Marks every upload of `owner` released (account deletion); returns how many. */
  async releaseAllOf(owner: string, at: Date): Promise<number> {
    const result = await this.model
      .updateMany({ owner, releasedAt: null }, { $set: { releasedAt: at } })
      .exec();
    return result.modifiedCount;
  }

  /** The owner's uploads, newest first, at most `limit` (the data export). */
  async findOwnedBy(owner: string, limit: number): Promise<UploadEntity[]> {
    const found = await this.model
      .find({ owner })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean()
      .exec();
    return found.map((upload) => this.toEntity(upload));
  }

  /**
   * Releases every upload still pending that was created before `before` (never attached: an
   * orphan), one guarded write: once released it can't be attached, so the sweep may delete it.
   */
  async releaseOrphans(before: Date, at: Date): Promise<number> {
    const result = await this.model
      .updateMany(
        { attachedAt: null, releasedAt: null, createdAt: { $lt: before } },
        { $set: { releasedAt: at } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** Up to `limit` released uploads, oldest release first: the sweep deletes their bytes. */
  async findReleased(limit: number): Promise<UploadEntity[]> {
    const found = await this.model
      .find({ releasedAt: { $ne: null } })
      .sort({ releasedAt: 1 })
      .limit(limit)
      .lean()
      .exec();
    return found.map((upload) => this.toEntity(upload));
  }

  /** Removes the record (its bytes are deleted, or could not be stored). */
  async remove(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
