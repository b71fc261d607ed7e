import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { ClockModule } from './common/clock/clock.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { DomainEventsModule } from './common/events/events.module.js';
import { MailModule } from './common/mail/mail.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { RedisModule } from './common/redis/redis.module.js';
import { AllConfig } from './config/config.js';
import { DatabaseModule } from './database/database.module.js';
import { ActivityLogModule } from './modules/activity-log/activity-log.module.js';
import { AdminModule } from './modules/admin/admin.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { CatalogModule } from './modules/catalog/catalog.module.js';
import { ContactModule } from './modules/contact/contact.module.js';
import { type AppOptions, AppOptionsModule } from './app-options.js';
import { ConversationsModule } from './modules/conversations/conversations.module.js';
import { CronModule } from './modules/cron/cron.module.js';
import { DisputesModule } from './modules/disputes/disputes.module.js';
import { FilesModule } from './modules/files/files.module.js';
import { FaqModule } from './modules/faq/faq.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { InvitationsModule } from './modules/invitations/invitations.module.js';
import { JobsModule } from './modules/jobs/jobs.module.js';
import { PaymentsModule } from './modules/money/payments/payments.module.js';
import { WalletModule } from './modules/money/wallet/wallet.module.js';
import { QuotesModule } from './modules/quotes/quotes.module.js';
import { RecommendationsModule } from './modules/recommendations/recommendations.module.js';
import { ReviewsModule } from './modules/reviews/reviews.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { PrivacyModule } from './modules/privacy/privacy.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { UsersModule } from './modules/users/users.module.js';

@Module({})
export class AppModule {
  /** The configuration arrives validated (see `loadConfig`); nothing reads process.env after. */
  static forRoot(config: AllConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => config],
        }),
        EventEmitterModule.forRoot({ wildcard: false }),
        ScheduleModule.forRoot(),
        AppOptionsModule.register(options),
        ClockModule.register(options.clock),
        DomainEventsModule,
        RedisModule,
        RateLimitModule,
        MailModule,
        CryptoModule,
        DatabaseModule,
        HealthModule,
        CatalogModule,
        UsersModule,
        AuthModule,
        JobsModule,
        QuotesModule,
        ConversationsModule,
        InvitationsModule,
        RecommendationsModule,
        AdminModule,
        NotificationsModule,
        WalletModule,
        PaymentsModule,
        ReviewsModule,
        DisputesModule,
        ContactModule,
        FilesModule,
        PrivacyModule,
        FaqModule,
        ReportsModule,
        ActivityLogModule,
        CronModule,
      ],
    };
  }
}
