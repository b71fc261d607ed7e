import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ContactController } from './contact.controller.js';
import { ContactService } from './contact.service.js';

/**
 * The website's contact form. Its mails go through the notifications' delivery queue (written
 * here, sent and retried by the DeliveryDispatcher), as an email without a notification.
 */
@Module({
  imports: [NotificationsModule],
  controllers: [ContactController],
  providers: [ContactService],
})
export class ContactModule {}
