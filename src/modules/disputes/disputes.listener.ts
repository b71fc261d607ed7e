import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Role } from '../../common/auth/role.js';
import { JobStatusChangedEvent } from '../jobs/events/job-status-changed.event.js';
import { JobStatus } from '../jobs/job-status.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { DisputeOutcome } from '../money/payments/dispute-settlement.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { toDisputeResponse } from './dispute.mapper.js';
import type { DisputeEntity } from './schemas/dispute.schema.js';
import { DisputesService } from './disputes.service.js';
import { DisputeEvidenceAddedEvent } from './events/dispute-evidence-added.event.js';
import { DisputeOpenedEvent } from './events/dispute-opened.event.js';
import { DisputeReminderDueEvent } from './events/dispute-reminder-due.event.js';
import { DisputeResolvedEvent } from './events/dispute-resolved.event.js';
import { DisputeSlaAlertEvent } from './events/dispute-sla-alert.event.js';

const OUTCOME_WORDS: Record<DisputeOutcome, string> = {
  release_to_craftsman: 'the payment goes to the craftsman',
  refund_client: 'the client is refunded and the job cancelled',
  split: 'the payment is split between client and craftsman',
  no_payment: 'no payment moves',
};
/** Most admins one SLA alert goes to (the first page of admins). */
const MAX_ALERTED_ADMINS = 100;

/**
 * Records the dispute of a job disputed through its status (PATCH), and tells people about
 * disputes: the other party of an opening or evidence, both of a resolution, admins of SLA
 * breaches.
 */
@Injectable()
export class DisputesListener {
  constructor(
    private readonly disputes: DisputesService,
    private readonly jobs: JobsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
  ) {}

  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobMoved(event: JobStatusChangedEvent): Promise<void> {
    if (event.to !== JobStatus.Disputed) {
      return;
    }
    await this.disputes.recordFromJobMove(await this.jobs.getById(event.jobId), event.changedBy);
  }

  @OnEvent(DisputeOpenedEvent.eventName)
  async onOpened({ dispute }: DisputeOpenedEvent): Promise<void> {
    const job = await this.jobs.getById(dispute.job);
    const recipients = dispute.parties.filter((party) => party !== dispute.openedBy);
    await this.notifications.notifyAll(
      recipients.map((recipientId) => ({
        recipientId,
        type: 'dispute.opened' as const,
        context: { jobTitle: job.title, reason: dispute.reason, expiresAt: dispute.respondBy },
        data: this.dataOf(dispute.id, job.id),
      })),
    );
    this.showLive(dispute);
  }

  @OnEvent(DisputeEvidenceAddedEvent.eventName)
  async onEvidence(event: DisputeEvidenceAddedEvent): Promise<void> {
    const job = await this.jobs.getById(event.jobId);
    await this.notifications.notify({
      recipientId: event.awaitingFrom,
      type: 'dispute.evidence',
      context: { jobTitle: job.title, expiresAt: event.respondBy },
      data: this.dataOf(event.disputeId, job.id),
    });
    this.showLive(await this.disputes.getById(event.disputeId));
  }

  @OnEvent(DisputeReminderDueEvent.eventName)
  async onReminderDue({ dispute }: DisputeReminderDueEvent): Promise<void> {
    const job = await this.jobs.getById(dispute.job);
    await this.notifications.notify({
      recipientId: dispute.awaitingFrom,
      type: 'dispute.response_reminder',
      context: { jobTitle: job.title, expiresAt: dispute.respondBy },
      data: this.dataOf(dispute.id, job.id),
      dedupeKey: `dispute:${dispute.id}:reminder:${dispute.respondBy.toISOString()}`,
    });
  }

  @OnEvent(DisputeResolvedEvent.eventName)
  async onResolved(event: DisputeResolvedEvent): Promise<void> {
    const dispute = await this.disputes.getById(event.disputeId);
    const job = await this.jobs.getById(event.jobId);
    await this.notifications.notifyAll(
      dispute.parties.map((recipientId) => ({
        recipientId,
        type: 'dispute.resolved' as const,
        context: {
          jobTitle: job.title,
          status: OUTCOME_WORDS[event.outcome],
          text: dispute.decision?.note,
        },
        data: this.dataOf(dispute.id, job.id),
      })),
    );
    this.showLive(dispute);
  }

  @OnEvent(DisputeSlaAlertEvent.eventName)
  async onSlaAlert({ dispute, kind }: DisputeSlaAlertEvent): Promise<void> {
    const job = await this.jobs.getById(dispute.job);
    const admins = await this.users.listForAdmin(
      { role: Role.Admin },
      { page: 1, limit: MAX_ALERTED_ADMINS },
    );
    await this.notifications.notifyAll(
      admins.data.map((admin) => ({
        recipientId: admin.id,
        type: 'dispute.sla_alert' as const,
        context: {
          jobTitle: job.title,
          status: kind === 'unassigned' ? 'still unassigned' : 'still unresolved',
        },
        data: {
          ...this.dataOf(dispute.id, job.id),
          kind,
          deepLink: `/admin/disputes/${dispute.id}`,
        },
      })),
    );
  }

  /** The dispute as a party sees it, on both parties' sockets (`dispute.updated`). */
  private showLive(dispute: DisputeEntity): void {
    const response = toDisputeResponse(dispute, false);
    for (const party of dispute.parties) {
      this.notifications.live(party, 'dispute.updated', response);
    }
  }

  private dataOf(disputeId: string, jobId: string): Record<string, string> & { deepLink: string } {
    return { disputeId, jobId, deepLink: `/disputes/${disputeId}` };
  }
}
