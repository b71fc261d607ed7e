import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { AllConfig } from '../../config/config.js';
import { JobAutoCompleteReminderEvent } from './events/job-auto-complete-reminder.event.js';
import { JobCompletionRequestedEvent } from './events/job-completion-requested.event.js';
import { JobStatus } from './job-status.js';
import { JobActor } from './job-state-machine.js';
import { JobsErrors } from './jobs.errors.js';
import { JobsRepository } from './jobs.repository.js';
import { moneyFlagsOf } from './job-money-flags.js';
import { JobsService } from './jobs.service.js';
import type { JobEntity } from './schemas/job.schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The reminders before a job completes by itself: [step, sent this long before], last first. */
const AUTO_COMPLETE_REMINDERS: ReadonlyArray<[number, number]> = [
  [2, DAY_MS],
  [1, 2 * DAY_MS],
];

/**
 * How a job in progress ends when its client stays silent (API.md "Jobs"): the hired craftsman
 * requests completion, the client is reminded 2 days and 1 day before `autoCompleteAt`, and the
 * minute's sweep completes it then (actor `system`), releasing its escrow like any completion.
 * Every step is a conditional write, safe with many instances.
 */
@Injectable()
export class JobCompletionService {
  /** AUTO_COMPLETE_AFTER, ms. */
  private readonly autoCompleteAfterMs: number;

  constructor(
    private readonly jobsRepository: JobsRepository,
    private readonly jobsService: JobsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.autoCompleteAfterMs = config.get('money', { infer: true }).autoCompleteAfterMs;
  }

  /**
   * The hired craftsman says the work is done (API.md `POST /jobs/:jobId/request-completion`):
   * unless the client completes or a party disputes first, the job completes by itself at
   * `autoCompleteAt` (now + AUTO_COMPLETE_AFTER). Asking again changes nothing.
   *
   * @throws 403 FORBIDDEN (not the hired craftsman), 409 JOB_NOT_IN_PROGRESS
   */
  async requestCompletion(jobId: string, viewer: AuthUser): Promise<JobEntity> {
    const job = await this.jobsService.getById(jobId);
    if (this.jobsService.actorFor(job, viewer) !== JobActor.HiredCraftsman) {
      throw JobsErrors.notYours();
    }
    if (job.status !== JobStatus.InProgress) {
      throw JobsErrors.notInProgress();
    }
    if (job.completionRequestedAt) {
      return job;
    }
    const at = this.clock.now();
    const requested = await this.jobsRepository.requestCompletion(
      jobId,
      viewer.id,
      at,
      new Date(at.getTime() + this.autoCompleteAfterMs),
    );
    if (!requested) {
      // moved meanwhile (completed, disputed), or asked by a concurrent request
      const current = await this.jobsService.getById(jobId);
      if (current.status !== JobStatus.InProgress) {
        throw JobsErrors.notInProgress();
      }
      return current;
    }
    await this.events.publish(
      new JobCompletionRequestedEvent(
        requested.id,
        requested.client,
        viewer.id,
        requested.autoCompleteAt!,
      ),
    );
    return requested;
  }

  /**
   * Completes the jobs in progress whose `autoCompleteAt` has come (actor `system`), at most
   * `limit` per call; safe with many instances (each move is conditional).
   *
   * @returns how many it completed
   */
  async autoCompleteDue(limit = 100): Promise<number> {
    let completed = 0;
    for (const job of await this.jobsRepository.findAutoCompleteDue(this.clock.now(), limit)) {
      const at = this.clock.now();
      const moved = await this.jobsRepository.transition(
        job.id,
        { from: JobStatus.InProgress, to: JobStatus.Completed, by: null, at },
        moneyFlagsOf(job, JobStatus.Completed),
        { payment: job.payment, autoCompleteAt: { $lte: at } },
      );
      if (moved) {
        completed += 1;
        await this.jobsService.publishMove(moved, JobStatus.InProgress, null, at);
      }
    }
    return completed;
  }

  /**
   * Reminds clients whose jobs complete by themselves soon (2 days and 1 day before): each
   * reminder is claimed by one instance, once. Step 2 (1 day before) is claimed first, so a
   * client whose window is already short gets one reminder, not two at once.
   *
   * @returns how many it sent
   */
  async sendAutoCompleteReminders(limit = 100): Promise<number> {
    let sent = 0;
    for (const [step, withinMs] of AUTO_COMPLETE_REMINDERS) {
      while (sent < limit) {
        const job = await this.jobsRepository.claimAutoCompleteReminder(
          this.clock.now(),
          step,
          withinMs,
        );
        if (!job?.autoCompleteAt) {
          break;
        }
        await this.events.publish(
          new JobAutoCompleteReminderEvent(job.id, job.client, job.autoCompleteAt, step),
        );
        sent += 1;
      }
    }
    return sent;
  }
}
