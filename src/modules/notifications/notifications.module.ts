import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_OPTIONS, type AppOptions } from '../../app-options.js';
import type { AllConfig } from '../../config/config.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { QuotesModule } from '../quotes/quotes.module.js';
import { UsersModule } from '../users/users.module.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryDispatcher } from './delivery.dispatcher.js';
import { DeviceTokensRepository } from './device-tokens.repository.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsGateway } from './notifications.gateway.js';
import { NotificationsListener } from './notifications.listener.js';
import { QuoteChangesListener } from './quote-changes.listener.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { PreferencesRepository } from './preferences.repository.js';
import { createFirebaseMessaging, FIREBASE_MESSAGING, PushSender } from './push/push.sender.js';
import { Delivery, DeliverySchema } from './schemas/delivery.schema.js';
import { DeviceToken, DeviceTokenSchema } from './schemas/device-token.schema.js';
import {
  NotificationPreferences,
  NotificationPreferencesSchema,
} from './schemas/notification-preferences.schema.js';
import { Notification, NotificationSchema } from './schemas/notification.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Notification.name, schema: NotificationSchema },
      { name: Delivery.name, schema: DeliverySchema },
      { name: DeviceToken.name, schema: DeviceTokenSchema },
      { name: NotificationPreferences.name, schema: NotificationPreferencesSchema },
    ]),
    UsersModule,
    JobsModule,
    QuotesModule,
    InvitationsModule,
  ],
  controllers: [NotificationsController],
  providers: [
    NotificationsGateway,
    NotificationsService,
    NotificationsListener,
    QuoteChangesListener,
    NotificationsRepository,
    DeliveriesRepository,
    DeviceTokensRepository,
    PreferencesRepository,
    DeliveryDispatcher,
    PushSender,
    {
      provide: FIREBASE_MESSAGING,
      inject: [ConfigService, APP_OPTIONS],
      useFactory: (config: ConfigService<AllConfig, true>, options: AppOptions) =>
        options.firebaseMessaging ??
        createFirebaseMessaging(
          config.get('notifications', { infer: true }).firebaseServiceAccount,
          new Logger('Push'),
        ),
    },
  ],
  exports: [NotificationsService, NotificationsGateway, DeliveryDispatcher, DeliveriesRepository],
})
export class NotificationsModule {}
