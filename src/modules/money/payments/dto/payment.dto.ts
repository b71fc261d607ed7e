import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsMongoId, Max, Min } from 'class-validator';
import { MAX_PRICE } from '../../../../common/money.js';
import { PaginationQueryDto } from '../../../../common/pagination/pagination-query.dto.js';
import { BooleanQuery } from '../../../../common/validation/boolean-query.decorator.js';
import { Optional } from '../../../../common/validation/optional.decorator.js';
import {
  PAYMENT_METHODS,
  PAYMENT_PROVIDERS,
  type PaymentMethod,
  type PaymentProviderName,
} from '../payment-provider.js';
import {
  PAYMENT_STATUSES,
  PaymentPurpose,
  PaymentStatus,
  RefundState,
} from '../schemas/payment.schema.js';

/** Through which gateway, and how, money is paid in (`POST /payments/initiate`, `/wallet/top-up`). */
export class PaymentGatewayChoiceDto {
  @IsIn(PAYMENT_PROVIDERS)
  @ApiProperty({ enum: PAYMENT_PROVIDERS })
  provider!: PaymentProviderName;

  /**
   * How the payer pays: Stripe takes `card`; Fawry `pay_at_fawry` (a reference number paid at
   * any Fawry outlet: the only method of a cash-protected job), `card` or `wallet`. Default:
   * the gateway's first (`card`, `pay_at_fawry`).
   */
  @Optional()
  @IsIn(PAYMENT_METHODS)
  @ApiProperty({ enum: PAYMENT_METHODS, required: false })
  method?: PaymentMethod;
}

/** `POST /payments/initiate`: the owning client pays for his hired job. */
export class InitiatePaymentDto extends PaymentGatewayChoiceDto {
  /** The hired escrow or cash-protected job. */
  @IsMongoId()
  jobId!: string;
}

/**
 * `POST /wallet/top-up`: a craftsman puts money in his wallet through a gateway; when paid it
 * settles the fees he owes first (API.md "Money").
 */
export class TopUpDto extends PaymentGatewayChoiceDto {
  /** Piastres, at least 1 EGP. */
  @IsInt()
  @Min(100)
  @Max(MAX_PRICE)
  amount!: number;
}

/** Where giving a payment back through its gateway stands. */
export class PaymentRefundDto {
  @ApiProperty({ enum: RefundState })
  state!: RefundState;
  /** Piastres. */
  amount!: number;
  /** Why (`job_cancelled`, `refunded_at_gateway`, …). */
  reason!: string;
  /** Attempts to ask the gateway so far. */
  attempts!: number;
  /** Staff only: why the last attempt failed. */
  lastError?: string | null;
  /** When it is asked again (failed or pending), null when done. */
  nextAttemptAt!: Date | null;
  doneAt!: Date | null;
}

/** A payment parked for an admin: the gateway reported another amount. */
export class ParkedPaymentDto {
  reason!: string;
  /** What the gateway reported (piastres). */
  reportedAmount!: number | null;
  at!: Date;
}

/**
 * A client's payment for a job (API.md "Money"). Amounts are integer piastres. `clientSecret`,
 * `referenceNumber` and `paymentUrl` are for the payer, while it is pending.
 */
export class PaymentResponseDto {
  id!: string;
  /** For a hired job (held in escrow), or a craftsman's top-up of his wallet. */
  @ApiProperty({ enum: PaymentPurpose })
  purpose!: PaymentPurpose;
  /** The job paid for; null for a top-up. */
  job!: string | null;
  /** Who pays: the job's client, or the craftsman topping up. */
  payer!: string;
  /** The craftsman the money is for. */
  payee!: string;
  @ApiProperty({ enum: PAYMENT_PROVIDERS })
  provider!: PaymentProviderName;
  @ApiProperty({ enum: PAYMENT_METHODS })
  method!: PaymentMethod;
  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: PaymentStatus;
  /** Piastres: the job's price. */
  amount!: number;
  @ApiProperty({ enum: ['EGP'] })
  currency!: 'EGP';
  /** Stripe: for the app's Stripe SDK to confirm the card payment (payer only, while pending). */
  clientSecret?: string;
  /** Fawry PayAtFawry: the number to pay at any Fawry outlet before `expiresAt` (payer only). */
  referenceNumber?: string;
  /** A page where the payer completes the payment (payer only, while pending). */
  paymentUrl?: string;
  /** When an unpaid payment expires (the client may then initiate another). */
  expiresAt!: Date;
  heldAt!: Date | null;
  releasedAt!: Date | null;
  /** Piastres given back. */
  refundedAmount!: number;
  /** The refund through the gateway, once there is one (payer and staff). */
  refund?: PaymentRefundDto | null;
  /** Staff only: parked for an admin. */
  parked?: ParkedPaymentDto | null;
  /** Why it failed or expired. */
  failureReason!: string | null;
  createdAt!: Date;
}

/** `GET /admin/payments?status=&parked=&refundState=`. */
export class ListPaymentsQueryDto extends PaginationQueryDto {
  @Optional()
  @IsIn(PAYMENT_STATUSES)
  @ApiProperty({ enum: PAYMENT_STATUSES, required: false })
  status?: PaymentStatus;

  /** Only payments parked for an admin (true), or only the others (false). */
  @Optional()
  @BooleanQuery()
  @IsBoolean()
  parked?: boolean;

  /** Refunds in that state (e.g. `failed`: the gateway would not pay them back yet). */
  @Optional()
  @IsIn(Object.values(RefundState))
  @ApiProperty({ enum: RefundState, required: false })
  refundState?: RefundState;
}

/** A webhook delivery was taken: handled now, or a delivery of an event handled before. */
export class WebhookAckDto {
  @ApiProperty({ enum: [true] })
  received!: true;
  /** The event had been handled before: nothing changed. */
  duplicate!: boolean;
}
