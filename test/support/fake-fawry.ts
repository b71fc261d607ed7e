import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  fawryAmount,
  fawryChargeSignature,
  fawryNotificationSignature,
  fawryRefundSignature,
  fawrySignatureMatches,
  fawryStatusSignature,
  piastresFromFawry,
} from '../../src/modules/money/payments/providers/fawry-signatures.js';

/** The fake's endpoints, as `answerNext` names them. */
export type FakeFawryEndpoint = 'charge' | 'status' | 'refund';

/**
 * How the fake answers the next request (to any endpoint, or the one named), once:
 * - `http500`: HTTP 500 with an HTML page, nothing done;
 * - `hang`: the request is carried out but the answer never comes (a lost answer);
 * - `refuse`: HTTP 200 with a Fawry error (`statusCode` ≠ 200), nothing done.
 */
export type FakeFawryOutcome = 'http500' | 'hang' | 'refuse';

/** Fawry's `orderStatus` values (Payment Status V2, Server Notification V2). */
export type FawryOrderStatus =
  'NEW' | 'UNPAID' | 'PAID' | 'CANCELED' | 'REFUNDED' | 'PARTIAL_REFUNDED' | 'EXPIRED' | 'FAILED';

/** A charge the fake holds, by `merchantRefNum`; amounts in integer piastres. */
export interface FakeFawryCharge {
  merchantRefNum: string;
  /** Fawry's 9-digit reference number. */
  referenceNumber: string;
  paymentMethod: 'PAYATFAWRY' | 'CARD' | 'MWALLET';
  /** The charged amount (piastres). */
  amount: number;
  /** What the payer paid (piastres), once paid; `pay({ amount })` may make it differ. */
  paidAmount?: number;
  /** Fawry's fees on top (piastres), from the fake's `fees` option. */
  fees: number;
  /** Refunded so far (piastres). */
  refundedAmount: number;
  orderStatus: FawryOrderStatus;
  customerProfileId?: string;
  customerName?: string;
  customerMobile?: string;
  customerEmail?: string;
  description?: string;
  /** `paymentExpiry` as received (ms since the epoch). */
  expiresAt: number;
  paymentTime?: number;
  /** For a PAYATFAWRY payment, the number of the outlet's receipt (`paymentRefrenceNumber`). */
  paymentReference?: string;
  failure?: { code: number; reason: string };
  /** The charge request as received (its first time). */
  request: Record<string, unknown>;
  /** Every accepted refund (piastres), oldest first. */
  refunds: { amount: number; reason?: string }[];
}

/** One request as the fake received it, and the Fawry `statusCode` (or HTTP outcome) it got. */
export interface FakeFawryRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  answer: number | FakeFawryOutcome;
}

/** The fields of a Server-to-Server Notification V2 as Fawry sends them. */
export interface FawryNotification {
  requestId: string;
  fawryRefNumber: string;
  merchantRefNumber: string;
  customerName?: string;
  customerMobile?: string;
  customerMail?: string;
  customerMerchantId?: string;
  paymentAmount: number | string;
  orderAmount: number | string;
  fawryFees: number | string;
  shippingFees?: number | string;
  orderStatus: string;
  paymentMethod: string;
  paymentTime?: number;
  authNumber?: string;
  paymentRefrenceNumber?: string;
  orderExpiryDate: number;
  orderItems: { itemCode: string; price: number; quantity: number }[];
  failureErrorCode?: number;
  failureReason?: string;
  messageSignature: string;
}

/** What a test may change in a notification before (or, with `forgeSignature`, after) signing. */
export type FawryNotificationOverrides = Partial<Record<keyof FawryNotification, unknown>> & {
  /** Leave `paymentRefrenceNumber` out, as Fawry does for some methods. */
  omitPaymentReference?: boolean;
  /** Sign first, then apply the overrides: the signature no longer matches what changed. */
  forgeSignature?: boolean;
};

/** The merchant the fake serves (requests signed with another key are refused) and its fees. */
export interface FakeFawryOptions {
  merchantCode: string;
  secureKey: string;
  /** Fawry's fees the payer pays on top of each charge (piastres), 0 by default. */
  fees?: number;
}

/**
 * Fawry's error codes the fake answers with. 9901, 9946 and 9938 are documented
 * (https://atfawry.com/developer-guide/payment-status.html: merchant code blank or invalid,
 * blank or invalid signature, payment not found); the others are assumptions (Fawry documents
 * no code for them).
 */
export const FAWRY_ERRORS = {
  merchant: { statusCode: 9901, statusDescription: 'Merchant code is blank or invalid' },
  signature: { statusCode: 9946, statusDescription: 'Wrong Signature' },
  notFound: { statusCode: 9938, statusDescription: 'Payment not found' },
  invalid: { statusCode: 9903, statusDescription: 'Invalid request' },
  notRefundable: {
    statusCode: 9954,
    statusDescription: 'The order is not paid or already refunded',
  },
  refused: { statusCode: 9999, statusDescription: 'Request refused by Fawry' },
} as const;

const OK = { statusCode: 200, statusDescription: 'Operation done successfully' } as const;
const METHODS = ['PAYATFAWRY', 'CARD', 'MWALLET'] as const;
const BASE = '/ECommerceWeb/Fawry/payments';
const ENDPOINTS = new Set<string>(['charge', 'status', 'refund']);

/**
 * FawryPay's server-to-server API (https://developer.fawrystaging.com/docs/server-apis/) as a
 * real HTTP server on 127.0.0.1, for the Fawry adapter to talk to over sockets:
 * - `POST …/payments/charge`: PAYATFAWRY, CARD and MWALLET charges, signature checked; answers
 *   a 9-digit `referenceNumber`, and for CARD/MWALLET a `nextAction` (`THREE_D_SECURE`,
 *   `redirectUrl`). The same `merchantRefNum` again gets the same charge back;
 * - `GET …/payments/status/v2`: Payment Status V2 (`orderStatus`, `orderAmount`, …);
 * - `POST …/payments/refund`: refunds a paid charge, wholly (`REFUNDED`) or in part
 *   (`PARTIAL_REFUNDED`).
 * As Fawry does, errors come as HTTP 200 with a Fawry `statusCode` ≠ 200 (`FAWRY_ERRORS`).
 * Tests move charges (`pay`, `expire`, `fail`, `refundAtFawry`), script the next answer
 * (`answerNext`) and build signed V2 notifications (`notificationFor`, `sign`).
 */
export class FakeFawry {
  /** Every charge made, by `merchantRefNum`. */
  readonly charges = new Map<string, FakeFawryCharge>();
  /** Every request received, oldest first. */
  readonly requests: FakeFawryRequest[] = [];

  private readonly merchantCode: string;
  private readonly secureKey: string;
  private readonly fees: number;
  private readonly outcomes: {
    kind: FakeFawryOutcome;
    endpoint?: FakeFawryEndpoint;
    statusDescription?: string;
  }[] = [];
  private readonly hanging: ServerResponse[] = [];
  private server?: Server;
  private baseUrl = '';

  constructor(options: FakeFawryOptions) {
    this.merchantCode = options.merchantCode;
    this.secureKey = options.secureKey;
    this.fees = options.fees ?? 0;
  }

  /** Listens on a free port of 127.0.0.1. @returns the base URL (`http://127.0.0.1:<port>`) */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        respond(response, 500, { detail: String(error) });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  /** Closes the server, cutting the answers still hanging. */
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

  /**
   * How the next request (to `endpoint`, else to any) is answered (see `FakeFawryOutcome`); a
   * `refuse` may carry its `statusDescription`. Outcomes queue up in order.
   */
  answerNext(
    kind: FakeFawryOutcome,
    options: { endpoint?: FakeFawryEndpoint; statusDescription?: string } = {},
  ): void {
    this.outcomes.push({ kind, ...options });
  }

  /**
   * The payer pays the charge (a PAYATFAWRY outlet, the 3-D Secure page, the wallet): `PAID`.
   * `amount` (piastres) is what was paid, the charged amount by default.
   */
  pay(merchantRefNum: string, options: { amount?: number } = {}): FakeFawryCharge {
    const charge = this.pending(merchantRefNum, 'pay');
    charge.orderStatus = 'PAID';
    charge.paidAmount = options.amount ?? charge.amount;
    charge.paymentTime = Date.now();
    if (charge.paymentMethod === 'PAYATFAWRY') {
      charge.paymentReference = digits(8);
    }
    return charge;
  }

  /** The unpaid charge ran out: `EXPIRED`. */
  expire(merchantRefNum: string): FakeFawryCharge {
    const charge = this.pending(merchantRefNum, 'expire');
    charge.orderStatus = 'EXPIRED';
    return charge;
  }

  /** The payment failed (declined card, rejected wallet): `FAILED`. */
  fail(merchantRefNum: string): FakeFawryCharge {
    const charge = this.pending(merchantRefNum, 'fail');
    charge.orderStatus = 'FAILED';
    charge.failure = { code: 9960, reason: 'Transaction declined by the issuer' };
    return charge;
  }

  /** The paid charge was refunded outside our API (Fawry's merchant portal): `REFUNDED`. */
  refundAtFawry(merchantRefNum: string): FakeFawryCharge {
    const charge = this.get(merchantRefNum);
    if (charge.orderStatus !== 'PAID' && charge.orderStatus !== 'PARTIAL_REFUNDED') {
      throw new Error(`charge ${merchantRefNum} is ${charge.orderStatus}, not paid`);
    }
    charge.refunds.push({ amount: this.paidOf(charge) - charge.refundedAmount });
    charge.refundedAmount = this.paidOf(charge);
    charge.orderStatus = 'REFUNDED';
    return charge;
  }

  /**
   * The V2 notification Fawry would send now for the charge, signed with the secure key. The
   * overrides are applied, then it is signed, unless `forgeSignature` (signed, then changed);
   * `omitPaymentReference` leaves `paymentRefrenceNumber` out.
   */
  notificationFor(
    merchantRefNum: string,
    overrides: FawryNotificationOverrides = {},
  ): Record<string, unknown> {
    const charge = this.get(merchantRefNum);
    const { omitPaymentReference, forgeSignature, ...fields } = overrides;
    const paid = this.paidOf(charge);
    const notification: Record<string, unknown> = {
      requestId: randomBytes(16).toString('hex'),
      fawryRefNumber: charge.referenceNumber,
      merchantRefNumber: charge.merchantRefNum,
      customerName: charge.customerName,
      customerMobile: charge.customerMobile,
      customerMail: charge.customerEmail,
      customerMerchantId: charge.customerProfileId,
      paymentAmount: egp(paid + charge.fees),
      orderAmount: egp(paid),
      fawryFees: egp(charge.fees),
      shippingFees: 0,
      orderStatus: charge.orderStatus,
      paymentMethod: charge.paymentMethod,
      paymentTime: charge.paymentTime,
      authNumber: charge.paymentMethod === 'CARD' && charge.paymentTime ? digits(6) : undefined,
      paymentRefrenceNumber: charge.paymentReference,
      orderExpiryDate: charge.expiresAt,
      orderItems: [{ itemCode: charge.merchantRefNum, price: egp(charge.amount), quantity: 1 }],
      failureErrorCode: charge.failure?.code,
      failureReason: charge.failure?.reason,
    };
    if (omitPaymentReference) {
      delete notification.paymentRefrenceNumber;
    }
    const signed = forgeSignature ? this.sign(notification) : notification;
    const result = forgeSignature
      ? { ...signed, ...fields }
      : this.sign({ ...notification, ...fields });
    return withoutUndefined(result);
  }

  /**
   * The notification with its `messageSignature` computed anew from its fields (after a test
   * edited them); an absent `paymentRefrenceNumber` is signed as Fawry does, as "".
   */
  sign(notification: Record<string, unknown>): Record<string, unknown> {
    const field = (name: string): string => {
      const value = notification[name];
      return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    };
    return {
      ...notification,
      messageSignature: fawryNotificationSignature({
        fawryRefNumber: field('fawryRefNumber'),
        merchantRefNumber: field('merchantRefNumber'),
        paymentAmount: piastresFromFawry(field('paymentAmount')),
        orderAmount: piastresFromFawry(field('orderAmount')),
        orderStatus: field('orderStatus'),
        paymentMethod: field('paymentMethod'),
        paymentRefrenceNumber: field('paymentRefrenceNumber'),
        secureKey: this.secureKey,
      }),
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://fawry.invalid');
    const entry: FakeFawryRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseObject(text),
      answer: 0,
    };
    this.requests.push(entry);
    const endpoint = entry.path.split('/').find((part) => ENDPOINTS.has(part));
    const at = this.outcomes.findIndex((o) => !o.endpoint || o.endpoint === endpoint);
    const outcome = at < 0 ? undefined : this.outcomes.splice(at, 1)[0];
    if (outcome?.kind === 'http500') {
      entry.answer = 'http500';
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
      return;
    }
    if (outcome?.kind === 'refuse') {
      entry.answer = 'refuse';
      respond(response, 200, {
        type: 'ResponseDataModel',
        ...FAWRY_ERRORS.refused,
        ...(outcome.statusDescription ? { statusDescription: outcome.statusDescription } : {}),
      });
      return;
    }
    const answer = this.route(entry);
    if (outcome?.kind === 'hang') {
      entry.answer = 'hang';
      this.hanging.push(response);
      return;
    }
    const { statusCode } = answer.body;
    entry.answer = typeof statusCode === 'number' ? statusCode : answer.status;
    respond(response, answer.status, answer.body);
  }

  private route(entry: FakeFawryRequest): { status: number; body: Record<string, unknown> } {
    const key = `${entry.method} ${entry.path}`;
    switch (key) {
      case `POST ${BASE}/charge`:
        return { status: 200, body: this.charge(entry.body) };
      case `GET ${BASE}/status/v2`:
        return { status: 200, body: this.status(entry.query) };
      case `POST ${BASE}/refund`:
        return { status: 200, body: this.refund(entry.body) };
      default:
        return { status: 404, body: { status: 404, error: 'Not Found', path: entry.path } };
    }
  }

  private charge(body: Record<string, unknown>): Record<string, unknown> {
    const type = { type: 'ChargeResponse' };
    if (body.merchantCode !== this.merchantCode) {
      return { ...type, ...FAWRY_ERRORS.merchant };
    }
    const merchantRefNum = stringOf(body.merchantRefNum);
    const paymentMethod = METHODS.find((method) => method === body.paymentMethod);
    const amount = amountOf(body.amount);
    if (!merchantRefNum || !paymentMethod || amount === undefined || amount <= 0) {
      return { ...type, ...FAWRY_ERRORS.invalid };
    }
    const expected = fawryChargeSignature({
      merchantCode: this.merchantCode,
      merchantRefNum,
      customerProfileId: stringOf(body.customerProfileId),
      paymentMethod,
      amount,
      secureKey: this.secureKey,
    });
    if (!fawrySignatureMatches(expected, body.signature)) {
      return { ...type, ...FAWRY_ERRORS.signature };
    }
    if (!this.validCharge(body, amount)) {
      return { ...type, ...FAWRY_ERRORS.invalid };
    }
    const charge =
      this.charges.get(merchantRefNum) ?? this.make(merchantRefNum, paymentMethod, amount, body);
    return {
      ...type,
      referenceNumber: charge.referenceNumber,
      merchantRefNumber: charge.merchantRefNum,
      orderAmount: egp(charge.amount),
      paymentAmount: egp(charge.amount + charge.fees),
      fawryFees: egp(charge.fees),
      paymentMethod: charge.paymentMethod,
      orderStatus: charge.orderStatus,
      expirationTime: charge.expiresAt,
      ...(charge.paymentMethod === 'PAYATFAWRY'
        ? {}
        : {
            nextAction: {
              type: 'THREE_D_SECURE',
              redirectUrl: `${this.baseUrl}/atfawry/pay/${charge.referenceNumber}`,
            },
          }),
      ...OK,
    };
  }

  /** What Fawry's docs make required or constrain: currency, items summing to the amount, mobile. */
  private validCharge(body: Record<string, unknown>, amount: number): boolean {
    const items = Array.isArray(body.chargeItems) ? body.chargeItems : [];
    const itemsTotal = items.reduce<number | undefined>((total, item: unknown) => {
      const record = isRecord(item) ? item : {};
      const price = amountOf(record.price);
      const quantity = record.quantity;
      return total === undefined || price === undefined || !Number.isSafeInteger(quantity)
        ? undefined
        : total + price * (quantity as number);
    }, 0);
    const mobile = body.customerMobile;
    return (
      body.currencyCode === 'EGP' &&
      items.length > 0 &&
      itemsTotal === amount &&
      (mobile === undefined || (typeof mobile === 'string' && /^01\d{9}$/.test(mobile))) &&
      (body.paymentExpiry === undefined || Number.isSafeInteger(body.paymentExpiry))
    );
  }

  private make(
    merchantRefNum: string,
    paymentMethod: FakeFawryCharge['paymentMethod'],
    amount: number,
    body: Record<string, unknown>,
  ): FakeFawryCharge {
    const charge: FakeFawryCharge = {
      merchantRefNum,
      referenceNumber: digits(9),
      paymentMethod,
      amount,
      fees: this.fees,
      refundedAmount: 0,
      orderStatus: paymentMethod === 'PAYATFAWRY' ? 'UNPAID' : 'NEW',
      customerProfileId: stringOf(body.customerProfileId),
      customerName: stringOf(body.customerName),
      customerMobile: stringOf(body.customerMobile),
      customerEmail: stringOf(body.customerEmail),
      description: stringOf(body.description),
      expiresAt:
        typeof body.paymentExpiry === 'number' ? body.paymentExpiry : Date.now() + 86_400_000,
      request: body,
      refunds: [],
    };
    this.charges.set(merchantRefNum, charge);
    return charge;
  }

  private status(query: Record<string, string>): Record<string, unknown> {
    const type = { type: 'PaymentStatusResponse' };
    if (query.merchantCode !== this.merchantCode) {
      return { ...type, ...FAWRY_ERRORS.merchant };
    }
    const merchantRefNumber = query.merchantRefNumber ?? '';
    const expected = fawryStatusSignature({
      merchantCode: this.merchantCode,
      merchantRefNumber,
      secureKey: this.secureKey,
    });
    if (!fawrySignatureMatches(expected, query.signature)) {
      return { ...type, ...FAWRY_ERRORS.signature };
    }
    const charge = this.charges.get(merchantRefNumber);
    if (!charge) {
      return { ...type, ...FAWRY_ERRORS.notFound };
    }
    const paid = this.paidOf(charge);
    return {
      ...type,
      referenceNumber: charge.referenceNumber,
      merchantRefNumber: charge.merchantRefNum,
      paymentAmount: egp(paid + charge.fees),
      orderAmount: egp(paid),
      fawryFees: egp(charge.fees),
      orderStatus: charge.orderStatus,
      paymentMethod: charge.paymentMethod,
      ...(charge.paymentTime ? { paymentTime: charge.paymentTime } : {}),
      ...(charge.refundedAmount > 0 ? { refundedAmount: egp(charge.refundedAmount) } : {}),
      ...(charge.paymentReference ? { paymentRefrenceNumber: charge.paymentReference } : {}),
      ...OK,
    };
  }

  private refund(body: Record<string, unknown>): Record<string, unknown> {
    const type = { type: 'ResponseDataModel' };
    if (body.merchantCode !== this.merchantCode) {
      return { ...type, ...FAWRY_ERRORS.merchant };
    }
    const referenceNumber = stringOf(body.referenceNumber);
    const amount = amountOf(body.refundAmount);
    const reason = stringOf(body.reason);
    if (!referenceNumber || amount === undefined || amount <= 0) {
      return { ...type, ...FAWRY_ERRORS.invalid };
    }
    const expected = fawryRefundSignature({
      merchantCode: this.merchantCode,
      referenceNumber,
      refundAmount: amount,
      reason,
      secureKey: this.secureKey,
    });
    if (!fawrySignatureMatches(expected, body.signature)) {
      return { ...type, ...FAWRY_ERRORS.signature };
    }
    const charge = [...this.charges.values()].find((c) => c.referenceNumber === referenceNumber);
    if (!charge) {
      return { ...type, ...FAWRY_ERRORS.notFound };
    }
    const refundable = this.paidOf(charge) - charge.refundedAmount;
    const paid = charge.orderStatus === 'PAID' || charge.orderStatus === 'PARTIAL_REFUNDED';
    if (!paid || amount > refundable) {
      return { ...type, ...FAWRY_ERRORS.notRefundable };
    }
    charge.refunds.push({ amount, reason });
    charge.refundedAmount += amount;
    charge.orderStatus = amount === refundable ? 'REFUNDED' : 'PARTIAL_REFUNDED';
    return { ...type, ...OK };
  }

  private get(merchantRefNum: string): FakeFawryCharge {
    const charge = this.charges.get(merchantRefNum);
    if (!charge) {
      throw new Error(`FakeFawry has no charge ${merchantRefNum}`);
    }
    return charge;
  }

  private pending(merchantRefNum: string, action: string): FakeFawryCharge {
    const charge = this.get(merchantRefNum);
    if (charge.orderStatus !== 'NEW' && charge.orderStatus !== 'UNPAID') {
      throw new Error(`cannot ${action} charge ${merchantRefNum}: it is ${charge.orderStatus}`);
    }
    return charge;
  }

  private paidOf(charge: FakeFawryCharge): number {
    return charge.paidAmount ?? charge.amount;
  }
}

/** Piastres as the JSON number Fawry writes (`15000` → `150`, `2010` → `20.1`). */
function egp(piastres: number): number {
  return Number(fawryAmount(piastres));
}

function amountOf(value: unknown): number | undefined {
  try {
    return typeof value === 'number' || typeof value === 'string'
      ? piastresFromFawry(value)
      : undefined;
  } catch {
    return undefined;
  }
}

function digits(count: number): string {
  let text = String(randomInt(1, 10));
  while (text.length < count) {
    text += String(randomInt(0, 10));
  }
  return text;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
