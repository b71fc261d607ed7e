import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { duplicateKeyField } from '../../common/database/duplicate-key.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { EventActor } from '../../common/events/event-actor.js';
import { CatalogErrors } from './catalog.errors.js';
import { CatalogRepository } from './catalog.repository.js';
import { DEFAULT_SERVICES } from './default-services.js';
import type { CreateServiceDto } from './dto/create-service.dto.js';
import type { UpdateServiceDto } from './dto/update-service.dto.js';
import { type ServiceChange, ServiceChangedEvent } from './events/service-changed.event.js';
import { type ServiceCategoryEntity, serviceNameKey } from './schemas/service-category.schema.js';

@Injectable()
export class CatalogService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogService.name);

  constructor(
    private readonly catalogRepository: CatalogRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** First boot: an empty catalog gets the default services. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.catalogRepository.count()) > 0) {
      return;
    }
    await this.catalogRepository.insertMissing([...DEFAULT_SERVICES]);
    this.logger.log(`Seeded the services catalog with ${DEFAULT_SERVICES.length} services`);
  }

  list(): Promise<ServiceCategoryEntity[]> {
    return this.catalogRepository.findAllByName();
  }

  async create(input: CreateServiceDto, by: EventActor): Promise<ServiceCategoryEntity> {
    let created: ServiceCategoryEntity;
    try {
      created = await this.catalogRepository.create(input);
    } catch (error) {
      throw this.mapNameTaken(error, input.name);
    }
    await this.announce(created, 'created', by, created.createdAt);
    return created;
  }

  async update(
    id: string,
    changes: UpdateServiceDto,
    by: EventActor,
  ): Promise<ServiceCategoryEntity> {
    let updated: ServiceCategoryEntity | null;
    try {
      updated = await this.catalogRepository.update(id, changes);
    } catch (error) {
      throw this.mapNameTaken(error, changes.name ?? '');
    }
    if (!updated) {
      throw CatalogErrors.notFound();
    }
    await this.announce(updated, 'updated', by, updated.updatedAt);
    return updated;
  }

  async delete(id: string, by: EventActor): Promise<ServiceCategoryEntity> {
    const deleted = await this.catalogRepository.delete(id);
    if (!deleted) {
      throw CatalogErrors.notFound();
    }
    await this.announce(deleted, 'deleted', by, this.clock.now());
    return deleted;
  }

  private async announce(
    service: ServiceCategoryEntity,
    change: ServiceChange,
    by: EventActor,
    at: Date,
  ): Promise<void> {
    await this.events.publish(new ServiceChangedEvent(service.id, change, service.name, by, at));
  }

  /**
   * The catalog's spelling of each name (matched case-insensitively), and the names it does not
   * know. For craftsman skills and job categories.
   */
  async resolveNames(names: string[]): Promise<{ known: string[]; unknown: string[] }> {
    const keys = [...new Set(names.map(serviceNameKey))];
    const found = await this.catalogRepository.findByNameKeys(keys);
    const byKey = new Map(found.map((service) => [service.nameKey, service.name]));
    return {
      known: keys.filter((key) => byKey.has(key)).map((key) => byKey.get(key)!),
      unknown: names.filter((name) => !byKey.has(serviceNameKey(name))),
    };
  }

  private mapNameTaken(error: unknown, name: string): unknown {
    return duplicateKeyField(error) === 'nameKey' ? CatalogErrors.nameTaken(name) : error;
  }
}
