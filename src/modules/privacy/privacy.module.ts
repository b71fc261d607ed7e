import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { DisputesModule } from '../disputes/disputes.module.js';
import { FilesModule } from '../files/files.module.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PaymentsModule } from '../money/payments/payments.module.js';
import { WalletModule } from '../money/wallet/wallet.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { QuotesModule } from '../quotes/quotes.module.js';
import { ReviewsModule } from '../reviews/reviews.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountDeletionService } from './account-deletion.service.js';
import { DataExportService } from './data-export.service.js';
import { DeletionBlockersService } from './deletion-blockers.service.js';
import { PrivacyController } from './privacy.controller.js';

/**
 * A person's rights over his data (API.md "Privacy and contact", DESIGN.md "Files and private
 * data"): the export, and deletion by anonymisation. It owns no collection: each module keeps
 * and forgets its own through its service. (AuthModule is global.)
 */
@Module({
  imports: [
    UsersModule,
    JobsModule,
    QuotesModule,
    InvitationsModule,
    ConversationsModule,
    ReviewsModule,
    DisputesModule,
    WalletModule,
    PaymentsModule,
    NotificationsModule,
    FilesModule,
  ],
  controllers: [PrivacyController],
  providers: [DataExportService, AccountDeletionService, DeletionBlockersService],
  exports: [AccountDeletionService],
})
export class PrivacyModule {}
