import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock.js';
import { DomainEvents } from '../../../common/events/domain-events.js';
import { PaymentChangedEvent } from './events/payment-changed.event.js';
import { PaymentGatewayError } from './payment-provider.js';
import { PaymentProviders } from './payment-providers.js';
import { PaymentsRepository } from './payments.repository.js';
import { type PaymentEntity, RefundState } from './schemas/payment.schema.js';

/** The most refunds one sweep sends (the next sweep takes the rest). */
const SWEEP_BATCH = 100;
/** How long one instance holds a refund it is asking the gateway for. */
const REFUND_CLAIM_MS = 60_000;
/** Retries of a failed gateway refund: 1 min, 2, 4, … up to 1 hour apart. */
const REFUND_RETRY_BASE_MS = 60_000;
const REFUND_RETRY_MAX_MS = 60 * 60_000;
/** How soon to ask again about a refund the gateway finishes later. */
const REFUND_PENDING_CHECK_MS = 5 * 60_000;

/**
 * Refunds paid back through the gateways: once the ledger gave a payment back
 * (`EscrowService.refund`), its gateway is asked to pay it, with the payment's identity as the
 * idempotency key (`refund:<paymentId>`), until it says done; a failure stays on the payment for
 * admins (`GET /admin/payments?refundState=failed`) and is retried 1 min, 2, 4 … 1 h apart.
 * Each attempt is claimed by one instance.
 */
@Injectable()
export class GatewayRefundsService {
  private readonly logger = new Logger(GatewayRefundsService.name);

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly providers: PaymentProviders,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * Asks the gateway to pay a refund back, if it is due and no other instance is asking: done,
   * pending (asked again later) or failed (retried with a growing delay, shown to admins).
   *
   * @returns the payment as it ends (null for an unknown id)
   */
  async send(paymentId: string): Promise<PaymentEntity | null> {
    const claimed = await this.claimRefund(paymentId);
    return claimed ? this.attemptRefund(claimed) : this.payments.findById(paymentId);
  }

  /** Claims a refund to ask the gateway for (that payment's, or any due one). */
  private claimRefund(paymentId?: string): Promise<PaymentEntity | null> {
    const now = this.clock.now();
    return this.payments.claimRefund(now, new Date(now.getTime() + REFUND_CLAIM_MS), paymentId);
  }

  /** One attempt at a refund this instance claimed. */
  private async attemptRefund(claimed: PaymentEntity): Promise<PaymentEntity> {
    if (!claimed.refund || !claimed.gatewayReference) {
      return claimed;
    }
    const refund = claimed.refund;
    const provider = this.providers.find(claimed.provider);
    try {
      if (!provider) {
        throw new PaymentGatewayError(`${claimed.provider} is not configured`, true);
      }
      const result = await provider.refund({
        paymentId: claimed.id,
        gatewayReference: claimed.gatewayReference,
        referenceNumber: claimed.transactionId ?? claimed.referenceNumber ?? undefined,
        amount: refund.amount,
        reason: refund.reason,
        idempotencyKey: `refund:${claimed.id}`,
      });
      const at = this.clock.now();
      if (result.status === 'refunded') {
        const done = await this.payments.refundAttempted(claimed.id, {
          state: RefundState.Done,
          refundId: result.refundId ?? null,
          at,
        });
        if (done) {
          this.logger.log(`Refund of payment ${claimed.id} paid back by ${claimed.provider}`);
          await this.events.publish(
            new PaymentChangedEvent(
              done.id,
              done.job,
              done.payer,
              done.payee,
              'refund_done',
              refund.amount,
            ),
          );
        }
        return done ?? claimed;
      }
      if (result.status === 'pending') {
        return (
          (await this.payments.refundAttempted(claimed.id, {
            state: RefundState.Pending,
            refundId: result.refundId ?? null,
            nextAttemptAt: new Date(at.getTime() + REFUND_PENDING_CHECK_MS),
          })) ?? claimed
        );
      }
      return this.refundFailed(claimed, result.reason);
    } catch (error) {
      if (!(error instanceof PaymentGatewayError)) {
        throw error;
      }
      return this.refundFailed(claimed, error.message);
    }
  }

  private async refundFailed(payment: PaymentEntity, reason: string): Promise<PaymentEntity> {
    const attempts = payment.refund?.attempts ?? 1;
    const delay = Math.min(REFUND_RETRY_BASE_MS * 2 ** (attempts - 1), REFUND_RETRY_MAX_MS);
    this.logger.warn(
      `Refund of payment ${payment.id} failed (attempt ${attempts}): ${reason}; retried in ${delay / 1000} s`,
    );
    return (
      (await this.payments.refundAttempted(payment.id, {
        state: RefundState.Failed,
        error: reason,
        nextAttemptAt: new Date(this.clock.now().getTime() + delay),
      })) ?? payment
    );
  }

  /**
   * Sends the refunds that are due (new, failed and due again, or pending to ask about).
   * @returns how many it attempted
   */
  async sweep(): Promise<number> {
    let attempted = 0;
    for (; attempted < SWEEP_BATCH; attempted += 1) {
      const claimed = await this.claimRefund();
      if (!claimed) {
        break;
      }
      await this.attemptRefund(claimed);
    }
    return attempted;
  }
}
