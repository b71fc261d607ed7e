import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import {
  ServiceCategory,
  type ServiceCategoryEntity,
  serviceNameKey,
} from './schemas/service-category.schema.js';

export interface ServiceCategoryInput {
  name: string;
  icon?: string;
  description?: string;
}

@Injectable()
export class CatalogRepository extends BaseRepository<ServiceCategory, ServiceCategoryEntity> {
  constructor(@InjectModel(ServiceCategory.name) model: Model<ServiceCategory>) {
    super(model);
  }

  async findAllByName(): Promise<ServiceCategoryEntity[]> {
    const documents = await this.model.find().sort({ nameKey: 1 }).lean().exec();
    return documents.map((document) => this.toEntity(document));
  }

  async findByNameKeys(nameKeys: string[]): Promise<ServiceCategoryEntity[]> {
    const documents = await this.model
      .find({ nameKey: { $in: nameKeys } })
      .lean()
      .exec();
    return documents.map((document) => this.toEntity(document));
  }

  async count(): Promise<number> {
    return this.model.estimatedDocumentCount().exec();
  }

  /** Throws E11000 when the name is taken. */
  async create(input: ServiceCategoryInput): Promise<ServiceCategoryEntity> {
    const created = await this.model.create({ ...input, nameKey: serviceNameKey(input.name) });
    return this.toEntity(created.toObject());
  }

  /** Inserts those whose names are free; the taken ones are skipped (several instances may seed at once). */
  async insertMissing(inputs: ServiceCategoryInput[]): Promise<void> {
    await this.model.bulkWrite(
      inputs.map((input) => ({
        updateOne: {
          filter: { nameKey: serviceNameKey(input.name) },
          update: { $setOnInsert: { ...input, nameKey: serviceNameKey(input.name) } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** Throws E11000 when the new name is taken by another service. */
  async update(
    id: string,
    changes: Partial<ServiceCategoryInput>,
  ): Promise<ServiceCategoryEntity | null> {
    const update = changes.name ? { ...changes, nameKey: serviceNameKey(changes.name) } : changes;
    const updated = await this.model
      .findByIdAndUpdate(id, { $set: update }, { returnDocument: 'after', runValidators: true })
      .lean()
      .exec();
    return this.toEntityOrNull(updated);
  }

  async delete(id: string): Promise<ServiceCategoryEntity | null> {
    return this.toEntityOrNull(await this.model.findByIdAndDelete(id).lean().exec());
  }
}
