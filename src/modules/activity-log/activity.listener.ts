import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ServiceChangedEvent } from '../catalog/events/service-changed.event.js';
import { DisputeAssignedEvent } from '../disputes/events/dispute-assigned.event.js';
import { DisputeResolvedEvent } from '../disputes/events/dispute-resolved.event.js';
import { FaqEntryChangedEvent } from '../faq/events/faq-entry-changed.event.js';
import { JobStatus } from '../jobs/job-status.js';
import { JobStatusForcedEvent } from '../jobs/events/job-status-forced.event.js';
import { WalletAdjustedEvent } from '../money/wallet/events/wallet-adjusted.event.js';
import { WithdrawalSettledEvent } from '../money/wallet/events/withdrawal-settled.event.js';
import { AccountDeletedEvent } from '../privacy/events/account-deleted.event.js';
import { AccountDeletionCancelledEvent } from '../privacy/events/account-deletion-cancelled.event.js';
import { AccountDeletionRequestedEvent } from '../privacy/events/account-deletion-requested.event.js';
import { StaffCreatedEvent } from '../users/events/staff-created.event.js';
import { UserBannedEvent } from '../users/events/user-banned.event.js';
import { UserRegisteredEvent } from '../users/events/user-registered.event.js';
import { UserUnbannedEvent } from '../users/events/user-unbanned.event.js';
import {
  VerificationApprovedEvent,
  VerificationRejectedEvent,
} from '../users/events/verification-decided.event.js';
import { STAFF_ROLES } from '../../common/auth/role.js';
import { ActivityAction, ActivityTargetType } from './activity-actions.js';
import { ActivityLogService } from './activity-log.service.js';

const user = (id: string) => ({ type: ActivityTargetType.User, id });
const ms = (at: Date) => at.getTime();

/**
 * Records the important actions from the domain events that announce them (DESIGN.md "Events
 * and notifications"): a service publishes after its write, so no path to an action can skip
 * its record. Each record's key is the action's own identity (the target and the event's time
 * or id), so an event published again (a retry, a sweep settling a ban) records nothing new.
 * Registered after the other modules' listeners: it runs last for each event. Its failure is
 * logged by DomainEvents and never undoes the action (a ban's is retried by the ban sweep).
 */
@Injectable()
export class ActivityListener {
  constructor(private readonly activity: ActivityLogService) {}

  /** A client or craftsman signed up; staff accounts are recorded as `staff.created`. */
  @OnEvent(UserRegisteredEvent.eventName)
  async onRegistered(event: UserRegisteredEvent): Promise<void> {
    if (STAFF_ROLES.includes(event.role)) {
      return;
    }
    await this.activity.record({
      key: `${ActivityAction.UserRegistered}:${event.userId}`,
      action: ActivityAction.UserRegistered,
      actor: { id: event.userId, role: event.role },
      target: user(event.userId),
      details: { role: event.role },
    });
  }

  @OnEvent(StaffCreatedEvent.eventName)
  async onStaffCreated(event: StaffCreatedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.StaffCreated}:${event.userId}`,
      action: ActivityAction.StaffCreated,
      actor: event.createdBy,
      target: user(event.userId),
      details: { role: event.role },
    });
  }

  @OnEvent(UserBannedEvent.eventName)
  async onBanned(event: UserBannedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.UserBanned}:${event.userId}:${ms(event.bannedAt)}`,
      action: ActivityAction.UserBanned,
      actor: event.bannedBy ? { id: event.bannedBy } : null,
      target: user(event.userId),
      details: { reason: event.reason },
    });
  }

  @OnEvent(UserUnbannedEvent.eventName)
  async onUnbanned(event: UserUnbannedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.UserUnbanned}:${event.userId}:${ms(event.at)}`,
      action: ActivityAction.UserUnbanned,
      actor: { id: event.unbannedBy },
      target: user(event.userId),
    });
  }

  @OnEvent(VerificationApprovedEvent.eventName)
  async onVerificationApproved(event: VerificationApprovedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.VerificationApproved}:${event.craftsmanId}:${ms(event.decidedAt)}`,
      action: ActivityAction.VerificationApproved,
      actor: { id: event.decidedBy },
      target: user(event.craftsmanId),
    });
  }

  @OnEvent(VerificationRejectedEvent.eventName)
  async onVerificationRejected(event: VerificationRejectedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.VerificationRejected}:${event.craftsmanId}:${ms(event.decidedAt)}`,
      action: ActivityAction.VerificationRejected,
      actor: { id: event.decidedBy },
      target: user(event.craftsmanId),
      details: { reason: event.reason },
    });
  }

  @OnEvent(ServiceChangedEvent.eventName)
  async onServiceChanged(event: ServiceChangedEvent): Promise<void> {
    const action = {
      created: ActivityAction.ServiceCreated,
      updated: ActivityAction.ServiceUpdated,
      deleted: ActivityAction.ServiceDeleted,
    }[event.change];
    // a service is created and removed once; edited many times
    const key =
      event.change === 'updated'
        ? `${action}:${event.serviceId}:${ms(event.at)}`
        : `${action}:${event.serviceId}`;
    await this.activity.record({
      key,
      action,
      actor: event.by,
      target: { type: ActivityTargetType.Service, id: event.serviceId },
      details: { name: event.name },
    });
  }

  @OnEvent(FaqEntryChangedEvent.eventName)
  async onFaqEntryChanged(event: FaqEntryChangedEvent): Promise<void> {
    const action = {
      created: ActivityAction.FaqEntryCreated,
      updated: ActivityAction.FaqEntryUpdated,
      deleted: ActivityAction.FaqEntryDeleted,
    }[event.change];
    // an entry is created and removed once; edited many times
    const key =
      event.change === 'updated'
        ? `${action}:${event.entryId}:${ms(event.at)}`
        : `${action}:${event.entryId}`;
    await this.activity.record({
      key,
      action,
      actor: event.by,
      target: { type: ActivityTargetType.FaqEntry, id: event.entryId },
      details: { topic: event.topic, language: event.language },
    });
  }

  @OnEvent(JobStatusForcedEvent.eventName)
  async onJobStatusForced(event: JobStatusForcedEvent): Promise<void> {
    const action =
      event.to === JobStatus.Cancelled
        ? ActivityAction.JobForceCancelled
        : ActivityAction.JobStatusForced;
    await this.activity.record({
      key: `${action}:${event.jobId}:${ms(event.at)}`,
      action,
      actor: event.by,
      target: { type: ActivityTargetType.Job, id: event.jobId },
      details: { from: event.from, to: event.to },
    });
  }

  @OnEvent(DisputeAssignedEvent.eventName)
  async onDisputeAssigned(event: DisputeAssignedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.DisputeAssigned}:${event.disputeId}:${ms(event.at)}`,
      action: ActivityAction.DisputeAssigned,
      actor: event.by,
      target: { type: ActivityTargetType.Dispute, id: event.disputeId },
      details: { job: event.jobId },
    });
  }

  /** Resolved once (the resolution's guarded write); a sweep that finishes it says the same. */
  @OnEvent(DisputeResolvedEvent.eventName)
  async onDisputeResolved(event: DisputeResolvedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.DisputeResolved}:${event.disputeId}`,
      action: ActivityAction.DisputeResolved,
      actor: { id: event.resolvedBy },
      target: { type: ActivityTargetType.Dispute, id: event.disputeId },
      details: { job: event.jobId, outcome: event.outcome },
    });
  }

  /** A withdrawal ends once: paid or failed, by an admin (manual), the gateway or a sweep. */
  @OnEvent(WithdrawalSettledEvent.eventName)
  async onWithdrawalSettled(event: WithdrawalSettledEvent): Promise<void> {
    const paid = event.outcome === 'paid';
    const action = paid ? ActivityAction.PayoutPaid : ActivityAction.PayoutFailed;
    await this.activity.record({
      key: `${action}:${event.withdrawalId}`,
      action,
      actor: event.by,
      target: { type: ActivityTargetType.Withdrawal, id: event.withdrawalId },
      details: {
        craftsman: event.craftsmanId,
        amount: event.amount,
        provider: event.provider,
        ...(paid ? { reference: event.note } : { reason: event.note }),
      },
    });
  }

  /** One ledger entry per adjustment: a retry with its Idempotency-Key names the same entry. */
  @OnEvent(WalletAdjustedEvent.eventName)
  async onWalletAdjusted(event: WalletAdjustedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.WalletAdjusted}:${event.entryId}`,
      action: ActivityAction.WalletAdjusted,
      actor: event.by,
      target: user(event.craftsmanId),
      details: { entry: event.entryId, amount: event.amount, reason: event.reason },
    });
  }

  @OnEvent(AccountDeletionRequestedEvent.eventName)
  async onDeletionRequested(event: AccountDeletionRequestedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.AccountDeletionRequested}:${event.userId}:${ms(event.requestedAt)}`,
      action: ActivityAction.AccountDeletionRequested,
      actor: { id: event.userId },
      target: user(event.userId),
      details: { scheduledFor: event.scheduledFor },
    });
  }

  @OnEvent(AccountDeletionCancelledEvent.eventName)
  async onDeletionCancelled(event: AccountDeletionCancelledEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.AccountDeletionCancelled}:${event.userId}:${ms(event.at)}`,
      action: ActivityAction.AccountDeletionCancelled,
      actor: { id: event.userId },
      target: user(event.userId),
    });
  }

  /** Done by the sweep at the end of the grace period: the system's action. */
  @OnEvent(AccountDeletedEvent.eventName)
  async onDeleted(event: AccountDeletedEvent): Promise<void> {
    await this.activity.record({
      key: `${ActivityAction.AccountDeleted}:${event.userId}`,
      action: ActivityAction.AccountDeleted,
      actor: null,
      target: user(event.userId),
    });
  }
}
