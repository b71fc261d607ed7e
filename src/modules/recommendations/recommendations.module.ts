import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { FeesModule } from '../money/fees/fees.module.js';
import { QuotesModule } from '../quotes/quotes.module.js';
import { UsersModule } from '../users/users.module.js';
import { CraftsmanActivityListener } from './craftsman-activity.listener.js';
import { RecommendationsController } from './recommendations.controller.js';
import { RecommendationsService } from './recommendations.service.js';

@Module({
  imports: [UsersModule, JobsModule, QuotesModule, InvitationsModule, FeesModule],
  controllers: [RecommendationsController],
  providers: [RecommendationsService, CraftsmanActivityListener],
})
export class RecommendationsModule {}
