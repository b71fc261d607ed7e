import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { JobsModule } from '../jobs/jobs.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UsersModule } from '../users/users.module.js';
import { ReviewJobsListener } from './review-jobs.listener.js';
import { ReviewNotificationsListener } from './review-notifications.listener.js';
import { ReviewPublicationService } from './review-publication.service.js';
import { ReviewRemindersRepository } from './review-reminders.repository.js';
import { ReviewsController } from './reviews.controller.js';
import { ReviewsRepository } from './reviews.repository.js';
import { ReviewsService } from './reviews.service.js';
import { ReviewReminder, ReviewReminderSchema } from './schemas/review-reminder.schema.js';
import { Review, ReviewSchema } from './schemas/review.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Review.name, schema: ReviewSchema },
      { name: ReviewReminder.name, schema: ReviewReminderSchema },
    ]),
    JobsModule,
    UsersModule,
    NotificationsModule,
  ],
  controllers: [ReviewsController],
  providers: [
    ReviewsService,
    ReviewPublicationService,
    ReviewsRepository,
    ReviewRemindersRepository,
    ReviewNotificationsListener,
    ReviewJobsListener,
  ],
  exports: [ReviewPublicationService, ReviewsService],
})
export class ReviewsModule {}
