import Stripe from 'stripe';
import {
  type ChargeRequest,
  type ChargeResult,
  type GatewayPaymentState,
  InvalidWebhookSignatureError,
  PaymentGatewayError,
  type PaymentMethod,
  type PaymentProvider,
  type RefundRequest,
  type RefundResult,
  type VerifiedWebhook,
} from '../payment-provider.js';

/** How the adapter reaches Stripe (keys from the Stripe dashboard, Developers → API keys). */
export interface StripePaymentOptions {
  /** The secret API key (`sk_live_…`, `sk_test_…`, or a restricted `rk_…`). */
  secretKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  webhookSecret: string;
  /**
   * Another origin for Stripe's API (`http://127.0.0.1:4242`, e.g. a fake or stripe-mock), split
   * into the SDK's `protocol`/`host`/`port`; unset for `https://api.stripe.com`.
   */
  apiUrl?: string;
  /** Per HTTP attempt, in milliseconds (the SDK's `timeout`). */
  timeoutMs: number;
  /**
   * Retries the SDK makes after a network error, timeout, 409 or 5xx, with the same idempotency
   * key (so a create or refund is never made twice); 1 by default, so a hung Stripe costs about
   * `2 × timeoutMs + 0.5 s` (the SDK's first back-off) before `PaymentGatewayError`.
   */
  maxNetworkRetries?: number;
}

/** Stripe's tolerance for a webhook signature's timestamp, in seconds (its documented default). */
const WEBHOOK_TOLERANCE_S = 300;
const DEFAULT_MAX_NETWORK_RETRIES = 1;
/** Stripe's currency code for EGP, whose smallest unit (the piastre) Stripe's amounts count. */
const CURRENCY = 'egp';
/** Keys and secrets as Stripe spells them, even partly masked as in its 401 message. */
const STRIPE_SECRET_PATTERN = /\b(?:sk|rk|pk|whsec)_[A-Za-z0-9_*]+/g;
const REDACTED = '[redacted]';

/**
 * `PaymentProvider` over Stripe's PaymentIntents, through the official `stripe` SDK
 * (https://docs.stripe.com/api/payment_intents, https://docs.stripe.com/api/refunds,
 * https://docs.stripe.com/webhooks/signature). Amounts are integer piastres on both sides:
 * Stripe counts EGP in its smallest unit (https://docs.stripe.com/currencies#zero-decimal: EGP
 * is a two-decimal currency), so no conversion happens.
 *
 * - `charge` creates a card PaymentIntent (`allowed_payment_method_types: ['card']`, which the
 *   SDK's pinned API version 2026-10-28 takes in place of the removed `payment_method_types`;
 *   `currency: 'egp'`; metadata `paymentId`/`payerId`, no personal data) with the idempotency key
 *   `payment:<paymentId>`: a retry within Stripe's 24 hours gets the same PaymentIntent
 *   (https://docs.stripe.com/api/idempotent_requests). The app confirms it with the returned
 *   client secret; a PaymentIntent never expires at Stripe, so `expiresAt` is the request's.
 * - `status` retrieves the PaymentIntent with `latest_charge` expanded and maps its `status`
 *   (https://docs.stripe.com/payments/paymentintents/lifecycle): `succeeded` → `paid` (or
 *   `refunded` / `partially_refunded` by the charge's `amount_refunded`), `processing` and
 *   `requires_*` → `pending`, `canceled` → `failed`.
 * - `refund` creates a Refund for the PaymentIntent with the idempotency key
 *   `refund:<idempotencyKey>`; a refund Stripe refuses (400/404: nothing left to refund, unknown
 *   PaymentIntent) is `failed` with Stripe's message.
 * - `verifyWebhook` checks `Stripe-Signature` over the raw body with the SDK
 *   (`webhooks.constructEvent`, 300 s tolerance).
 *
 * Errors: a network error, timeout, 409, 429 or 5xx (after the SDK's retries) throws
 * `PaymentGatewayError` with `retryable: true`; a refusal (400, 401 wrong key, 402 card error,
 * 403, 404, idempotency key reused with other parameters) with `retryable: false`. Messages never
 * hold the secret key or the webhook secret.
 *
 * Not a Nest provider itself: the payments module builds it from configuration.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly methods: readonly PaymentMethod[] = ['card'];

  private readonly stripe: Stripe;

  /** @throws Error when `apiUrl` is not an `http(s)://host[:port]` origin (a configuration error) */
  constructor(private readonly options: StripePaymentOptions) {
    this.stripe = new Stripe(options.secretKey, {
      ...apiAddress(options.apiUrl),
      timeout: options.timeoutMs,
      maxNetworkRetries: options.maxNetworkRetries ?? DEFAULT_MAX_NETWORK_RETRIES,
      telemetry: false,
    });
  }

  /**
   * Creates (or, for the same `paymentId`, finds again) the card PaymentIntent for
   * `request.amount` piastres.
   *
   * @returns the PaymentIntent id as `gatewayReference`, its `client_secret` as `clientSecret`
   * @throws PaymentGatewayError when Stripe can't be reached or refuses (see the class)
   * @throws RangeError when the amount is not a whole number of piastres > 0 (a caller's bug)
   */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    assertPiastres(request.amount, 'a charge');
    if (!this.methods.includes(request.method)) {
      throw new PaymentGatewayError(
        `Stripe takes card payments only (asked for ${request.method})`,
        false,
      );
    }
    const intent = await this.call('the charge', () =>
      this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: CURRENCY,
          allowed_payment_method_types: ['card'],
          description: request.description,
          metadata: { paymentId: request.paymentId, payerId: request.payer.id },
        },
        { idempotencyKey: `payment:${request.paymentId}` },
      ),
    );
    return {
      gatewayReference: intent.id,
      clientSecret: intent.client_secret ?? undefined,
      expiresAt: request.expiresAt,
    };
  }

  /**
   * The PaymentIntent's state now (amounts in piastres; `transactionId` is its latest charge).
   *
   * @throws PaymentGatewayError when Stripe can't be asked, does not know the PaymentIntent
   *   (404, not retryable), or holds it in another currency than EGP
   */
  async status(gatewayReference: string): Promise<GatewayPaymentState> {
    const intent = await this.call('the payment status', () =>
      this.stripe.paymentIntents.retrieve(gatewayReference, { expand: ['latest_charge'] }),
    );
    if (intent.currency !== CURRENCY) {
      throw new PaymentGatewayError(
        `Stripe holds ${intent.id} in ${intent.currency}, not ${CURRENCY}`,
        false,
      );
    }
    const latest = intent.latest_charge;
    const charge = typeof latest === 'object' ? latest : null;
    const transactionId = (typeof latest === 'string' ? latest : latest?.id) ?? undefined;
    switch (intent.status) {
      case 'succeeded':
        return paidState(intent.amount_received, charge?.amount_refunded ?? 0, transactionId);
      case 'canceled':
        return { status: 'failed', refundedAmount: 0, transactionId };
      case 'processing':
      case 'requires_action':
      case 'requires_capture':
      case 'requires_confirmation':
      case 'requires_payment_method':
      default:
        // and any state Stripe may add: never reported as paid until Stripe says so
        return { status: 'pending', refundedAmount: 0, transactionId };
    }
  }

  /**
   * Refunds `request.amount` piastres of the PaymentIntent's charge, once per `idempotencyKey`.
   *
   * @returns `refunded` (Stripe `succeeded`, or `charge_already_refunded`: the charge was wholly
   *   refunded before, e.g. from the dashboard), `pending` (`pending`, `requires_action`), or
   *   `failed` with Stripe's `failure_reason` (`failed`, `canceled`) or refusal message
   * @throws PaymentGatewayError when Stripe can't be reached (retry with the same key), refuses
   *   our key, or the idempotency key was used with other parameters
   * @throws RangeError when the amount is not a whole number of piastres > 0 (a caller's bug)
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    assertPiastres(request.amount, 'a refund');
    let refund: Stripe.Refund;
    try {
      refund = await this.stripe.refunds.create(
        {
          payment_intent: request.gatewayReference,
          amount: request.amount,
          reason: 'requested_by_customer',
          metadata: { paymentId: request.paymentId, reason: request.reason },
        },
        { idempotencyKey: `refund:${request.idempotencyKey}` },
      );
    } catch (error) {
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.code === 'charge_already_refunded'
      ) {
        // wholly refunded already (from the dashboard, a dispute): the money is back with the payer
        return { status: 'refunded' };
      }
      if (error instanceof Stripe.errors.StripeInvalidRequestError) {
        return { status: 'failed', reason: this.redact(error.message) };
      }
      throw this.gatewayError('the refund', error);
    }
    switch (refund.status) {
      case 'succeeded':
        return { status: 'refunded', refundId: refund.id };
      case 'failed':
      case 'canceled':
        return { status: 'failed', reason: refund.failure_reason ?? `Stripe ${refund.status}` };
      case 'pending':
      case 'requires_action':
      default:
        return { status: 'pending', refundId: refund.id };
    }
  }

  /**
   * Verifies `Stripe-Signature` (any header case) over `rawBody` exactly as received, with the
   * webhook secret and a 300 s tolerance (https://docs.stripe.com/webhooks/signature).
   *
   * @returns for `payment_intent.*` the PaymentIntent and its `amount`; for `charge.refunded` the
   *   charge's PaymentIntent and amount; for `charge.refund.updated` and `refund.*` the refund's
   *   PaymentIntent (no amount: a refund's is not the payment's); null for any other event, or
   *   one not about a PaymentIntent
   * @throws InvalidWebhookSignatureError when the header is missing, the signature does not match
   *   the body, the timestamp is older than 300 s, or the body is not an event
   */
  verifyWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): VerifiedWebhook | null {
    const signature = headerOf(headers, 'stripe-signature');
    if (signature === undefined) {
      throw new InvalidWebhookSignatureError('the Stripe webhook has no Stripe-Signature header');
    }
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.options.webhookSecret,
        WEBHOOK_TOLERANCE_S,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : 'not an event';
      throw new InvalidWebhookSignatureError(`Stripe webhook refused: ${this.redact(reason)}`);
    }
    return webhookOf(event);
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.gatewayError(what, error);
    }
  }

  private gatewayError(what: string, error: unknown): PaymentGatewayError {
    if (!(error instanceof Stripe.errors.StripeError)) {
      return new PaymentGatewayError(`Stripe could not be asked for ${what}`, true, {
        cause: error,
      });
    }
    const status = error.statusCode === undefined ? '' : ` (HTTP ${error.statusCode})`;
    const code = error.code ? ` ${error.code}` : '';
    return new PaymentGatewayError(
      `Stripe ${error.rawType ?? error.type}${status}${code} for ${what}: ${this.redact(error.message)}`,
      isRetryable(error),
      { cause: error },
    );
  }

  private redact(text: string): string {
    const { secretKey, webhookSecret } = this.options;
    return [secretKey, webhookSecret]
      .filter((secret) => secret.length > 0)
      .reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text)
      .replace(STRIPE_SECRET_PATTERN, REDACTED);
  }
}

/** The SDK's `protocol`/`host`/`port` for `apiUrl` (none: Stripe's own). */
function apiAddress(apiUrl: string | undefined): {
  protocol?: 'http' | 'https';
  host?: string;
  port?: number;
} {
  if (apiUrl === undefined || apiUrl === '') {
    return {};
  }
  const url = new URL(apiUrl);
  const protocol = url.protocol.replace(/:$/, '');
  if ((protocol !== 'http' && protocol !== 'https') || url.pathname.replace(/\/+$/, '') !== '') {
    throw new Error('the Stripe API URL must be an http(s) origin, e.g. http://127.0.0.1:4242');
  }
  return {
    protocol,
    // http.request wants an IPv6 address without its brackets
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port),
  };
}

/** Network, timeout, conflict, rate limit and server errors may pass; refusals won't. */
function isRetryable(error: InstanceType<typeof Stripe.errors.StripeError>): boolean {
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError
  ) {
    return true;
  }
  const status = error.statusCode;
  return status !== undefined && (status >= 500 || status === 409 || status === 429);
}

function paidState(
  received: number,
  refunded: number,
  transactionId: string | undefined,
): GatewayPaymentState {
  if (refunded <= 0) {
    return { status: 'paid', amount: received, refundedAmount: 0, transactionId };
  }
  return {
    status: refunded >= received ? 'refunded' : 'partially_refunded',
    amount: received,
    refundedAmount: refunded,
    transactionId,
  };
}

function assertPiastres(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new RangeError(`${what} is a whole number of piastres > 0 (got ${amount})`);
  }
}

function headerOf(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  // a repeated Stripe-Signature is not Stripe's (it sends one)
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What a verified event says about a PaymentIntent, if it is about one's money. */
function webhookOf(event: Stripe.Event): VerifiedWebhook | null {
  const object: unknown = event.data?.object;
  if (!isRecord(object)) {
    return null;
  }
  const about = (gatewayReference: unknown, amount?: unknown): VerifiedWebhook | null => {
    if (typeof gatewayReference !== 'string' || gatewayReference === '') {
      return null;
    }
    return {
      provider: 'stripe',
      eventId: event.id,
      type: event.type,
      gatewayReference,
      ...(Number.isSafeInteger(amount) ? { amount: amount as number } : {}),
    };
  };
  if (event.type.startsWith('payment_intent.') && object.object === 'payment_intent') {
    return about(object.id, object.amount);
  }
  if (event.type === 'charge.refunded' && object.object === 'charge') {
    return about(idOf(object.payment_intent), object.amount);
  }
  const aboutRefund = event.type === 'charge.refund.updated' || event.type.startsWith('refund.');
  if (aboutRefund && object.object === 'refund') {
    return about(idOf(object.payment_intent));
  }
  return null;
}

/** An expandable field's id: the string itself, or the expanded object's `id`. */
function idOf(field: unknown): unknown {
  return isRecord(field) ? field.id : field;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
