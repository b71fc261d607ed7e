/**
 * The port a client's payment comes in through (DESIGN.md "Money": `PaymentProvider`).
 * Adapters: `fawry` (FawryPay's signed HTTP API, `providers/fawry-payment.provider.ts`) and
 * `stripe` (PaymentIntents through the `stripe` SDK, `providers/stripe-payment.provider.ts`).
 * A provider without configuration is off: `PaymentsService` answers 409
 * `PROVIDER_NOT_CONFIGURED` for it and the adapter is never called.
 *
 * Amounts crossing this port are integer piastres (1 EGP = 100); each adapter converts to its
 * gateway's unit (Fawry: EGP with two decimals; Stripe: the smallest unit, piastres).
 */
export type PaymentProviderName = 'fawry' | 'stripe';
export const PAYMENT_PROVIDERS: readonly PaymentProviderName[] = ['fawry', 'stripe'];

/** How the client pays (API.md `POST /payments/initiate`). */
export type PaymentMethod = 'card' | 'pay_at_fawry' | 'wallet';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['card', 'pay_at_fawry', 'wallet'];

/** Who pays: what the gateway may show or need (never logged). */
export interface Payer {
  /** Our user id: Fawry's `customerProfileId`, Stripe metadata. */
  id: string;
  name: string;
  email: string;
  /** E.164 (`+201xxxxxxxxx`), when known. */
  phone?: string;
}

export interface ChargeRequest {
  /** Our payment's id: Fawry's `merchantRefNum`, Stripe's idempotency key and metadata. */
  paymentId: string;
  /** Integer piastres, > 0. */
  amount: number;
  currency: 'EGP';
  method: PaymentMethod;
  /** Shown by the gateway (e.g. the job's title), ≤ 100 characters. */
  description: string;
  payer: Payer;
  /** When an unpaid charge should stop being payable (Fawry's `paymentExpiry`). */
  expiresAt: Date;
}

/** What the client needs to pay a charge; every field but `gatewayReference` is optional. */
export interface ChargeResult {
  /**
   * The gateway's identity of the charge, by which its webhooks and status name it: Stripe's
   * PaymentIntent id (`pi_…`); for Fawry our payment id (its `merchantRefNumber`).
   */
  gatewayReference: string;
  /** Stripe: the PaymentIntent's client secret, for the app's Stripe SDK. */
  clientSecret?: string;
  /** Fawry PayAtFawry: the number the client gives at a Fawry outlet. */
  referenceNumber?: string;
  /** A page where the client completes the payment (Fawry card/wallet 3-D Secure, QR). */
  paymentUrl?: string;
  /** When the gateway stops accepting it, if it says; otherwise the request's `expiresAt`. */
  expiresAt?: Date;
}

/**
 * What the gateway says of a charge now (its status API: Fawry Payment Status V2, Stripe's
 * PaymentIntent retrieve):
 * - `pending`: not paid yet (Fawry `NEW`/`UNPAID`; Stripe `requires_*`, `processing`);
 * - `paid`: the money came in (`amount` received, piastres);
 * - `refunded` / `partially_refunded`: it came in and `refundedAmount` went back;
 * - `failed`: it will not be paid (Fawry `FAILED`/`CANCELED`; Stripe `canceled`);
 * - `expired`: Fawry `EXPIRED` (an unpaid reference number that ran out).
 */
export interface GatewayPaymentState {
  status: 'pending' | 'paid' | 'refunded' | 'partially_refunded' | 'failed' | 'expired';
  /** What the gateway says was paid (piastres), when it was; for Fawry its `orderAmount`. */
  amount?: number;
  /** What was refunded so far (piastres), 0 when nothing. */
  refundedAmount: number;
  /** The gateway's id of the money movement (Fawry `referenceNumber`, Stripe charge id). */
  transactionId?: string;
}

export interface RefundRequest {
  paymentId: string;
  /** The reference `charge` returned. */
  gatewayReference: string;
  /** Fawry: the `referenceNumber` of the paid charge (its refund API names it). */
  referenceNumber?: string;
  /** Integer piastres, > 0, at most what was paid. */
  amount: number;
  /** Why, for the gateway's records (no personal data). */
  reason: string;
  /**
   * Our identity of this refund, the same on every retry: Stripe's Idempotency-Key, so a retry
   * after a lost answer refunds once.
   */
  idempotencyKey: string;
}

export type RefundResult =
  | { status: 'refunded'; refundId?: string }
  /** The gateway accepted it and will finish it later (Stripe `pending`). */
  | { status: 'pending'; refundId?: string }
  /** The gateway refused it (`reason` for people; never credentials). */
  | { status: 'failed'; reason: string };

/**
 * A webhook as the gateway sent it, verified: a hint that a payment changed, to be confirmed
 * with `status` before any money moves (DESIGN.md "Money": webhooks are hints).
 */
export interface VerifiedWebhook {
  provider: PaymentProviderName;
  /** The event's identity (Stripe `evt_…`; Fawry `requestId`, else a hash of the body). */
  eventId: string;
  /** The event's type (Stripe `payment_intent.succeeded`; Fawry its `orderStatus`). */
  type: string;
  /** The charge it is about: the `gatewayReference` `charge` returned. */
  gatewayReference: string;
  /** The amount the event reports (piastres), when it reports one. */
  amount?: number;
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** The methods this gateway takes (Stripe: `card`; Fawry: all three). */
  readonly methods: readonly PaymentMethod[];
  /**
   * Creates the charge at the gateway. Safe to call again for the same payment (a retry after
   * a lost answer): Stripe gets `paymentId` as its idempotency key, Fawry the same
   * `merchantRefNum`.
   *
   * @throws PaymentGatewayError when the gateway can't be reached or refuses (nothing to pay)
   */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /**
   * The charge's state at the gateway now.
   * @throws PaymentGatewayError when the gateway can't be asked (try again later)
   */
  status(gatewayReference: string): Promise<GatewayPaymentState>;
  /**
   * Gives money back to the payer through the gateway.
   * @throws PaymentGatewayError when the gateway can't be reached (nothing is known: retry with
   *   the same `idempotencyKey`)
   */
  refund(request: RefundRequest): Promise<RefundResult>;
  /**
   * Verifies a webhook on the bytes received (Stripe: `Stripe-Signature` over the raw body,
   * 300 s tolerance; Fawry: `messageSignature` over the notification's fields).
   *
   * @throws InvalidWebhookSignatureError when it is not the gateway's (answer 400
   *   `INVALID_SIGNATURE`)
   * @returns null for a verified event that is not about a payment's money (ignored, 200)
   */
  verifyWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): VerifiedWebhook | null;
}

/** The gateway could not be asked, or refused a request: nothing changed at the gateway. */
export class PaymentGatewayError extends Error {
  constructor(
    message: string,
    /** Whether asking again later may work (network, timeout, 5xx) or not (4xx refusal). */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PaymentGatewayError';
  }
}

/** A webhook that is not the gateway's (bad or missing signature, stale timestamp, bad body). */
export class InvalidWebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidWebhookSignatureError';
  }
}

/** Nest injection token of the configured payment providers (`PaymentProvider[]`). */
export const PAYMENT_PROVIDERS_TOKEN = Symbol('PaymentProviders');
