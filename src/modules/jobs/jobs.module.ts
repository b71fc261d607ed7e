import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '../catalog/catalog.module.js';
import { FilesModule } from '../files/files.module.js';
import { UsersModule } from '../users/users.module.js';
import { JobCompletionService } from './job-completion.service.js';
import { JobDisputesService } from './job-disputes.service.js';
import { JobsController } from './jobs.controller.js';
import { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';
import { Job, JobSchema } from './schemas/job.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Job.name, schema: JobSchema }]),
    CatalogModule,
    UsersModule,
    FilesModule,
  ],
  controllers: [JobsController],
  providers: [JobsService, JobsRepository, JobCompletionService, JobDisputesService],
  exports: [JobsService, JobCompletionService, JobDisputesService],
})
export class JobsModule {}
