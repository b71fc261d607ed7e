import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogController } from './catalog.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { ServiceCategory, ServiceCategorySchema } from './schemas/service-category.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: ServiceCategory.name, schema: ServiceCategorySchema }]),
  ],
  controllers: [CatalogController],
  providers: [CatalogService, CatalogRepository],
  exports: [CatalogService],
})
export class CatalogModule {}
