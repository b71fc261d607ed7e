import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InvitationAcceptedEvent } from '../invitations/events/invitation-accepted.event.js';
import { InvitationCreatedEvent } from '../invitations/events/invitation-created.event.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import type { InvitationEntity } from '../invitations/schemas/invitation.schema.js';
import { JobCreatedEvent } from '../jobs/events/job-created.event.js';
import { JobStatusChangedEvent } from '../jobs/events/job-status-changed.event.js';
import { JobsService } from '../jobs/jobs.service.js';
import { LedgerEntryPostedEvent } from '../money/ledger/events/ledger-entry-posted.event.js';
import { WithdrawalsService } from '../money/wallet/withdrawals.service.js';
import {
  factsOfMove,
  invitationAcceptedFact,
  invitationSentFact,
  isCountedMove,
  isPayout,
  jobPostedFact,
  ledgerEntryFact,
  type RollupFact,
} from './rollup-facts.js';
import { RollupsRepository } from './rollups.repository.js';

/**
 * Keeps the daily rollups as things happen: each event's facts (rollup-facts.ts, the functions
 * the rebuild uses) are counted into their day by one guarded upsert `$inc` each, once however
 * often the event is announced. What it reads (the job just created, the invitation just
 * written, the withdrawal just decided) the request has read already (RequestReads): the count
 * costs its write only. A failure is logged and leaves the rollup short until a rebuild.
 */
@Injectable()
export class RollupListener {
  private readonly logger = new Logger(RollupListener.name);

  constructor(
    private readonly rollups: RollupsRepository,
    private readonly jobs: JobsService,
    private readonly invitations: InvitationsService,
    private readonly withdrawals: WithdrawalsService,
  ) {}

  @OnEvent(JobCreatedEvent.eventName)
  async onJobCreated(event: JobCreatedEvent): Promise<void> {
    await this.countAll(`job ${event.jobId} posted`, async () => [
      jobPostedFact(await this.jobs.getById(event.jobId)),
    ]);
  }

  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobMoved(event: JobStatusChangedEvent): Promise<void> {
    if (!isCountedMove(event.from, event.to)) {
      return;
    }
    await this.countAll(`job ${event.jobId} → ${event.to}`, async () =>
      factsOfMove(event.job ?? (await this.jobs.getById(event.jobId)), event),
    );
  }

  @OnEvent(InvitationCreatedEvent.eventName)
  async onInvitationSent(event: InvitationCreatedEvent): Promise<void> {
    await this.countAll(`invitation ${event.invitation.invitationId} sent`, async () => [
      invitationSentFact(await this.invitation(event.invitation.invitationId)),
    ]);
  }

  @OnEvent(InvitationAcceptedEvent.eventName)
  async onInvitationAccepted(event: InvitationAcceptedEvent): Promise<void> {
    await this.countAll(`invitation ${event.invitation.invitationId} accepted`, async () => [
      invitationAcceptedFact(await this.invitation(event.invitation.invitationId)),
    ]);
  }

  @OnEvent(LedgerEntryPostedEvent.eventName)
  async onEntryPosted({ entry }: LedgerEntryPostedEvent): Promise<void> {
    await this.countAll(`ledger entry ${entry.id}`, async () => {
      const withdrawalId = isPayout(entry.kind) ? entry.links.withdrawal : undefined;
      const withdrawal = withdrawalId ? await this.withdrawals.findById(withdrawalId) : null;
      return [ledgerEntryFact(entry, withdrawal?.expectedBy ?? null)];
    });
  }

  private invitation(id: string): Promise<InvitationEntity> {
    return this.invitations.getById(id);
  }

  /** Counts the facts `factsOf` finds, each into its day; a failure is logged. */
  private async countAll(
    what: string,
    factsOf: () => Promise<Array<RollupFact | null>>,
  ): Promise<void> {
    try {
      for (const fact of await factsOf()) {
        if (fact) {
          await this.rollups.count(fact);
        }
      }
    } catch (error) {
      this.logger.error(
        `The daily rollup missed ${what} (a rebuild recounts it): ${String(error)}`,
      );
    }
  }
}
