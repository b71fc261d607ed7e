import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { FilesModule } from '../files/files.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PaymentsModule } from '../money/payments/payments.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UsersModule } from '../users/users.module.js';
import { DisputeReportsService } from './dispute-reports.service.js';
import { DisputeResolutionService } from './dispute-resolution.service.js';
import { DisputesAdminController } from './disputes-admin.controller.js';
import { DisputesController } from './disputes.controller.js';
import { DisputesListener } from './disputes.listener.js';
import { DisputesRepository } from './disputes.repository.js';
import { DisputesService } from './disputes.service.js';
import { Dispute, DisputeSchema } from './schemas/dispute.schema.js';

/** Disputes: opening, evidence, staff resolution with its settlement, SLA sweeps and report. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: Dispute.name, schema: DisputeSchema }]),
    JobsModule,
    PaymentsModule,
    ConversationsModule,
    NotificationsModule,
    UsersModule,
    FilesModule,
  ],
  controllers: [DisputesController, DisputesAdminController],
  providers: [
    DisputesService,
    DisputeResolutionService,
    DisputeReportsService,
    DisputesRepository,
    DisputesListener,
  ],
  exports: [DisputesService, DisputeResolutionService, DisputeReportsService],
})
export class DisputesModule {}
