import type { Response } from 'supertest';
import { FakeFawry } from './fake-fawry.js';
import { FakeStripe } from './fake-stripe.js';
import * as marketplace from './marketplace.js';
import { ledgerCheck } from './money.js';
import { newClient, newCraftsman, type Session } from './session.js';
import type { TestApp } from './test-app.js';

/** The gateways' credentials the fakes and the app share in tests. */
export const FAWRY_MERCHANT_CODE = 'TEST-MERCHANT-1';
export const FAWRY_SECURE_KEY = 'fawry-secure-key-for-tests';
export const STRIPE_SECRET_KEY = 'sk_test_craftsmen_fake';
export const STRIPE_WEBHOOK_SECRET = 'whsec_craftsmen_fake';

/** `GET /payments/:id` as the apps read it. */
export interface Payment {
  id: string;
  job: string;
  payer: string;
  payee: string;
  provider: 'fawry' | 'stripe';
  method: string;
  status: string;
  amount: number;
  currency: string;
  clientSecret?: string;
  referenceNumber?: string;
  paymentUrl?: string;
  expiresAt: string;
  heldAt: string | null;
  releasedAt: string | null;
  refundedAmount: number;
  refund?: {
    state: string;
    amount: number;
    reason: string;
    attempts: number;
    lastError?: string | null;
  } | null;
  parked?: { reason: string; reportedAmount: number | null } | null;
  failureReason: string | null;
}

/** Fake Fawry and fake Stripe on 127.0.0.1, and the app's variables that point at them. */
export class FakeGateways {
  readonly fawry = new FakeFawry({
    merchantCode: FAWRY_MERCHANT_CODE,
    secureKey: FAWRY_SECURE_KEY,
  });
  readonly stripe = new FakeStripe({
    secretKey: STRIPE_SECRET_KEY,
    webhookSecret: STRIPE_WEBHOOK_SECRET,
  });

  /** Starts both; the variables to give the app. */
  async start(): Promise<Record<string, string>> {
    const fawryUrl = await this.fawry.start();
    const { apiUrl } = await this.stripe.start();
    return {
      FAWRY_BASE_URL: fawryUrl,
      FAWRY_MERCHANT_CODE,
      FAWRY_SECURE_KEY,
      STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_URL: apiUrl,
      PAYMENT_GATEWAY_TIMEOUT: 'PT2S',
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.fawry.close(), this.stripe.close()]);
  }
}

/** A client, a craftsman and the client's job of `paymentType` with that craftsman hired. */
export async function hiredJob(
  t: TestApp,
  { paymentType = 'escrow', price = 50_000 }: { paymentType?: string; price?: number } = {},
): Promise<{ client: Session; craftsman: Session; job: { id: string } }> {
  const client = await newClient(t);
  const craftsman = await newCraftsman(t);
  const job = await marketplace.postJob(t, client, {
    title: 'Replace the water heater',
    description: 'The bathroom water heater leaks and needs replacing.',
    category: 'Plumbing',
    paymentType,
  });
  await marketplace.hire(t, client, job.id, craftsman, price);
  return { client, craftsman, job };
}

/** `POST /payments/initiate`, answered as it is (the caller expects the status). */
export function initiate(
  t: TestApp,
  client: Session,
  body: { jobId: string; provider: string; method?: string },
  idempotencyKey?: string,
) {
  const request = t.http.post('/api/payments/initiate').set('Authorization', client.bearer);
  if (idempotencyKey) {
    request.set('Idempotency-Key', idempotencyKey);
  }
  return request.send(body);
}

export async function paymentOf(t: TestApp, viewer: Session, id: string): Promise<Payment> {
  return (await t.http.get(`/api/payments/${id}`).set('Authorization', viewer.bearer).expect(200))
    .body as Payment;
}

/** A Fawry V2 notification as Fawry posts it (JSON) to `path`. */
export function postFawry(
  t: TestApp,
  notification: Record<string, unknown>,
  path = '/api/payments/webhook/fawry',
) {
  return t.http
    .post(path)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(notification));
}

/** A Stripe delivery (its exact bytes and headers) posted to `path`. */
export function postStripe(
  t: TestApp,
  delivery: { rawBody: Buffer; headers: Record<string, string> },
  path = '/api/payments/webhook',
) {
  const request = t.http.post(path);
  for (const [name, value] of Object.entries(delivery.headers)) {
    request.set(name, value);
  }
  return request.set('Content-Type', 'application/json').send(delivery.rawBody.toString('utf8'));
}

/** How many notifications of `type` the user has. */
export async function notificationsOfType(
  t: TestApp,
  user: Session,
  type: string,
): Promise<number> {
  const list = await t.http
    .get('/api/notifications')
    .query({ limit: 100 })
    .set('Authorization', user.bearer)
    .expect(200);
  return (list.body.data as Array<{ type: string }>).filter((n) => n.type === type).length;
}

/** The ledger's invariants hold (API.md `GET /admin/ledger/check`). */
export async function expectBalancedLedger(t: TestApp, admin: Session): Promise<number> {
  const check = await ledgerCheck(t, admin);
  if (!check.balanced || check.mismatches.length > 0 || check.unbalancedEntries.length > 0) {
    throw new Error(`The ledger is not balanced: ${JSON.stringify(check)}`);
  }
  return check.entries;
}

/** Moves the job as `who` (PATCH /jobs/:id/status), expecting `status`. */
export async function move(
  t: TestApp,
  who: Session,
  jobId: string,
  to: string,
  expected = 200,
): Promise<Response> {
  return t.http
    .patch(`/api/jobs/${jobId}/status`)
    .set('Authorization', who.bearer)
    .send({ status: to })
    .expect(expected);
}

/** Fawry says the payment's reference was paid, and notifies us (the payment is then held). */
export async function payAtFawry(
  t: TestApp,
  gateways: FakeGateways,
  payment: Payment,
): Promise<void> {
  gateways.fawry.pay(payment.id);
  await postFawry(t, gateways.fawry.notificationFor(payment.id)).expect(200);
}

/**
 * An escrow job of `price` piastres with its craftsman hired, paid at Fawry and held, moved by
 * its craftsman up to `until`.
 */
export async function paidJob(
  t: TestApp,
  gateways: FakeGateways,
  {
    until = 'in_progress',
    price = 10_000,
  }: { until?: 'hired' | 'on_the_way' | 'in_progress'; price?: number } = {},
): Promise<{ client: Session; craftsman: Session; job: { id: string }; payment: Payment }> {
  const hired = await hiredJob(t, { price });
  const payment = (
    await initiate(t, hired.client, { jobId: hired.job.id, provider: 'fawry' }).expect(201)
  ).body as Payment;
  await payAtFawry(t, gateways, payment);
  if (until !== 'hired') {
    await move(t, hired.craftsman, hired.job.id, 'on_the_way');
  }
  if (until === 'in_progress') {
    await move(t, hired.craftsman, hired.job.id, 'in_progress');
  }
  return { ...hired, payment };
}
