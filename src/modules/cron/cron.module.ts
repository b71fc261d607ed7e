import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DisputesModule } from '../disputes/disputes.module.js';
import { FilesModule } from '../files/files.module.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { LedgerModule } from '../money/ledger/ledger.module.js';
import { PaymentsModule } from '../money/payments/payments.module.js';
import { WalletModule } from '../money/wallet/wallet.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { ReviewsModule } from '../reviews/reviews.module.js';
import { UsersModule } from '../users/users.module.js';
import { CronService } from './cron.service.js';

@Module({
  imports: [
    AuthModule,
    InvitationsModule,
    UsersModule,
    LedgerModule,
    WalletModule,
    PaymentsModule,
    JobsModule,
    ReviewsModule,
    DisputesModule,
    FilesModule,
    PrivacyModule,
  ],
  providers: [CronService],
})
export class CronModule {}
