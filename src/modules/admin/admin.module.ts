import { Module } from '@nestjs/common';
import { DisputesModule } from '../disputes/disputes.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminController } from './admin.controller.js';

/** The back office's routes; the work is done by the owning modules' services. */
@Module({
  imports: [UsersModule, JobsModule, DisputesModule],
  controllers: [AdminController],
})
export class AdminModule {}
