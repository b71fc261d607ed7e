import type { ServiceCategoryEntity } from '../schemas/service-category.schema.js';

export class ServiceResponseDto {
  id!: string;
  name!: string;
  icon!: string;
  description!: string;

  static from(service: ServiceCategoryEntity): ServiceResponseDto {
    return {
      id: service.id,
      name: service.name,
      icon: service.icon,
      description: service.description,
    };
  }
}
