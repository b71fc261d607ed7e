import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { JobCancelledEvent } from './events/job-cancelled.event.js';
import { JobStatus } from './job-status.js';
import { JobActor, judgeTransition } from './job-state-machine.js';
import { JobsErrors } from './jobs.errors.js';
import { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';
import type { JobEntity } from './schemas/job.schema.js';

/**
 * A job's moves into and out of `disputed` made by the disputes module (API.md "Disputes and
 * cancellations"): a party's dispute moves it in (PATCH /jobs/:id/status does too, through
 * JobsService.changeStatus); only a resolution moves it out, as the marketplace's move made for
 * the admin who decided.
 */
@Injectable()
export class JobDisputesService {
  constructor(
    private readonly jobsRepository: JobsRepository,
    private readonly jobsService: JobsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * A party's dispute (POST /disputes, whose record is written before) moves the job from
   * `from` (hired, on the way, in progress or completed) to `disputed`, guarded on `from`:
   * null when the job moved meanwhile (the caller judges again from what it is now).
   *
   * @throws 403 FORBIDDEN (not a party), 409 INVALID_STATUS_TRANSITION (no such move from
   *   `from`), 409 DISPUTE_WINDOW_CLOSED
   */
  async openDispute(job: JobEntity, byUserId: string): Promise<JobEntity | null> {
    const actor =
      job.client === byUserId
        ? JobActor.Owner
        : job.craftsman === byUserId
          ? JobActor.HiredCraftsman
          : JobActor.Other;
    switch (judgeTransition(job.status, JobStatus.Disputed, actor)) {
      case 'illegal':
        throw JobsErrors.invalidTransition(job.status, JobStatus.Disputed);
      case 'forbidden':
        throw JobsErrors.notYours();
      case 'allowed':
        break;
    }
    this.jobsService.assertDisputeWindowOpen(job);
    const at = this.clock.now();
    const moved = await this.jobsRepository.transition(job.id, {
      from: job.status,
      to: JobStatus.Disputed,
      by: byUserId,
      at,
    });
    if (moved) {
      await this.jobsService.publishMove(moved, job.status, byUserId, at);
    }
    return moved;
  }

  /**
   * A dispute's resolution moves the job out of `disputed` (the marketplace's move, made for
   * the admin who decided): to `completed` or `cancelled`, with the flags the settlement asks
   * for. A job completed before its dispute keeps its `completedAt`, so its reviews' and
   * disputes' windows (REVIEW_WINDOW, DISPUTE_WINDOW) do not start again: nobody gets a fresh
   * window to review after reading the other side's review, or to dispute again. Idempotent: a
   * job already at `to` (a retried resolution) is answered as it is.
   *
   * @throws 409 INVALID_STATUS_TRANSITION when the job is neither disputed nor at `to`
   */
  async resolveDispute(
    job: JobEntity,
    to: JobStatus.Completed | JobStatus.Cancelled,
    staffId: string,
    extra: Record<string, unknown>,
  ): Promise<JobEntity> {
    const jobId = job.id;
    if (judgeTransition(JobStatus.Disputed, to, JobActor.System) !== 'allowed') {
      throw JobsErrors.invalidTransition(JobStatus.Disputed, to);
    }
    const at = this.clock.now();
    const moved = await this.jobsRepository.transition(
      jobId,
      { from: JobStatus.Disputed, to, by: staffId, at },
      { ...extra, ...(job.completedAt ? { completedAt: job.completedAt } : {}) },
    );
    if (!moved) {
      const current = await this.jobsService.getById(jobId);
      if (current.status === to) {
        return current;
      }
      throw JobsErrors.invalidTransition(current.status, to);
    }
    await this.jobsService.publishMove(moved, JobStatus.Disputed, staffId, at);
    if (to === JobStatus.Cancelled) {
      await this.events.publish(
        new JobCancelledEvent(moved.id, moved.client, moved.craftsman, staffId),
      );
    }
    return moved;
  }
}
