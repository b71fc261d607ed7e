import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JobStatusChangedEvent } from '../jobs/events/job-status-changed.event.js';
import { JobStatus } from '../jobs/job-status.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ReviewPublicationService } from './review-publication.service.js';
import { ReviewsService } from './reviews.service.js';

/**
 * What a job's moves mean for its reviews: a completion schedules the reminder; leaving
 * `disputed` lets the reviews the dispute held back go out now (the minute sweep does it too, a
 * minute later at most, if this is missed).
 */
@Injectable()
export class ReviewJobsListener {
  private readonly logger = new Logger(ReviewJobsListener.name);

  constructor(
    private readonly publication: ReviewPublicationService,
    private readonly reviewsService: ReviewsService,
    private readonly jobsService: JobsService,
  ) {}

  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobStatusChanged(event: JobStatusChangedEvent): Promise<void> {
    try {
      if (event.from === JobStatus.Disputed) {
        await this.publication.publishJob(event.jobId);
      }
      if (event.to === JobStatus.Completed) {
        const job = await this.jobsService.getById(event.jobId);
        if (job.completedAt) {
          await this.publication.scheduleReminder(
            job,
            this.reviewsService.revealAtOf(job.completedAt),
          );
        }
      }
    } catch (error) {
      this.logger.error(
        `Reviews of job ${event.jobId} after its move to ${event.to} failed: ${String(error)}`,
        (error as Error)?.stack,
      );
    }
  }
}
