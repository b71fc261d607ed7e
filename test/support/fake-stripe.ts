import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * How the fake answers the next authenticated API request (any endpoint):
 * - `http500`: HTTP 500 in Stripe's error shape (`api_error`) before the endpoint runs: nothing
 *   is made and nothing is saved under the idempotency key (the SDK retries it);
 * - `hang`: the request is carried out (and its result saved under its idempotency key) but the
 *   answer never comes, as when Stripe's answer is lost.
 */
export type FakeStripeOutcome = 'http500' | 'hang';

/** One HTTP request the fake received, as it parsed it. */
export interface FakeStripeRequest {
  method: string;
  /** Without the query: `/v1/payment_intents/pi_…`. */
  path: string;
  /** The query, bracket notation unfolded (`expand[0]=latest_charge` → `{ expand: [...] }`). */
  query: Record<string, unknown>;
  /** The form body, unfolded the same way (`metadata[paymentId]` → `{ metadata: { paymentId } }`). */
  params: Record<string, unknown>;
  idempotencyKey?: string;
  /** The `Stripe-Version` header the SDK pinned. */
  stripeVersion?: string;
  /** The HTTP status answered, or `hang`. */
  answer: number | 'hang';
  /** Whether the answer was a replay of an earlier one with the same idempotency key. */
  replayed: boolean;
}

type IntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

/** A PaymentIntent as Stripe shows it (https://docs.stripe.com/api/payment_intents/object). */
export interface FakePaymentIntent {
  id: string;
  object: 'payment_intent';
  /** In the currency's smallest unit (piastres for `egp`). */
  amount: number;
  amount_capturable: number;
  amount_received: number;
  allowed_payment_method_types: string[] | null;
  payment_method_types: string[];
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic';
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  description: string | null;
  last_payment_error: Record<string, unknown> | null;
  /** The id of the latest charge (expanded to the charge with `expand[]=latest_charge`). */
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  payment_method: string | null;
  status: IntentStatus;
}

/** A charge as Stripe shows it (https://docs.stripe.com/api/charges/object). */
export interface FakeCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Record<string, string>;
  paid: boolean;
  payment_intent: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

/** A refund as Stripe shows it (https://docs.stripe.com/api/refunds/object). */
export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  failure_reason?: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded' | 'pending' | 'requires_action' | 'failed' | 'canceled';
}

/** How the fake settles the next refunds made through the API (after them, `succeeded`). */
export interface FakeRefundOutcome {
  status: 'pending' | 'requires_action' | 'failed' | 'canceled';
  /** Stripe's `failure_reason` for `failed` / `canceled` (e.g. `expired_or_canceled_card`). */
  failureReason?: string;
}

interface Answer {
  status: number;
  body: unknown;
}

/** What the SDK may send to create a PaymentIntent in the pinned API version (top level). */
const INTENT_CREATE_PARAMS = new Set([
  'amount',
  'currency',
  'allowed_payment_method_types',
  'automatic_payment_methods',
  'capture_method',
  'confirm',
  'customer',
  'description',
  'excluded_payment_method_types',
  'expand',
  'metadata',
  'payment_method',
  'receipt_email',
  'setup_future_usage',
  'statement_descriptor',
  'statement_descriptor_suffix',
]);
const REFUND_CREATE_PARAMS = new Set([
  'amount',
  'charge',
  'currency',
  'expand',
  'instructions_email',
  'metadata',
  'payment_intent',
  'reason',
]);
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];
const CANCELABLE: IntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const INTENT_PATH = /^\/v1\/payment_intents\/([^/]+)$/;
const INTENT_CANCEL_PATH = /^\/v1\/payment_intents\/([^/]+)\/cancel$/;

/**
 * The parts of Stripe's API (https://docs.stripe.com/api) that `StripePaymentProvider` reaches
 * through the `stripe` SDK, as a real HTTP server on 127.0.0.1 (point the SDK at it with
 * `host`/`port`/`protocol`):
 * - `POST /v1/payment_intents` (form-encoded, bracket notation; unknown top-level parameters are
 *   refused with `parameter_unknown` as Stripe does, e.g. `payment_method_types`, which API
 *   version 2026-09-30 removed from creation), `GET /v1/payment_intents/:id` (with
 *   `expand[]=latest_charge` or `expand[0]=latest_charge`), `POST /v1/payment_intents/:id/cancel`,
 *   `POST /v1/refunds` (by `payment_intent` or `charge`, at most the unrefunded amount);
 * - `Authorization: Bearer <secret key>`: a missing or other key gets 401 in Stripe's error shape;
 * - `Idempotency-Key` on POSTs (https://docs.stripe.com/api/idempotent_requests): the same key
 *   with the same parameters replays the first answer (`Idempotent-Replayed: true`), with other
 *   parameters gets 400 `idempotency_error`; as at Stripe, only results of requests that ran are
 *   saved (a refused parameter check or an `http500` is not).
 *
 * The payer's and Stripe's side are test controls (`succeed`, `process`, `fail`, `cancel`,
 * `refundAtStripe`), and `event` + `signedDelivery` build the webhook Stripe would send, signed
 * with the SDK's own `webhooks.generateTestHeaderString`.
 */
export class FakeStripe {
  /** The secret key the fake accepts (`sk_test_…`). */
  readonly secretKey: string;
  /** The webhook signing secret `signedDelivery` signs with (`whsec_…`). */
  readonly webhookSecret: string;
  /** Every PaymentIntent made, by id. */
  readonly intents = new Map<string, FakePaymentIntent>();
  /** Every charge made (paid or failed), by id. */
  readonly charges = new Map<string, FakeCharge>();
  /** Every refund made (API or dashboard), by id, oldest first. */
  readonly refunds = new Map<string, FakeRefund>();
  /** Every request received, oldest first. */
  readonly requests: FakeStripeRequest[] = [];

  private readonly outcomes: FakeStripeOutcome[] = [];
  private readonly refundOutcomes: FakeRefundOutcome[] = [];
  private readonly saved = new Map<string, { fingerprint: string; answer: Answer }>();
  private readonly hanging: ServerResponse[] = [];
  private server?: Server;

  constructor(options: { secretKey?: string; webhookSecret?: string } = {}) {
    this.secretKey = options.secretKey ?? `sk_test_${token(24)}`;
    this.webhookSecret = options.webhookSecret ?? `whsec_${token(32)}`;
  }

  /** Listens on a free port of 127.0.0.1. @returns the origin to give the adapter as `apiUrl` */
  async start(): Promise<{ apiUrl: string }> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        respond(response, 500, apiError('api_error', String(error)));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { apiUrl: `http://127.0.0.1:${port}` };
  }

  /** Closes the server, cutting the answers still hanging and the SDK's kept-alive sockets. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    this.hanging.splice(0).forEach((response) => response.destroy());
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The answers to the next authenticated requests, in order; after them, normal answers. */
  answerNext(...outcomes: FakeStripeOutcome[]): void {
    this.outcomes.push(...outcomes);
  }

  /** How the next refunds made through the API end, in order; after them, `succeeded`. */
  answerNextRefunds(...outcomes: FakeRefundOutcome[]): void {
    this.refundOutcomes.push(...outcomes);
  }

  /**
   * The payer pays: the PaymentIntent `succeeded` with a paid charge of `amount` (by default the
   * intent's) as `amount_received` and `latest_charge`.
   */
  succeed(intentId: string, options: { amount?: number } = {}): FakeCharge {
    const intent = this.intent(intentId);
    assertState(intent, [
      'requires_payment_method',
      'requires_confirmation',
      'requires_action',
      'processing',
    ]);
    const amount = options.amount ?? intent.amount;
    const charge = this.makeCharge(intent, { amount, paid: true });
    Object.assign(intent, {
      status: 'succeeded',
      amount_received: amount,
      latest_charge: charge.id,
      last_payment_error: null,
      payment_method: intent.payment_method ?? `pm_${token(24)}`,
    });
    return charge;
  }

  /** The payment is under way (Stripe `processing`, e.g. a bank still deciding). */
  process(intentId: string): void {
    const intent = this.intent(intentId);
    assertState(intent, ['requires_payment_method', 'requires_confirmation', 'requires_action']);
    intent.status = 'processing';
    intent.payment_method ??= `pm_${token(24)}`;
  }

  /**
   * The card is declined: a failed charge, and the PaymentIntent back to
   * `requires_payment_method` with `last_payment_error` (the payer may try another card).
   */
  fail(intentId: string): FakeCharge {
    const intent = this.intent(intentId);
    assertState(intent, [
      'requires_payment_method',
      'requires_confirmation',
      'requires_action',
      'processing',
    ]);
    const charge = this.makeCharge(intent, { amount: intent.amount, paid: false });
    const paymentMethod = `pm_${token(24)}`;
    Object.assign(intent, {
      status: 'requires_payment_method',
      latest_charge: charge.id,
      payment_method: null,
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        charge: charge.id,
        payment_method: { id: paymentMethod, object: 'payment_method', type: 'card' },
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      },
    });
    return charge;
  }

  /** The PaymentIntent is canceled (from the dashboard, or by Stripe), as `reason`. */
  cancel(intentId: string, reason = 'abandoned'): void {
    const intent = this.intent(intentId);
    assertState(intent, CANCELABLE);
    this.doCancel(intent, reason);
  }

  /**
   * A refund made at Stripe, e.g. from the dashboard: `amount` (by default all that is left) of
   * the paid charge, `succeeded` at once.
   */
  refundAtStripe(intentId: string, amount?: number): FakeRefund {
    const intent = this.intent(intentId);
    const charge = this.paidChargeOf(intent);
    if (!charge) {
      throw new Error(`${intentId} has no paid charge to refund`);
    }
    const left = charge.amount - charge.amount_refunded;
    const refunded = amount ?? left;
    if (refunded <= 0 || refunded > left) {
      throw new Error(`cannot refund ${refunded} of ${charge.id}: ${left} left`);
    }
    return this.makeRefund(charge, {
      amount: refunded,
      reason: 'requested_by_customer',
      metadata: {},
      outcome: { status: 'succeeded' },
    });
  }

  /**
   * The Event Stripe would send now (https://docs.stripe.com/api/events/object), with as
   * `data.object`: the PaymentIntent for `payment_intent.*` and any type of another family; its
   * latest charge for `charge.*`; the latest refund of that charge for `charge.refund.*` and
   * `refund.*` (objects as the API shows them, unexpanded).
   *
   * @throws Error when the type names a charge or refund the PaymentIntent does not have
   */
  event(
    intentId: string,
    type: string,
    options: { id?: string; created?: number } = {},
  ): Record<string, unknown> {
    const intent = this.intent(intentId);
    return {
      id: options.id ?? `evt_${token(24)}`,
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: options.created ?? nowSeconds(),
      data: { object: clone(this.eventObject(intent, type)) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
  }

  /**
   * `event` as Stripe delivers it: the body as Stripe serialises it (JSON, two-space indent) and
   * `Stripe-Signature` computed by the SDK's `webhooks.generateTestHeaderString` over
   * `<timestamp>.<body>` (https://docs.stripe.com/webhooks/signature).
   *
   * @param options.timestamp the signature's time, in Unix seconds (default: now)
   * @param options.secret the signing secret (default: `webhookSecret`)
   */
  signedDelivery(
    event: Record<string, unknown>,
    options: { timestamp?: number; secret?: string } = {},
  ): { rawBody: Buffer; headers: { 'stripe-signature': string; 'content-type': string } } {
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? this.webhookSecret,
      timestamp: options.timestamp ?? nowSeconds(),
    });
    return {
      rawBody: Buffer.from(payload, 'utf8'),
      headers: {
        'stripe-signature': signature,
        'content-type': 'application/json; charset=utf-8',
      },
    };
  }

  /**
   * The delivery of the event of `type` about the PaymentIntent as it is now (`event`, then
   * `signedDelivery` with its options).
   */
  signedEvent(
    intentId: string,
    type: string,
    options: { timestamp?: number; secret?: string } = {},
  ): { rawBody: Buffer; headers: { 'stripe-signature': string; 'content-type': string } } {
    return this.signedDelivery(this.event(intentId, type), options);
  }

  /**
   * The id of the PaymentIntent made for the app's payment `paymentId` (its `metadata.paymentId`).
   * @throws Error when there is none
   */
  intentFor(paymentId: string): string {
    const intent = [...this.intents.values()].find(
      (candidate) => candidate.metadata.paymentId === paymentId,
    );
    if (!intent) {
      throw new Error(`no PaymentIntent for payment ${paymentId}`);
    }
    return intent.id;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const record: FakeStripeRequest = {
      method,
      path: url.pathname,
      query: unfold([...url.searchParams]),
      params: unfold([...new URLSearchParams(text)]),
      idempotencyKey: header(request, 'idempotency-key'),
      stripeVersion: header(request, 'stripe-version'),
      answer: 0,
      replayed: false,
    };
    this.requests.push(record);

    const refusal = this.authenticate(request);
    if (refusal) {
      return this.send(response, record, refusal);
    }
    const outcome = this.outcomes.shift();
    if (outcome === 'http500') {
      return this.send(response, record, {
        status: 500,
        body: apiError('api_error', 'An unknown error occurred. Please try again.'),
      });
    }
    const answer = this.idempotent(record, () => this.route(record));
    if (outcome === 'hang') {
      record.answer = 'hang';
      this.hanging.push(response);
      return;
    }
    this.send(response, record, answer);
  }

  private send(response: ServerResponse, record: FakeStripeRequest, answer: Answer): void {
    record.answer = answer.status;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': `req_${token(14)}`,
      'stripe-version': record.stripeVersion ?? Stripe.API_VERSION,
    };
    if (record.idempotencyKey) {
      headers['idempotency-key'] = record.idempotencyKey;
    }
    if (record.replayed) {
      headers['idempotent-replayed'] = 'true';
    }
    response.writeHead(answer.status, headers);
    response.end(JSON.stringify(answer.body, null, 2));
  }

  private authenticate(request: IncomingMessage): Answer | undefined {
    const authorization = header(request, 'authorization') ?? '';
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    const basic = /^Basic (.+)$/.exec(authorization)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString().split(':')[0] : '');
    if (!key) {
      return {
        status: 401,
        body: apiError(
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      };
    }
    if (key !== this.secretKey) {
      return {
        status: 401,
        body: apiError('invalid_request_error', `Invalid API Key provided: ${maskKey(key)}`),
      };
    }
    return undefined;
  }

  /** Stripe's idempotency layer: replay a saved 2xx answer, refuse a key reused differently. */
  private idempotent(record: FakeStripeRequest, run: () => Answer): Answer {
    const key = record.idempotencyKey;
    if (record.method !== 'POST' || !key) {
      return run();
    }
    const fingerprint = `${record.method} ${record.path} ${canonical(record.params)}`;
    const earlier = this.saved.get(key);
    if (earlier && earlier.fingerprint !== fingerprint) {
      return {
        status: 400,
        body: apiError(
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
      };
    }
    if (earlier) {
      record.replayed = true;
      return earlier.answer;
    }
    const answer = run();
    if (answer.status < 300) {
      this.saved.set(key, { fingerprint, answer });
    }
    return answer;
  }

  private route(record: FakeStripeRequest): Answer {
    const { method, path } = record;
    if (method === 'POST' && path === '/v1/payment_intents') {
      return this.createIntent(record.params);
    }
    if (method === 'POST' && path === '/v1/refunds') {
      return this.createRefund(record.params);
    }
    const cancel = INTENT_CANCEL_PATH.exec(path);
    if (method === 'POST' && cancel) {
      return this.cancelIntent(decodeURIComponent(cancel[1]), record.params);
    }
    const retrieve = INTENT_PATH.exec(path);
    if (method === 'GET' && retrieve) {
      return this.retrieveIntent(decodeURIComponent(retrieve[1]), record.query);
    }
    return {
      status: 404,
      body: apiError(
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      ),
    };
  }

  private createIntent(params: Record<string, unknown>): Answer {
    const refused =
      unknownParameter(params, INTENT_CREATE_PARAMS) ??
      requiredInteger(params, 'amount') ??
      requiredCurrency(params) ??
      metadataProblem(params.metadata);
    if (refused) {
      return refused;
    }
    const allowed = Array.isArray(params.allowed_payment_method_types)
      ? params.allowed_payment_method_types.map(String)
      : null;
    const id = `pi_${token(24)}`;
    const intent: FakePaymentIntent = {
      id,
      object: 'payment_intent',
      amount: Number(params.amount),
      amount_capturable: 0,
      amount_received: 0,
      allowed_payment_method_types: allowed,
      payment_method_types: allowed ?? ['card'],
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: `${id}_secret_${token(25)}`,
      confirmation_method: 'automatic',
      created: nowSeconds(),
      currency: String(params.currency),
      description: typeof params.description === 'string' ? params.description : null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: stringRecord(params.metadata),
      payment_method: null,
      status: 'requires_payment_method',
    };
    this.intents.set(id, intent);
    return { status: 200, body: clone(intent) };
  }

  private retrieveIntent(id: string, query: Record<string, unknown>): Answer {
    const intent = this.intents.get(id);
    if (!intent) {
      return noSuch('payment_intent', id, 'intent');
    }
    const expand = Array.isArray(query.expand) ? query.expand.map(String) : [];
    const unknown = expand.find((field) => field !== 'latest_charge');
    if (unknown) {
      return invalid(`This property cannot be expanded (${unknown}).`, 'expand');
    }
    const view: Omit<FakePaymentIntent, 'latest_charge'> & {
      latest_charge: string | FakeCharge | null;
    } = clone(intent);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (expand.includes('latest_charge') && charge) {
      view.latest_charge = clone(charge);
    }
    return { status: 200, body: view };
  }

  private cancelIntent(id: string, params: Record<string, unknown>): Answer {
    const intent = this.intents.get(id);
    if (!intent) {
      return noSuch('payment_intent', id, 'intent');
    }
    const reason = params.cancellation_reason;
    if (reason !== undefined && !CANCELLATION_REASONS.includes(text(reason))) {
      return invalid(
        `Invalid cancellation_reason: must be one of ${CANCELLATION_REASONS.join(', ')}`,
        'cancellation_reason',
      );
    }
    if (!CANCELABLE.includes(intent.status)) {
      return invalid(
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        undefined,
        'payment_intent_unexpected_state',
      );
    }
    this.doCancel(intent, reason === undefined ? null : text(reason));
    return { status: 200, body: clone(intent) };
  }

  private createRefund(params: Record<string, unknown>): Answer {
    const refused =
      unknownParameter(params, REFUND_CREATE_PARAMS) ?? metadataProblem(params.metadata);
    if (refused) {
      return refused;
    }
    if (params.reason !== undefined && !REFUND_REASONS.includes(text(params.reason))) {
      return invalid(
        'Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer',
        'reason',
      );
    }
    const found = this.refundTarget(params);
    if ('refusal' in found) {
      return found.refusal;
    }
    const { charge } = found;
    const left = charge.amount - charge.amount_refunded;
    if (left <= 0) {
      return invalid(
        `Charge ${charge.id} has already been refunded.`,
        undefined,
        'charge_already_refunded',
      );
    }
    let amount = left;
    if (params.amount !== undefined) {
      const refusal = requiredInteger(params, 'amount');
      if (refusal) {
        return refusal;
      }
      amount = Number(params.amount);
    }
    if (amount > left) {
      return invalid(
        `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(left, charge.currency)})`,
        'amount',
        'amount_too_large',
      );
    }
    const refund = this.makeRefund(charge, {
      amount,
      reason: typeof params.reason === 'string' ? params.reason : null,
      metadata: stringRecord(params.metadata),
      outcome: this.refundOutcomes.shift() ?? { status: 'succeeded' },
    });
    return { status: 200, body: refund };
  }

  private refundTarget(
    params: Record<string, unknown>,
  ): { charge: FakeCharge } | { refusal: Answer } {
    if (typeof params.payment_intent === 'string') {
      const intent = this.intents.get(params.payment_intent);
      if (!intent) {
        return { refusal: noSuch('payment_intent', params.payment_intent, 'payment_intent') };
      }
      const charge = this.paidChargeOf(intent);
      return charge
        ? { charge }
        : {
            refusal: invalid(
              `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
              'payment_intent',
            ),
          };
    }
    if (typeof params.charge === 'string') {
      const charge = this.charges.get(params.charge);
      if (!charge) {
        return { refusal: noSuch('charge', params.charge, 'charge') };
      }
      return charge.paid
        ? { charge }
        : { refusal: invalid(`Charge ${charge.id} has not been paid.`, 'charge') };
    }
    return {
      refusal: invalid(
        'One of the following params should be provided for this request: payment_intent or charge.',
      ),
    };
  }

  private makeCharge(
    intent: FakePaymentIntent,
    { amount, paid }: { amount: number; paid: boolean },
  ): FakeCharge {
    const charge: FakeCharge = {
      id: `ch_${token(24)}`,
      object: 'charge',
      amount,
      amount_captured: paid ? amount : 0,
      amount_refunded: 0,
      captured: paid,
      created: nowSeconds(),
      currency: intent.currency,
      failure_code: paid ? null : 'card_declined',
      failure_message: paid ? null : 'Your card was declined.',
      livemode: false,
      metadata: { ...intent.metadata },
      paid,
      payment_intent: intent.id,
      refunded: false,
      status: paid ? 'succeeded' : 'failed',
    };
    this.charges.set(charge.id, charge);
    return charge;
  }

  private makeRefund(
    charge: FakeCharge,
    options: {
      amount: number;
      reason: string | null;
      metadata: Record<string, string>;
      outcome: FakeRefundOutcome | { status: 'succeeded' };
    },
  ): FakeRefund {
    const { status } = options.outcome;
    const refund: FakeRefund = {
      id: `re_${token(24)}`,
      object: 'refund',
      amount: options.amount,
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      metadata: options.metadata,
      payment_intent: charge.payment_intent,
      reason: options.reason,
      status,
    };
    if (status === 'failed' || status === 'canceled') {
      refund.failure_reason =
        ('failureReason' in options.outcome ? options.outcome.failureReason : undefined) ??
        'unknown';
    } else {
      // pending refunds count in amount_refunded until they fail (Stripe reverses them then)
      charge.amount_refunded += options.amount;
      charge.refunded = charge.amount_refunded === charge.amount;
    }
    this.refunds.set(refund.id, refund);
    return clone(refund);
  }

  private doCancel(intent: FakePaymentIntent, reason: string | null): void {
    Object.assign(intent, {
      status: 'canceled',
      canceled_at: nowSeconds(),
      cancellation_reason: reason,
    });
  }

  private paidChargeOf(intent: FakePaymentIntent): FakeCharge | undefined {
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    return intent.status === 'succeeded' && charge?.paid ? charge : undefined;
  }

  private eventObject(intent: FakePaymentIntent, type: string): unknown {
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (type.startsWith('charge.refund.') || type.startsWith('refund.')) {
      const refund = [...this.refunds.values()].reverse().find((r) => r.charge === charge?.id);
      if (!refund) {
        throw new Error(`${intent.id} has no refund for a ${type} event`);
      }
      return refund;
    }
    if (type.startsWith('charge.')) {
      if (!charge) {
        throw new Error(`${intent.id} has no charge for a ${type} event`);
      }
      return charge;
    }
    return intent;
  }

  private intent(id: string): FakePaymentIntent {
    const intent = this.intents.get(id);
    if (!intent) {
      throw new Error(`no PaymentIntent ${id}`);
    }
    return intent;
  }
}

function assertState(intent: FakePaymentIntent, allowed: IntentStatus[]): void {
  if (!allowed.includes(intent.status)) {
    throw new Error(`${intent.id} is ${intent.status}, not ${allowed.join(' or ')}`);
  }
}

/** Stripe's error body (https://docs.stripe.com/api/errors). */
function apiError(
  type: string,
  message: string,
  extra: { code?: string; param?: string } = {},
): { error: Record<string, unknown> } {
  const docUrl = extra.code
    ? { doc_url: `https://stripe.com/docs/error-codes/${extra.code.replace(/_/g, '-')}` }
    : {};
  return { error: { ...extra, ...docUrl, message, type } };
}

function invalid(message: string, param?: string, code?: string): Answer {
  return { status: 400, body: apiError('invalid_request_error', message, { code, param }) };
}

function noSuch(kind: string, id: string, param: string): Answer {
  return {
    status: 404,
    body: apiError('invalid_request_error', `No such ${kind}: '${id}'`, {
      code: 'resource_missing',
      param,
    }),
  };
}

function unknownParameter(params: Record<string, unknown>, known: Set<string>): Answer | undefined {
  const unknown = Object.keys(params).find((key) => !known.has(key));
  return unknown === undefined
    ? undefined
    : invalid(`Received unknown parameter: ${unknown}`, unknown, 'parameter_unknown');
}

function requiredInteger(params: Record<string, unknown>, name: string): Answer | undefined {
  const value = params[name];
  if (value === undefined) {
    return invalid(`Missing required param: ${name}.`, name, 'parameter_missing');
  }
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) {
    return invalid(`Invalid integer: ${text(value)}`, name, 'parameter_invalid_integer');
  }
  return undefined;
}

function requiredCurrency(params: Record<string, unknown>): Answer | undefined {
  const currency = params.currency;
  if (currency === undefined) {
    return invalid('Missing required param: currency.', 'currency', 'parameter_missing');
  }
  return typeof currency === 'string' && /^[a-z]{3}$/.test(currency)
    ? undefined
    : invalid(`Invalid currency: ${text(currency)}.`, 'currency');
}

/** Stripe's metadata limits: string values, keys ≤ 40 characters, values ≤ 500, ≤ 50 keys. */
function metadataProblem(metadata: unknown): Answer | undefined {
  if (metadata === undefined || metadata === '') {
    return undefined;
  }
  if (!isRecord(metadata)) {
    return invalid('Invalid object', 'metadata');
  }
  const entries = Object.entries(metadata);
  const bad = entries.find(
    ([key, value]) => key.length > 40 || typeof value !== 'string' || value.length > 500,
  );
  if (entries.length > 50 || bad) {
    return invalid(
      'Metadata can have up to 50 keys, keys up to 40 characters and values up to 500 characters.',
      bad ? `metadata[${bad[0]}]` : 'metadata',
    );
  }
  return undefined;
}

/**
 * Form or query pairs in Stripe's bracket notation as nested values: `a[b]=1` → `{a:{b:'1'}}`,
 * `a[]=x` and `a[0]=x` → `{a:['x']}`.
 */
function unfold(pairs: [string, string][]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of pairs) {
    const path = pathOf(key);
    const last = path.length - 1;
    let node = root;
    for (let i = 0; i < last; i += 1) {
      const child = node[path[i]];
      node = isRecord(child) ? child : (node[path[i]] = {});
    }
    // `a[]=x` appends: the next index of `a`
    const name = path[last] === '' ? String(Object.keys(node).length) : path[last];
    node[name] = value;
  }
  return arraysOf(root) as Record<string, unknown>;
}

function pathOf(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
  if (!match) {
    return [key];
  }
  const rest = [...match[2].matchAll(/\[([^\]]*)\]/g)].map((part) => part[1]);
  return [match[1], ...rest];
}

/** Objects keyed 0, 1, … as arrays, as Stripe reads `expand[0]=…`. */
function arraysOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(arraysOf);
  }
  if (!isRecord(value)) {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => arraysOf(value[key]));
  }
  return Object.fromEntries(keys.map((key) => [key, arraysOf(value[key])]));
}

/** JSON with sorted keys: the same parameters in another order are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function stringRecord(value: unknown): Record<string, string> {
  return isRecord(value)
    ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, text(item)]))
    : {};
}

/** A parameter as text: strings as they are, nested values as JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** As Stripe masks a key in its 401 message: the prefix and the last 4 characters. */
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:test_|live_)?/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  return `${prefix}${'*'.repeat(Math.max(rest.length - 4, 0))}${rest.slice(-4)}`;
}

function formatMoney(amount: number, currency: string): string {
  return `${currency.toUpperCase()} ${(amount / 100).toFixed(2)}`;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function token(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
