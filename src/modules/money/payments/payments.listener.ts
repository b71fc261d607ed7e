import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import { Role } from '../../../common/auth/role.js';
import { JobStatusChangedEvent } from '../../jobs/events/job-status-changed.event.js';
import { JobStatus } from '../../jobs/job-status.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import { EscrowService } from './escrow.service.js';
import { PaymentChangedEvent } from './events/payment-changed.event.js';
import { toPaymentResponse } from './payment.mapper.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';
import { PaymentStatus } from './schemas/payment.schema.js';

/** Someone with a role, for mapping a payment as its party sees it. */
const asParty = (id: string, role: Role): AuthUser => ({
  id,
  role,
  tokenId: '',
  tokenExpiresAt: new Date(0),
});

/**
 * What payments do when things happen: a completed job's escrow is released, a cancelled
 * hired job's payment refunded (and its unpaid ones closed); a held or refunded payment is told
 * to its parties (in-app, push, email by their preferences; the payment on their sockets as
 * `payment.updated`). A failure here is logged: the job's flags (`releaseDue`, `refundDue`) make
 * the minute's sweep finish it.
 */
@Injectable()
export class PaymentsListener {
  private readonly logger = new Logger(PaymentsListener.name);

  constructor(
    private readonly escrow: EscrowService,
    private readonly paymentsService: PaymentsService,
    private readonly payments: PaymentsRepository,
    private readonly jobsService: JobsService,
    private readonly notifications: NotificationsService,
  ) {}

  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobStatusChanged(event: JobStatusChangedEvent): Promise<void> {
    if (event.to !== JobStatus.Completed && event.to !== JobStatus.Cancelled) {
      return;
    }
    try {
      const job = await this.jobsService.getById(event.jobId);
      if (event.to === JobStatus.Completed && job.releaseDue) {
        await this.escrow.release(job);
      }
      if (
        event.to === JobStatus.Cancelled &&
        (event.from === JobStatus.Hired || event.from === JobStatus.Disputed)
      ) {
        // cancelled while hired, or by a dispute's refund: an open job has no payment
        await this.paymentsService.closePendingOf(job.id);
        if (job.refundDue) {
          await this.escrow.refundCancelled(job);
        }
      }
    } catch (error) {
      this.logger.error(
        `Money of job ${event.jobId} (${event.to}) left to the sweep: ${String(error)}`,
      );
    }
  }

  @OnEvent(PaymentChangedEvent.eventName)
  async onPaymentChanged(event: PaymentChangedEvent): Promise<void> {
    if (event.change === 'parked' || event.change === 'refund_done' || event.jobId === null) {
      return;
    }
    try {
      const job = await this.jobsService.getById(event.jobId);
      const recipients =
        event.change === PaymentStatus.Held ? [event.payerId, event.payeeId] : [event.payerId];
      // once per move: the event comes from the one conditional write that made it; both
      // parties in one batch (one read of the users, one insert of each kind)
      await this.notifications.notifyAll(
        recipients.map((recipientId) => ({
          recipientId,
          type: event.change === PaymentStatus.Held ? 'payment.held' : 'payment.refunded',
          context: { jobTitle: job.title, price: event.amount },
          data: { jobId: job.id, paymentId: event.paymentId, deepLink: `/jobs/${job.id}` },
        })),
      );
      const payment = await this.payments.findById(event.paymentId);
      if (payment) {
        this.notifications.live(
          payment.payer,
          'payment.updated',
          toPaymentResponse(payment, asParty(payment.payer, Role.Client)),
        );
        this.notifications.live(
          payment.payee,
          'payment.updated',
          toPaymentResponse(payment, asParty(payment.payee, Role.Craftsman)),
        );
      }
    } catch (error) {
      this.logger.error(
        `Telling payment ${event.paymentId} ${event.change} failed: ${String(error)}`,
      );
    }
  }
}
