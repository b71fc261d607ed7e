import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { FaqAdminController } from './faq-admin.controller.js';
import { FaqController } from './faq.controller.js';
import { FaqIndexStampRepository } from './faq-index-stamp.repository.js';
import { FaqRepository } from './faq.repository.js';
import { FaqSearch } from './faq-search.js';
import { FaqSeeder } from './faq-seeder.js';
import { FaqService } from './faq.service.js';
import { FaqEntry, FaqEntrySchema } from './schemas/faq-entry.schema.js';
import { FaqIndexStamp, FaqIndexStampSchema } from './schemas/faq-index-stamp.schema.js';

/** The FAQ assistant (API.md "Operations"): `GET /faq/ask`, `GET /faq`, `/admin/faq`. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: FaqEntry.name, schema: FaqEntrySchema },
      { name: FaqIndexStamp.name, schema: FaqIndexStampSchema },
    ]),
  ],
  controllers: [FaqController, FaqAdminController],
  providers: [FaqService, FaqRepository, FaqIndexStampRepository, FaqSearch, FaqSeeder],
  exports: [FaqService],
})
export class FaqModule {}
