import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import {
  PAYMENT_METHODS,
  PAYMENT_PROVIDERS,
  type PaymentMethod,
  type PaymentProviderName,
} from '../payment-provider.js';

/**
 * A payment's life (API.md "Money", `GET /payments/:id`): `pending` (initiated, not paid yet) →
 * `held` (the gateway confirmed it: the money is in the job's escrow) → `released` (to the
 * craftsman's wallet at completion) or `refunded` / `partially_refunded`; `failed` or `expired`
 * when it was never paid. A payment confirmed after it failed or expired is still held: the
 * money came in.
 */
export enum PaymentStatus {
  Pending = 'pending',
  Held = 'held',
  Released = 'released',
  Refunded = 'refunded',
  PartiallyRefunded = 'partially_refunded',
  Failed = 'failed',
  Expired = 'expired',
}
export const PAYMENT_STATUSES = Object.values(PaymentStatus);

/**
 * What a payment is for: a hired job, held in its escrow until completion (`job`), or money a
 * craftsman puts in his wallet, settling the fees he owes first (`top_up`, `POST
 * /wallet/top-up`): a top-up goes straight to the wallet (`released`) when paid.
 */
export enum PaymentPurpose {
  Job = 'job',
  TopUp = 'top_up',
}

/**
 * Where giving the money back through the gateway stands: `due` (posted to the ledger, not
 * asked of the gateway yet, or to ask again at `nextAttemptAt`), `pending` (the gateway accepted
 * it and finishes later), `failed` (the last attempt failed: retried at `nextAttemptAt`, shown to
 * admins), `done`.
 */
export enum RefundState {
  Due = 'due',
  Pending = 'pending',
  Failed = 'failed',
  Done = 'done',
}

@Schema({ _id: false })
export class GatewayRefund {
  @Prop({ required: true, enum: RefundState })
  state!: RefundState;

  /** Integer piastres. */
  @Prop({ required: true })
  amount!: number;

  @Prop({ required: true })
  reason!: string;

  @Prop({ default: 0 })
  attempts!: number;

  /** Why the last attempt failed (the gateway's words; never credentials). */
  @Prop({ type: String, default: null })
  lastError!: string | null;

  /** When to ask the gateway (again); also the claim of the instance asking now. */
  @Prop({ type: Date, default: null })
  nextAttemptAt!: Date | null;

  @Prop({ type: String, default: null })
  refundId!: string | null;

  @Prop({ type: Date, default: null })
  doneAt!: Date | null;
}
const GatewayRefundSchema = SchemaFactory.createForClass(GatewayRefund);

/** A payment an admin must look at: the gateway reported an amount other than the one due. */
@Schema({ _id: false })
export class ParkedPayment {
  @Prop({ required: true })
  reason!: string;

  /** What the gateway reported (piastres). */
  @Prop({ type: Number, default: null })
  reportedAmount!: number | null;

  @Prop({ required: true })
  at!: Date;
}
const ParkedPaymentSchema = SchemaFactory.createForClass(ParkedPayment);

@Schema({ collection: 'payments', timestamps: true })
export class Payment {
  @Prop({ required: true, enum: PaymentPurpose, default: PaymentPurpose.Job })
  purpose!: PaymentPurpose;

  /** The job paid for; null for a top-up. */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  job!: Types.ObjectId | null;

  /** Who pays: the job's client, or the craftsman topping up. */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  payer!: Types.ObjectId;

  /** The craftsman the money is for (the hired one, or the one topping up). */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  payee!: Types.ObjectId;

  @Prop({ required: true, enum: PAYMENT_PROVIDERS })
  provider!: PaymentProviderName;

  @Prop({ required: true, enum: PAYMENT_METHODS })
  method!: PaymentMethod;

  @Prop({ required: true, enum: PaymentStatus, default: PaymentStatus.Pending })
  status!: PaymentStatus;

  /** Integer piastres: the job's price. */
  @Prop({ required: true, min: 1 })
  amount!: number;

  @Prop({ required: true, default: 'EGP' })
  currency!: 'EGP';

  /**
   * The job, while this payment is its live one (pending or held): unique, so a job has one
   * live payment however many initiates race. Unset when it fails, expires or is refunded.
   */
  @Prop({ type: SchemaTypes.ObjectId })
  liveFor?: Types.ObjectId;

  /** `<payerId>:<Idempotency-Key>`, or `<payerId>:<random>` without the header; unique. */
  @Prop({ required: true, unique: true })
  idempotencyKey!: string;

  /** A hash of the request's body: the same key with another body is refused. */
  @Prop({ required: true })
  requestHash!: string;

  /** The gateway's identity of the charge (Stripe `pi_…`; Fawry our id); null before it. */
  @Prop({ type: String, default: null })
  gatewayReference!: string | null;

  /** Stripe's client secret, for the payer's app only. */
  @Prop({ type: String, default: null })
  clientSecret!: string | null;

  /** Fawry's reference number (PayAtFawry: paid with it at an outlet). */
  @Prop({ type: String, default: null })
  referenceNumber!: string | null;

  @Prop({ type: String, default: null })
  paymentUrl!: string | null;

  @Prop({ required: true })
  expiresAt!: Date;

  /** The gateway's id of the money movement, once paid. */
  @Prop({ type: String, default: null })
  transactionId!: string | null;

  @Prop({ type: Date, default: null })
  heldAt!: Date | null;

  @Prop({ type: Date, default: null })
  releasedAt!: Date | null;

  /** Piastres given back so far. */
  @Prop({ default: 0 })
  refundedAmount!: number;

  @Prop({ type: GatewayRefundSchema, default: null })
  refund!: GatewayRefund | null;

  @Prop({ type: ParkedPaymentSchema, default: null })
  parked!: ParkedPayment | null;

  /** Why it failed (the gateway's words, or `job_cancelled`). */
  @Prop({ type: String, default: null })
  failureReason!: string | null;
}

export type PaymentDocument = HydratedDocument<Payment>;
export const PaymentSchema = SchemaFactory.createForClass(Payment);
// one live payment per job; a job's payments; webhooks find theirs by the gateway's reference;
// the admin list by status; the sweeps: pending ones past expiry, refunds to (re)send
PaymentSchema.index({ liveFor: 1 }, { unique: true, sparse: true });
PaymentSchema.index({ job: 1, status: 1 });
PaymentSchema.index({ provider: 1, gatewayReference: 1 });
PaymentSchema.index({ status: 1, createdAt: -1, _id: -1 });
PaymentSchema.index({ status: 1, expiresAt: 1 });
PaymentSchema.index({ 'refund.state': 1, 'refund.nextAttemptAt': 1 });
PaymentSchema.index({ 'parked.at': 1 }, { sparse: true });
// a person's payments, as payer or as payee (account deletion's check, the data export)
PaymentSchema.index({ payer: 1, status: 1 });
PaymentSchema.index({ payee: 1, status: 1 });
// the payments a person made, newest first (his history for staff)
PaymentSchema.index({ payer: 1, createdAt: -1, _id: -1 });

export interface PaymentEntity {
  id: string;
  purpose: PaymentPurpose;
  /** Null for a top-up. */
  job: string | null;
  payer: string;
  payee: string;
  provider: PaymentProviderName;
  method: PaymentMethod;
  status: PaymentStatus;
  amount: number;
  currency: 'EGP';
  liveFor?: string;
  idempotencyKey: string;
  requestHash: string;
  gatewayReference: string | null;
  clientSecret: string | null;
  referenceNumber: string | null;
  paymentUrl: string | null;
  expiresAt: Date;
  transactionId: string | null;
  heldAt: Date | null;
  releasedAt: Date | null;
  refundedAmount: number;
  refund: GatewayRefund | null;
  parked: ParkedPayment | null;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}
