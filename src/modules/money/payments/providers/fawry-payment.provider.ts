import { createHash } from 'node:crypto';
import {
  type ChargeRequest,
  type ChargeResult,
  type GatewayPaymentState,
  InvalidWebhookSignatureError,
  type PaymentMethod,
  PaymentGatewayError,
  type PaymentProvider,
  type RefundRequest,
  type RefundResult,
  type VerifiedWebhook,
} from '../payment-provider.js';
import {
  type FawryNotificationSignatureFields,
  fawryAmount,
  fawryChargeSignature,
  fawryNotificationSignature,
  fawryRefundSignature,
  fawrySignatureMatches,
  fawryStatusSignature,
  piastresFromFawry,
} from './fawry-signatures.js';

/** How the adapter reaches FawryPay (merchant code and secure key come from Fawry's onboarding). */
export interface FawryPaymentOptions {
  /** `https://www.atfawry.com` (staging: `https://atfawry.fawrystaging.com`). */
  baseUrl: string;
  merchantCode: string;
  /** Signs our requests and verifies Fawry's notifications; never logged nor put in a message. */
  secureKey: string;
  /** Per HTTP request (charge, status, refund), in milliseconds. */
  timeoutMs: number;
}

/** Fawry's `paymentMethod` for each of our methods. */
const FAWRY_METHODS: Record<PaymentMethod, string> = {
  pay_at_fawry: 'PAYATFAWRY',
  card: 'CARD',
  wallet: 'MWALLET',
};

const PATHS = {
  charge: '/ECommerceWeb/Fawry/payments/charge',
  status: '/ECommerceWeb/Fawry/payments/status/v2',
  refund: '/ECommerceWeb/Fawry/payments/refund',
} as const;

/** Fawry's `statusCode` of an operation done. */
const FAWRY_OK = 200;
/** Fawry's `statusCode` for a merchant reference it has no payment for ("payment not found"). */
const FAWRY_PAYMENT_NOT_FOUND = 9938;

/** What the adapter puts in place of a secret or personal datum in a message. */
const REDACTED = '[redacted]';
/** Long digit runs (phone, card, account numbers) never reach a message, whoever wrote them. */
const DIGIT_RUN = /\+?\d(?:[\s-]?\d){7,}/g;
const MAX_DESCRIPTION_LENGTH = 200;

/** How many refund idempotency keys the adapter remembers (the oldest are forgotten). */
const MAX_REMEMBERED_REFUNDS = 10_000;

/** A refund asked of Fawry: its amount, what Fawry showed refunded before it, and its result. */
interface RefundAttempt {
  amount: number;
  refundedBefore: number;
  /** Unset while the outcome is unknown (Fawry's answer was lost). */
  result?: RefundResult;
}

interface HttpAnswer {
  status: number;
  /** The parsed JSON object, or `undefined` when the body was not a JSON object. */
  body: Record<string, unknown> | undefined;
}

/**
 * `PaymentProvider` over FawryPay's signed server-to-server API (no SDK exists; global `fetch`
 * and `node:crypto` only), as documented at https://developer.fawrystaging.com/docs/:
 * - `charge`: `POST /ECommerceWeb/Fawry/payments/charge` (server-apis/create-payment-refno-apis)
 *   with `paymentMethod` PAYATFAWRY, CARD or MWALLET and `merchantRefNum` = our payment id, so
 *   the charge's `gatewayReference` is the payment id and a retry names the same charge;
 * - `status`: Get Payment Status V2, `GET /ECommerceWeb/Fawry/payments/status/v2`
 *   (payment-notifications/get-payment-status-v2);
 * - `refund`: `POST /ECommerceWeb/Fawry/payments/refund` (server-apis/refund-issue-api);
 * - `verifyWebhook`: Server-to-Server Notification V2 and its `messageSignature`
 *   (server-apis/payment-notifications/server-notification-v2).
 * Signature formulas: `fawry-signatures.ts`. Amounts cross the port in piastres and go to Fawry
 * as EGP with two decimals.
 *
 * Fawry answers a refusal with its own `statusCode` (≠ 200) and `statusDescription`, over
 * HTTP 200 or 4xx: a `PaymentGatewayError` that is not retryable. A network error, a timeout
 * (`timeoutMs` per request), HTTP 5xx/408/429 or an answer without a JSON body throw a retryable
 * `PaymentGatewayError`. No message holds the secure key or the payer's phone, email or name.
 *
 * Not a Nest provider itself: the payments module builds it from configuration.
 */
export class FawryPaymentProvider implements PaymentProvider {
  readonly name = 'fawry' as const;
  readonly methods: readonly PaymentMethod[] = ['pay_at_fawry', 'card', 'wallet'];

  private readonly baseUrl: string;
  /** Refunds asked for, by idempotency key, oldest first (see `refund`). */
  private readonly refundAttempts = new Map<string, RefundAttempt>();

  constructor(private readonly options: FawryPaymentOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Creates the charge at Fawry: `request.amount` piastres (sent as EGP), payable until
   * `request.expiresAt` (`paymentExpiry`), one charge item. Maps Fawry's answer: its
   * `referenceNumber` (what the client gives at a Fawry outlet), `nextAction.redirectUrl` (the
   * 3-D Secure or wallet page, for CARD and MWALLET) as `paymentUrl`, and `expirationTime` as
   * `expiresAt` (else the request's). Asking again for the same payment names the same
   * `merchantRefNum`.
   *
   * @throws PaymentGatewayError retryable on a network error, timeout, 5xx or unreadable answer;
   *   not retryable when Fawry refuses (its `statusDescription`, redacted)
   * @throws RangeError when the amount is not a whole number of piastres > 0 (a caller's bug)
   */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw new RangeError(`a charge is a whole number of piastres > 0 (got ${request.amount})`);
    }
    const { merchantCode, secureKey } = this.options;
    const paymentMethod = FAWRY_METHODS[request.method];
    const amount = egp(request.amount);
    const customerMobile = localMobile(request.payer.phone);
    const body = {
      merchantCode,
      merchantRefNum: request.paymentId,
      customerProfileId: request.payer.id,
      customerName: request.payer.name,
      ...(customerMobile ? { customerMobile } : {}),
      customerEmail: request.payer.email,
      paymentMethod,
      amount,
      currencyCode: request.currency,
      description: request.description,
      paymentExpiry: request.expiresAt.getTime(),
      chargeItems: [
        { itemId: request.paymentId, description: request.description, price: amount, quantity: 1 },
      ],
      signature: fawryChargeSignature({
        merchantCode,
        merchantRefNum: request.paymentId,
        customerProfileId: request.payer.id,
        paymentMethod,
        amount: request.amount,
        secureKey,
      }),
    };
    const answer = await this.send('the charge', PATHS.charge, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    const result = this.accepted(answer, 'the charge', secretsOf(request));
    const nextAction = isRecord(result.nextAction) ? result.nextAction : {};
    return {
      gatewayReference: request.paymentId,
      referenceNumber: textOf(result.referenceNumber),
      paymentUrl: textOf(nextAction.redirectUrl),
      expiresAt: dateOf(result.expirationTime) ?? request.expiresAt,
    };
  }

  /**
   * Fawry's Payment Status V2 for the charge (`gatewayReference` = our `merchantRefNumber`),
   * mapped from its `orderStatus`: NEW/UNPAID → `pending`, PAID → `paid`, REFUNDED → `refunded`,
   * PARTIAL_REFUNDED → `partially_refunded`, CANCELED/FAILED → `failed`, EXPIRED → `expired`.
   * `amount` is Fawry's `orderAmount` in piastres (once paid), `transactionId` its
   * `referenceNumber`, `refundedAmount` its `refundedAmount` when given (else the whole amount
   * when REFUNDED, else 0).
   *
   * @throws PaymentGatewayError retryable on a network error, timeout, 5xx or unreadable answer,
   *   when Fawry has no such payment yet (9938) or names a status this adapter doesn't know; not
   *   retryable on another refusal (e.g. 9946, a wrong signature: misconfiguration)
   */
  async status(gatewayReference: string): Promise<GatewayPaymentState> {
    const { merchantCode, secureKey } = this.options;
    const query = new URLSearchParams({
      merchantCode,
      merchantRefNumber: gatewayReference,
      signature: fawryStatusSignature({
        merchantCode,
        merchantRefNumber: gatewayReference,
        secureKey,
      }),
    });
    const answer = await this.send('the payment status', `${PATHS.status}?${query.toString()}`, {
      method: 'GET',
    });
    if (answer.body && Number(answer.body.statusCode) === FAWRY_PAYMENT_NOT_FOUND) {
      throw new PaymentGatewayError('the payment is not found at Fawry (yet)', true);
    }
    return this.stateOf(this.accepted(answer, 'the payment status', []));
  }

  /**
   * Refunds `request.amount` piastres of the paid charge through Fawry's refund API, naming the
   * charge by its Fawry `referenceNumber` (`request.referenceNumber`, else the one Payment
   * Status V2 gives).
   *
   * Fawry's refund API takes no idempotency key, so the adapter keeps one: before refunding it
   * reads the charge's `refundedAmount` (Payment Status V2) and remembers the attempt under
   * `request.idempotencyKey` (the latest `MAX_REMEMBERED_REFUNDS`, in this process). A retry with
   * that key answers the first attempt's result; after a lost answer it answers `refunded`
   * without asking again when Fawry's `refundedAmount` has since grown by the amount. A refusal
   * of a charge Fawry already showed as wholly refunded (a retry after a restart, or a refund made
   * at Fawry) is `refunded` too: the money is back with the payer.
   *
   * @returns `refunded` when Fawry did it; `failed` with Fawry's (redacted) reason when it refused
   * @throws PaymentGatewayError retryable on a network error, timeout, 5xx or unreadable answer
   *   (from the status read or the refund), or when Fawry has no such payment (yet)
   * @throws RangeError when the amount is not a whole number of piastres > 0 (a caller's bug)
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw new RangeError(`a refund is a whole number of piastres > 0 (got ${request.amount})`);
    }
    const earlier = this.refundAttempts.get(request.idempotencyKey);
    if (earlier?.result) {
      return earlier.result;
    }
    const before = await this.status(request.gatewayReference);
    if (earlier && before.refundedAmount >= earlier.refundedBefore + earlier.amount) {
      return this.settle(request.idempotencyKey, earlier, { status: 'refunded' });
    }
    const attempt = earlier ?? { amount: request.amount, refundedBefore: before.refundedAmount };
    this.remember(request.idempotencyKey, attempt);
    const referenceNumber = request.referenceNumber ?? before.transactionId;
    if (!referenceNumber) {
      return this.settle(request.idempotencyKey, attempt, {
        status: 'failed',
        reason: 'Fawry has no reference number for this payment',
      });
    }
    const body = this.answered(await this.sendRefund(request, referenceNumber), 'the refund');
    if (Number(body.statusCode) === FAWRY_OK || before.status === 'refunded') {
      return this.settle(request.idempotencyKey, attempt, { status: 'refunded' });
    }
    return this.settle(request.idempotencyKey, attempt, {
      status: 'failed',
      reason: this.refusal(body, 'the refund', []),
    });
  }

  /**
   * Verifies a Server-to-Server Notification V2 on its fields: `messageSignature` must be
   * SHA-256(fawryRefNumber + merchantRefNumber + paymentAmount + orderAmount + orderStatus +
   * paymentMethod + paymentRefrenceNumber (if sent) + secureKey), amounts with two decimals,
   * compared in constant time. Headers carry nothing Fawry signs.
   *
   * @returns the event: `eventId` Fawry's `requestId` (else the body's SHA-256), `type` its
   *   `orderStatus`, `gatewayReference` its `merchantRefNumber`, `amount` its `orderAmount` in
   *   piastres
   * @throws InvalidWebhookSignatureError for a body that is not a JSON object, lacks a signed
   *   field, or whose signature is missing or wrong
   */
  verifyWebhook(
    rawBody: Buffer,
    _headers: Record<string, string | string[] | undefined>,
  ): VerifiedWebhook {
    const notification = parseNotification(rawBody);
    const expected = fawryNotificationSignature({
      fawryRefNumber: notification.fawryRefNumber,
      merchantRefNumber: notification.merchantRefNumber,
      paymentAmount: notification.paymentAmount,
      orderAmount: notification.orderAmount,
      orderStatus: notification.orderStatus,
      paymentMethod: notification.paymentMethod,
      paymentRefrenceNumber: notification.paymentRefrenceNumber,
      secureKey: this.options.secureKey,
    });
    if (!fawrySignatureMatches(expected, notification.messageSignature)) {
      throw new InvalidWebhookSignatureError('the Fawry notification has a wrong messageSignature');
    }
    return {
      provider: 'fawry',
      eventId: notification.requestId ?? createHash('sha256').update(rawBody).digest('hex'),
      type: notification.orderStatus,
      gatewayReference: notification.merchantRefNumber,
      amount: notification.orderAmount,
    };
  }

  private stateOf(body: Record<string, unknown>): GatewayPaymentState {
    const orderStatus = textOf(body.orderStatus) ?? '';
    const transactionId = textOf(body.referenceNumber);
    const amount = this.amountOf(body.orderAmount, 'orderAmount');
    const refunded = this.amountOf(body.refundedAmount, 'refundedAmount');
    switch (orderStatus) {
      case 'NEW':
      case 'UNPAID':
        return { status: 'pending', refundedAmount: 0, transactionId };
      case 'PAID':
        return { status: 'paid', amount, refundedAmount: 0, transactionId };
      case 'REFUNDED':
        return {
          status: 'refunded',
          amount,
          refundedAmount: refunded ?? amount ?? 0,
          transactionId,
        };
      case 'PARTIAL_REFUNDED':
        return {
          status: 'partially_refunded',
          amount,
          refundedAmount: refunded ?? 0,
          transactionId,
        };
      case 'CANCELED':
      case 'FAILED':
        return { status: 'failed', refundedAmount: 0, transactionId };
      case 'EXPIRED':
        return { status: 'expired', refundedAmount: 0, transactionId };
      default:
        throw new PaymentGatewayError(
          `Fawry answered an order status this adapter does not know (${JSON.stringify(orderStatus.slice(0, 40))})`,
          true,
        );
    }
  }

  /** An amount of Fawry's answer in piastres; `undefined` when absent. */
  private amountOf(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    try {
      if (typeof value === 'number' || typeof value === 'string') {
        return piastresFromFawry(value);
      }
    } catch (error) {
      throw new PaymentGatewayError(`Fawry answered an unreadable ${field}`, true, {
        cause: error,
      });
    }
    throw new PaymentGatewayError(`Fawry answered an unreadable ${field}`, true);
  }

  private sendRefund(request: RefundRequest, referenceNumber: string): Promise<HttpAnswer> {
    const { merchantCode, secureKey } = this.options;
    return this.send('the refund', PATHS.refund, {
      method: 'POST',
      body: JSON.stringify({
        merchantCode,
        referenceNumber,
        refundAmount: egp(request.amount),
        reason: request.reason,
        signature: fawryRefundSignature({
          merchantCode,
          referenceNumber,
          refundAmount: request.amount,
          reason: request.reason,
          secureKey,
        }),
      }),
    });
  }

  private remember(idempotencyKey: string, attempt: RefundAttempt): void {
    this.refundAttempts.delete(idempotencyKey);
    this.refundAttempts.set(idempotencyKey, attempt);
    if (this.refundAttempts.size > MAX_REMEMBERED_REFUNDS) {
      const oldest = this.refundAttempts.keys().next();
      if (!oldest.done) {
        this.refundAttempts.delete(oldest.value);
      }
    }
  }

  private settle(
    idempotencyKey: string,
    attempt: RefundAttempt,
    result: RefundResult,
  ): RefundResult {
    this.remember(idempotencyKey, { ...attempt, result });
    return result;
  }

  /** Fawry's answer when it did the operation (`statusCode` 200); throws otherwise. */
  private accepted(answer: HttpAnswer, what: string, secrets: string[]): Record<string, unknown> {
    const body = this.answered(answer, what);
    if (Number(body.statusCode) !== FAWRY_OK) {
      throw new PaymentGatewayError(this.refusal(body, what, secrets), false);
    }
    return body;
  }

  /** Fawry's JSON answer; throws when the answer says nothing about the operation. */
  private answered(answer: HttpAnswer, what: string): Record<string, unknown> {
    if (answer.status >= 500 || answer.status === 408 || answer.status === 429) {
      throw new PaymentGatewayError(`Fawry answered HTTP ${answer.status} to ${what}`, true);
    }
    if (!answer.body || answer.body.statusCode === undefined) {
      throw new PaymentGatewayError(
        `Fawry answered HTTP ${answer.status} to ${what} without a Fawry status`,
        answer.status < 300,
      );
    }
    return answer.body;
  }

  /** "Fawry refused the charge: <its description> (<its code>)", secrets and digit runs redacted. */
  private refusal(body: Record<string, unknown>, what: string, secrets: string[]): string {
    const code = textOf(body.statusCode)?.slice(0, 10) ?? '?';
    let description = textOf(body.statusDescription) ?? 'no description';
    const hidden = [...secrets, this.options.secureKey].filter((value) => value.length >= 3);
    for (const secret of hidden.sort((a, b) => b.length - a.length)) {
      description = description.split(secret).join(REDACTED);
    }
    description = description.replace(DIGIT_RUN, REDACTED).trim();
    if (description.length > MAX_DESCRIPTION_LENGTH) {
      description = `${description.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…`;
    }
    return `Fawry refused ${what}: ${description} (${code})`;
  }

  private async send(what: string, path: string, init: RequestInit): Promise<HttpAnswer> {
    const { timeoutMs } = this.options;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: parseObject(text) };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new PaymentGatewayError(
        timedOut
          ? `Fawry did not answer ${what} within ${timeoutMs} ms`
          : `Fawry could not be reached for ${what}`,
        true,
        { cause: error },
      );
    }
  }
}

/** A notification's signed fields (amounts in piastres), its signature and identity. */
type ParsedNotification = Omit<FawryNotificationSignatureFields, 'secureKey'> & {
  requestId?: string;
  messageSignature: unknown;
};

function parseNotification(rawBody: Buffer): ParsedNotification {
  const body = parseObject(rawBody.toString('utf8'));
  if (!body) {
    throw new InvalidWebhookSignatureError('a Fawry notification is a JSON object');
  }
  const field = (name: string): string => {
    const value = textOf(body[name]);
    if (value === undefined) {
      throw new InvalidWebhookSignatureError(`the Fawry notification has no ${name}`);
    }
    return value;
  };
  const amount = (name: string): number => {
    const value = body[name];
    try {
      if (typeof value === 'number' || typeof value === 'string') {
        return piastresFromFawry(value);
      }
    } catch {
      // reported below
    }
    throw new InvalidWebhookSignatureError(`the Fawry notification has no readable ${name}`);
  };
  return {
    requestId: textOf(body.requestId),
    fawryRefNumber: field('fawryRefNumber'),
    merchantRefNumber: field('merchantRefNumber'),
    paymentAmount: amount('paymentAmount'),
    orderAmount: amount('orderAmount'),
    orderStatus: field('orderStatus'),
    paymentMethod: field('paymentMethod'),
    paymentRefrenceNumber: textOf(body.paymentRefrenceNumber),
    messageSignature: body.messageSignature,
  };
}

/** Integer piastres as the JSON number Fawry's amount fields take (`12340` → `123.4`). */
function egp(piastres: number): number {
  // parsing the exact two-decimal text gives the double whose shortest form is that decimal
  return Number(fawryAmount(piastres));
}

/** `+201001234567` → `01001234567`, Fawry's `customerMobile`; `undefined` if not Egyptian mobile. */
function localMobile(e164: string | undefined): string | undefined {
  const match = /^\+20(1\d{9})$/.exec(e164 ?? '');
  return match ? `0${match[1]}` : undefined;
}

/** The payer's data as it could appear in a Fawry description, to redact. */
function secretsOf(request: ChargeRequest): string[] {
  const { phone = '', email, name } = request.payer;
  return [phone, phone.replace(/^\+/, ''), localMobile(phone) ?? '', email, name];
}

/** A non-empty string or a number as text; `undefined` otherwise. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') {
    return value;
  }
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function dateOf(value: unknown): Date | undefined {
  const ms = typeof value === 'string' && value !== '' ? Number(value) : value;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
