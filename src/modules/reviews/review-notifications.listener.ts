import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import type { AllConfig } from '../../config/config.js';
import { JobsService } from '../jobs/jobs.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { ReviewReminderDueEvent } from './events/review-reminder-due.event.js';
import { ReviewSubmittedEvent } from './events/review-submitted.event.js';
import { ReviewsPublishedEvent } from './events/reviews-published.event.js';

/**
 * What people hear about reviews. No notification carries a score: `review.received` says only
 * that the other side reviewed (while it is hidden), `reviews.published` that both can be read
 * now. Publication and reminders are announced with a dedupe key, so that an announcement
 * repeated after a crash, or by two instances publishing the two reviews of one job, is sent
 * once.
 */
@Injectable()
export class ReviewNotificationsListener {
  private readonly logger = new Logger(ReviewNotificationsListener.name);
  private readonly enabled: boolean;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly usersService: UsersService,
    private readonly jobsService: JobsService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.enabled = config.get('notifications', { infer: true }).enabled;
  }

  @OnEvent(ReviewSubmittedEvent.eventName)
  async onSubmitted(event: ReviewSubmittedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const [job, reviewer] = await Promise.all([
        this.jobsService.getById(event.jobId),
        this.usersService.getById(event.reviewerId),
      ]);
      await this.notifications.notify({
        recipientId: event.revieweeId,
        type: 'review.received',
        context: { jobTitle: job.title, senderName: reviewer.firstName, expiresAt: event.revealAt },
        data: { jobId: event.jobId, deepLink: `/jobs/${event.jobId}/reviews` },
        dedupeKey: `review.received:${event.reviewId}`,
      });
    });
  }

  @OnEvent(ReviewsPublishedEvent.eventName)
  async onPublished(event: ReviewsPublishedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const job = await this.jobsService.getById(event.jobId);
      for (const recipientId of [event.clientId, event.craftsmanId]) {
        await this.notifications.notify({
          recipientId,
          type: 'reviews.published',
          context: { jobTitle: job.title },
          data: { jobId: event.jobId, deepLink: `/jobs/${event.jobId}/reviews` },
          dedupeKey: `reviews.published:${event.jobId}:${recipientId}`,
        });
      }
    });
  }

  @OnEvent(ReviewReminderDueEvent.eventName)
  async onReminderDue(event: ReviewReminderDueEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const job = await this.jobsService.getById(event.jobId);
      for (const recipientId of event.recipientIds) {
        await this.notifications.notify({
          recipientId,
          type: 'review.reminder',
          context: { jobTitle: job.title, expiresAt: event.revealAt },
          data: { jobId: event.jobId, deepLink: `/jobs/${event.jobId}/reviews` },
          dedupeKey: `review.reminder:${event.jobId}:${recipientId}`,
        });
      }
    });
  }

  private async safely(eventName: string, work: () => Promise<unknown>): Promise<void> {
    if (!this.enabled) {
      return;
    }
    try {
      await work();
    } catch (error) {
      this.logger.error(`Notifying ${eventName} failed: ${String(error)}`, (error as Error)?.stack);
    }
  }
}
