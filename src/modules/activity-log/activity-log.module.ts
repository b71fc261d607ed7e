import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DisputesModule } from '../disputes/disputes.module.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PaymentsModule } from '../money/payments/payments.module.js';
import { WalletModule } from '../money/wallet/wallet.module.js';
import { QuotesModule } from '../quotes/quotes.module.js';
import { ReviewsModule } from '../reviews/reviews.module.js';
import { UsersModule } from '../users/users.module.js';
import { ActivityLogController } from './activity-log.controller.js';
import { ActivityLogRepository } from './activity-log.repository.js';
import { ActivityLogService } from './activity-log.service.js';
import { ActivityListener } from './activity.listener.js';
import { ActivityEntry, ActivityEntrySchema } from './schemas/activity-entry.schema.js';
import { ActivityLogHead, ActivityLogHeadSchema } from './schemas/activity-log-head.schema.js';
import { UserHistoryController } from './user-history.controller.js';
import { UserHistoryService } from './user-history.service.js';

/**
 * The operators' record of what happened (API.md "Operations"): the activity log, fed by the
 * domain events, with its hash chain; and each user's history, read from the modules that own
 * his records. Registered after the modules whose events it records: its listener runs last.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ActivityEntry.name, schema: ActivityEntrySchema },
      { name: ActivityLogHead.name, schema: ActivityLogHeadSchema },
    ]),
    UsersModule,
    JobsModule,
    QuotesModule,
    InvitationsModule,
    ReviewsModule,
    DisputesModule,
    WalletModule,
    PaymentsModule,
  ],
  controllers: [ActivityLogController, UserHistoryController],
  providers: [ActivityLogService, ActivityLogRepository, ActivityListener, UserHistoryService],
  exports: [ActivityLogService],
})
export class ActivityLogModule {}
