import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { TimelineRead } from '../../../common/database/timeline.js';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import { STAFF_ROLES } from '../../../common/auth/role.js';
import { Clock } from '../../../common/clock/clock.js';
import { isDuplicateKeyError } from '../../../common/database/duplicate-key.js';
import { DomainEvents } from '../../../common/events/domain-events.js';
import type { Paginated, PageRequest } from '../../../common/pagination/paginated.js';
import type { AllConfig } from '../../../config/config.js';
import { isPaidThroughPlatform, JobStatus, PaymentType } from '../../jobs/job-status.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { UsersService } from '../../users/users.service.js';
import { WalletErrors } from '../wallet/wallet.errors.js';
import { requestHashOf } from '../wallet/wallet.service.js';
import type { InitiatePaymentDto, TopUpDto } from './dto/payment.dto.js';
import { EscrowService } from './escrow.service.js';
import { GatewayRefundsService } from './gateway-refunds.service.js';
import { PaymentChangedEvent } from './events/payment-changed.event.js';
import {
  type GatewayPaymentState,
  InvalidWebhookSignatureError,
  PaymentGatewayError,
  type PaymentMethod,
  type PaymentProvider,
  type PaymentProviderName,
} from './payment-provider.js';
import { PaymentProviders } from './payment-providers.js';
import { PaymentWebhookEventsRepository } from './payment-webhook-events.repository.js';
import { PaymentsErrors } from './payments.errors.js';
import { type PaymentFilter, PaymentsRepository } from './payments.repository.js';
import {
  type PaymentEntity,
  PaymentPurpose,
  PaymentStatus,
  RefundState,
} from './schemas/payment.schema.js';

/** What the gateway shows the payer of a top-up. */
const TOP_UP_DESCRIPTION = 'Craftsmen marketplace wallet top-up';

/** The most expired payments one sweep closes (the next sweep takes the rest). */
const SWEEP_BATCH = 100;

/** Statuses in which the client's money has not come in (as far as we know). */
const NOT_PAID = [PaymentStatus.Pending, PaymentStatus.Failed, PaymentStatus.Expired];

/** What a webhook delivery came to: handled now, or a delivery of an event handled before. */
export interface WebhookOutcome {
  received: true;
  duplicate: boolean;
}

/**
 * Client payments (API.md "Money"): initiating one through a gateway, following it to `held`
 * by what the gateway says (webhooks are hints, confirmed with the gateway's status API before
 * money moves: DESIGN.md "Money"), and the sweep that closes payments never paid.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);
  private readonly expiresAfterMs: number;

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly webhookEvents: PaymentWebhookEventsRepository,
    private readonly providers: PaymentProviders,
    private readonly escrow: EscrowService,
    private readonly gatewayRefunds: GatewayRefundsService,
    private readonly jobsService: JobsService,
    private readonly usersService: UsersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.expiresAfterMs = config.get('money', { infer: true }).paymentExpiresAfterMs;
  }

  /**
   * The owning client pays for his hired escrow or cash-protected job (`POST
   * /payments/initiate`): one live payment per job (a second initiate answers it), the same
   * `Idempotency-Key` answers the same payment.
   *
   * @throws 403 FORBIDDEN (not the job's client), 404 (no such job), 409 JOB_NOT_PAYABLE (not
   *   hired, or a cash job), 409 PROVIDER_NOT_CONFIGURED, 400 PAYMENT_METHOD_NOT_SUPPORTED, 409
   *   IDEMPOTENCY_KEY_REUSED, 502 PAYMENT_GATEWAY_FAILED (the gateway refused or was down)
   */
  async initiate(
    payer: AuthUser,
    input: InitiatePaymentDto,
    key: string | undefined,
  ): Promise<PaymentEntity> {
    const job = await this.jobsService.getById(input.jobId);
    if (job.client !== payer.id) {
      throw PaymentsErrors.notPayer();
    }
    if (!isPaidThroughPlatform(job.paymentType)) {
      throw PaymentsErrors.jobPaidInCash();
    }
    const provider = this.providers.get(input.provider);
    const method = methodFor(job.paymentType, provider, input.method);
    const requestHash = requestHashOf({ jobId: job.id, provider: provider.name, method });
    const idempotencyKey = `${payer.id}:${key ?? randomUUID()}`;
    if (key) {
      const replayed = await this.payments.findByKey(idempotencyKey);
      if (replayed) {
        if (replayed.requestHash !== requestHash) {
          throw WalletErrors.keyReused();
        }
        return this.ensureCharged(replayed, job.title);
      }
    }
    if (job.status !== JobStatus.Hired || !job.craftsman || !job.jobPrice) {
      throw PaymentsErrors.jobNotHired();
    }
    const live = await this.payments.findLiveOf(job.id);
    if (live) {
      return this.ensureCharged(live, job.title);
    }
    let payment: PaymentEntity;
    try {
      payment = await this.payments.create({
        purpose: PaymentPurpose.Job,
        job: job.id,
        payer: payer.id,
        payee: job.craftsman,
        provider: provider.name,
        method,
        amount: job.jobPrice,
        idempotencyKey,
        requestHash,
        expiresAt: new Date(this.clock.now().getTime() + this.expiresAfterMs),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
      // a concurrent initiate (the same key, or the job's live payment) was first
      const byKey = await this.payments.findByKey(idempotencyKey);
      if (byKey && byKey.requestHash !== requestHash) {
        // the same key for another job or gateway, sent at the same time
        throw WalletErrors.keyReused();
      }
      const first = byKey ?? (await this.payments.findLiveOf(job.id));
      if (!first) {
        throw error;
      }
      return this.ensureCharged(first, job.title);
    }
    this.logger.log(`Payment ${payment.id} initiated for job ${job.id} through ${provider.name}`);
    return this.ensureCharged(payment, job.title);
  }

  /**
   * A craftsman tops up his wallet through a gateway (`POST /wallet/top-up`); when paid, the
   * money goes to his wallet and pays the fees he owes first. The same `Idempotency-Key` answers
   * the same payment.
   *
   * @throws 409 PROVIDER_NOT_CONFIGURED, 400 PAYMENT_METHOD_NOT_SUPPORTED, 409
   *   IDEMPOTENCY_KEY_REUSED, 502 PAYMENT_GATEWAY_FAILED
   */
  async initiateTopUp(
    craftsman: AuthUser,
    input: TopUpDto,
    key: string | undefined,
  ): Promise<PaymentEntity> {
    const provider = this.providers.get(input.provider);
    const method = methodFor(null, provider, input.method);
    const requestHash = requestHashOf({ topUp: input.amount, provider: provider.name, method });
    const idempotencyKey = `${craftsman.id}:${key ?? randomUUID()}`;
    let payment: PaymentEntity;
    try {
      payment = await this.payments.create({
        purpose: PaymentPurpose.TopUp,
        job: null,
        payer: craftsman.id,
        payee: craftsman.id,
        provider: provider.name,
        method,
        amount: input.amount,
        idempotencyKey,
        requestHash,
        expiresAt: new Date(this.clock.now().getTime() + this.expiresAfterMs),
      });
    } catch (error) {
      const replayed = isDuplicateKeyError(error)
        ? await this.payments.findByKey(idempotencyKey)
        : null;
      if (!replayed) {
        throw error;
      }
      if (replayed.requestHash !== requestHash) {
        throw WalletErrors.keyReused();
      }
      payment = replayed;
    }
    return this.ensureCharged(payment, TOP_UP_DESCRIPTION);
  }

  /**
   * Creates the charge at the gateway for a payment that has none yet (its first initiate, or a
   * retry after the answer was lost: the gateway's idempotency makes it one charge).
   */
  private async ensureCharged(payment: PaymentEntity, description: string): Promise<PaymentEntity> {
    if (payment.gatewayReference || payment.status !== PaymentStatus.Pending) {
      return payment;
    }
    const provider = this.providers.get(payment.provider);
    const payer = await this.usersService.getById(payment.payer);
    try {
      const charge = await provider.charge({
        paymentId: payment.id,
        amount: payment.amount,
        currency: 'EGP',
        method: payment.method,
        description: description.slice(0, 100),
        payer: {
          id: payer.id,
          name: `${payer.firstName} ${payer.lastName}`,
          email: payer.email,
          phone: payer.phone,
        },
        expiresAt: payment.expiresAt,
      });
      return (await this.payments.charged(payment.id, charge)) ?? payment;
    } catch (error) {
      if (!(error instanceof PaymentGatewayError)) {
        throw error;
      }
      this.logger.warn(
        `Charge of payment ${payment.id} at ${provider.name} failed: ${error.message}`,
      );
      await this.payments.ended(payment.id, PaymentStatus.Failed, 'gateway_refused');
      throw PaymentsErrors.gatewayFailed(provider.name);
    }
  }

  /**
   * A payment for its payer, its payee or staff.
   * @throws 404 NOT_FOUND, 403 FORBIDDEN
   */
  async getForViewer(id: string, viewer: AuthUser): Promise<PaymentEntity> {
    const payment = await this.payments.findById(id);
    if (!payment) {
      throw PaymentsErrors.notFound();
    }
    if (!isPartyOrStaff(payment, viewer)) {
      throw PaymentsErrors.notYours();
    }
    return payment;
  }

  /**
   * The payer's app says he paid (after Stripe's confirmation in the app, or back from Fawry's
   * page): the gateway is asked, and the payment follows what it says, as for a webhook.
   *
   * @throws 404, 403 (not the payer or staff), 503 SERVICE_UNAVAILABLE (the gateway could not
   *   be asked: try again)
   */
  async confirm(id: string, viewer: AuthUser): Promise<PaymentEntity> {
    const payment = await this.getForViewer(id, viewer);
    if (payment.payer !== viewer.id && !STAFF_ROLES.includes(viewer.role)) {
      throw PaymentsErrors.notYours();
    }
    return this.sync(payment);
  }

  /**
   * A gateway's webhook (`POST /payments/webhook[/stripe|/fawry]`): verified on the bytes
   * received, deduplicated on the event's identity, then the payment it names follows what the
   * gateway's status API says (never what the body claims).
   *
   * @param providerName the route's gateway; none: Stripe when `Stripe-Signature` is present,
   *   else Fawry
   * @throws 400 INVALID_SIGNATURE, 409 PROVIDER_NOT_CONFIGURED, 404 NOT_FOUND (a payment not
   *   known yet: not acknowledged, so the gateway sends it again), 503 (the gateway's status
   *   API could not be asked)
   */
  async handleWebhook(
    providerName: PaymentProviderName | undefined,
    rawBody: Buffer | undefined,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<WebhookOutcome> {
    const name = providerName ?? (headers['stripe-signature'] ? 'stripe' : 'fawry');
    const provider = this.providers.get(name);
    let event;
    try {
      event = provider.verifyWebhook(rawBody ?? Buffer.alloc(0), headers);
    } catch (error) {
      if (error instanceof InvalidWebhookSignatureError) {
        this.logger.warn(`Webhook refused as not ${name}'s: ${error.message}`);
        throw PaymentsErrors.invalidSignature();
      }
      throw error;
    }
    if (!event) {
      return { received: true, duplicate: false };
    }
    const eventKey = `${name}:${event.eventId}`;
    if (await this.webhookEvents.wasHandled(eventKey)) {
      return { received: true, duplicate: true };
    }
    const payment = await this.payments.findByGatewayReference(name, event.gatewayReference);
    if (!payment) {
      this.logger.warn(`Webhook ${eventKey} (${event.type}) for a payment not known yet`);
      throw PaymentsErrors.notFound();
    }
    if (name === 'fawry' && event.amount !== undefined && event.amount !== payment.amount) {
      await this.park(payment, 'the notification reports another amount', event.amount);
    } else {
      await this.sync(payment);
    }
    await this.webhookEvents.markHandled(eventKey, event.type, payment.id, this.clock.now());
    return { received: true, duplicate: false };
  }

  /**
   * The payment follows what its gateway says now: paid → held in escrow (once), failed or
   * expired → closed, refunded at the gateway → refunded here (from escrow, or taken back from
   * the craftsman after release). A reported amount other than the one due parks it for an
   * admin and moves no money. A replayed "paid" after a refund moves nothing: each move is one
   * ledger entry keyed by the payment.
   *
   * @throws 503 SERVICE_UNAVAILABLE when the gateway can't be asked
   */
  async sync(payment: PaymentEntity): Promise<PaymentEntity> {
    const provider = this.providers.find(payment.provider);
    if (!payment.gatewayReference || !provider || payment.parked) {
      return payment;
    }
    let state: GatewayPaymentState;
    try {
      state = await provider.status(payment.gatewayReference);
    } catch (error) {
      if (!(error instanceof PaymentGatewayError)) {
        throw error;
      }
      this.logger.warn(`Status of payment ${payment.id} at ${provider.name}: ${error.message}`);
      throw PaymentsErrors.gatewayUnavailable(provider.name);
    }
    switch (state.status) {
      case 'pending':
        return payment.status === PaymentStatus.Pending &&
          payment.expiresAt.getTime() < this.clock.now().getTime()
          ? this.close(payment, PaymentStatus.Expired, 'not_paid_in_time')
          : payment;
      case 'failed':
        return this.close(payment, PaymentStatus.Failed, 'failed_at_gateway');
      case 'expired':
        return this.close(payment, PaymentStatus.Expired, 'expired_at_gateway');
      default:
        return this.paid(payment, state);
    }
  }

  /** The gateway says the money came in (and maybe went back). */
  private async paid(payment: PaymentEntity, state: GatewayPaymentState): Promise<PaymentEntity> {
    if (state.amount !== undefined && state.amount !== payment.amount) {
      return this.park(payment, 'the gateway reports another amount', state.amount);
    }
    let current = payment;
    if (NOT_PAID.includes(current.status)) {
      // money already given back when we first hear of it is recorded, not announced as held
      current = await this.escrow.hold(current, state.transactionId ?? null, {
        announce: state.refundedAmount < current.amount,
      });
    } else if (current.status === PaymentStatus.Held) {
      // heard again: finishes what a failure right after the hold left undone
      current = await this.escrow.settleHeld(current);
    }
    if (state.status === 'paid') {
      return current;
    }
    if (current.refund && state.refundedAmount === current.refundedAmount) {
      // what went back is what we asked for (a dispute's split, a refund): finished if not yet
      return current.refund.state === RefundState.Done
        ? current
        : ((await this.gatewayRefunds.send(current.id)) ?? current);
    }
    if (state.refundedAmount < current.amount) {
      // part of it went back outside the platform: nothing is released or refunded on a guess
      return this.park(current, 'partially refunded at the gateway', state.refundedAmount);
    }
    switch (current.status) {
      case PaymentStatus.Held:
        return this.escrow.refund(current, 'refunded_at_gateway', { atGateway: true });
      case PaymentStatus.Released:
        return this.escrow.clawback(current, 'refunded_at_gateway', { atGateway: true });
      default:
        // refunded by us: the gateway now says it is done (its answer to us was lost)
        if (current.refund && current.refund.state !== RefundState.Done) {
          return (await this.gatewayRefunds.send(current.id)) ?? current;
        }
        return current;
    }
  }

  private async close(
    payment: PaymentEntity,
    status: PaymentStatus.Failed | PaymentStatus.Expired,
    reason: string,
  ): Promise<PaymentEntity> {
    const closed = await this.payments.ended(payment.id, status, reason);
    if (closed) {
      this.logger.log(`Payment ${payment.id} ${status} (${reason})`);
    }
    return closed ?? (await this.payments.findById(payment.id)) ?? payment;
  }

  /** Parked for an admin: never credited while parked. */
  private async park(
    payment: PaymentEntity,
    reason: string,
    reportedAmount: number,
  ): Promise<PaymentEntity> {
    const parked = await this.payments.park(payment, reason, reportedAmount, this.clock.now());
    if (parked) {
      this.logger.warn(
        `Payment ${payment.id} parked for an admin: ${reason} (${reportedAmount} instead of ${payment.amount} piastres)`,
      );
      await this.events.publish(
        new PaymentChangedEvent(
          parked.id,
          parked.job,
          parked.payer,
          parked.payee,
          'parked',
          reportedAmount,
        ),
      );
    }
    return parked ?? (await this.payments.findById(payment.id)) ?? payment;
  }

  /** A hired job was cancelled: its payments still waiting for money are closed. */
  async closePendingOf(jobId: string): Promise<void> {
    for (const payment of await this.payments.findPendingOf(jobId)) {
      await this.close(payment, PaymentStatus.Failed, 'job_cancelled');
    }
  }

  /**
   * Pending payments past their time: the gateway is asked once more (a payment made at the
   * last minute is held, not lost), the others expire.
   *
   * @returns how many it closed or held
   */
  async sweepExpired(): Promise<number> {
    const expired = await this.payments.findExpiredPending(this.clock.now(), SWEEP_BATCH);
    let moved = 0;
    for (const payment of expired) {
      try {
        const after = payment.gatewayReference
          ? await this.sync(payment)
          : await this.close(payment, PaymentStatus.Expired, 'not_paid_in_time');
        moved += after.status === PaymentStatus.Pending ? 0 : 1;
      } catch (error) {
        this.logger.warn(`Expiry of payment ${payment.id} waits: ${String(error)}`);
      }
    }
    return moved;
  }

  list(filter: PaymentFilter, page: PageRequest): Promise<Paginated<PaymentEntity>> {
    return this.payments.list(filter, page);
  }

  /**
   * The user's payments whose money is not settled yet (held, a refund under way, parked): what
   * keeps him from deleting his account.
   */
  moneyInPlayOf(userId: string): Promise<PaymentEntity[]> {
    return this.payments.findMoneyInPlayOf(userId);
  }

  /** Every payment the user made or was paid, newest first (his data export). */
  allOfUser(userId: string): Promise<PaymentEntity[]> {
    return this.payments.findAllOfUser(userId);
  }

  /** A page of the payments the user made, for his history (see TimelineRead). */
  historyOf(read: TimelineRead): Promise<PaymentEntity[]> {
    return this.payments.findForHistory(read);
  }
}

/** The payer, the craftsman paid, or staff. */
export function isPartyOrStaff(payment: PaymentEntity, viewer: AuthUser): boolean {
  return (
    payment.payer === viewer.id || payment.payee === viewer.id || STAFF_ROLES.includes(viewer.role)
  );
}

/**
 * The method a payment uses: the one asked for, or the gateway's usual one (Stripe `card`,
 * Fawry `pay_at_fawry`); `paymentType` is the job's (null for a top-up). A cash-protected job is paid in cash at a Fawry outlet (API.md
 * "Money"): Fawry with `pay_at_fawry` only.
 *
 * @throws 400 PAYMENT_METHOD_NOT_SUPPORTED
 */
function methodFor(
  paymentType: PaymentType | null,
  provider: PaymentProvider,
  asked: PaymentMethod | undefined,
): PaymentMethod {
  if (paymentType === PaymentType.CashProtected) {
    if (provider.name !== 'fawry' || (asked && asked !== 'pay_at_fawry')) {
      throw PaymentsErrors.methodNotSupported(
        provider.name,
        asked ?? provider.methods[0],
        'a cash-protected job is paid in cash at a Fawry outlet: provider fawry, method pay_at_fawry',
      );
    }
    return 'pay_at_fawry';
  }
  const method = asked ?? (provider.name === 'fawry' ? 'pay_at_fawry' : provider.methods[0]);
  if (!provider.methods.includes(method)) {
    throw PaymentsErrors.methodNotSupported(
      provider.name,
      method,
      `${provider.name} takes ${provider.methods.join(', ')}`,
    );
  }
  return method;
}
