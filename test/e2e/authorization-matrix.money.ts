import { WALLET_DESTINATION, type World } from './authorization-matrix.fixtures.js';
import {
  CRAFTSMEN,
  hex,
  type MatrixRequest,
  type MatrixRow,
  only,
  PUBLIC,
  STAFF,
} from './authorization-matrix.rules.js';

/** Stripe's signed `payment_intent.succeeded` for the PaymentIntent, in its exact bytes. */
function stripeDelivery(w: World, intentId: string): Pick<MatrixRequest, 'headers' | 'rawBody'> {
  const { rawBody, headers } = w.gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');
  return { rawBody, headers };
}

/** Payments, escrow, the wallet and the ledger (API.md "Money"). */
export const MONEY_ROWS: readonly MatrixRow[] = [
  {
    method: 'POST',
    path: '/api/payments/initiate',
    rule: 'the owning client (API.md Money), with an Idempotency-Key; a new hired escrow job after each call that went through',
    expect: only(['client']),
    request: async (w) => ({
      path: '/api/payments/initiate',
      headers: { 'Idempotency-Key': `matrix-${hex()}` },
      body: { jobId: await w.untilUsed('job', () => w.escrowJob()), provider: 'fawry' },
    }),
  },
  {
    method: 'GET',
    path: '/api/payments/{id}',
    rule: 'payer, payee, staff (API.md Money); anyone else 403',
    expect: only(['client', 'craftsman', ...STAFF]),
    request: async (w) => ({
      path: `/api/payments/${await w.shared('payment', () => w.pendingPayment('fawry'))}`,
    }),
  },
  {
    method: 'POST',
    path: '/api/payments/{id}/confirm',
    rule: 'the payer, admin, moderator (not in API.md: the code’s payer check); the payee and anyone else 403; a new payment paid at Stripe after each call that went through (it becomes held)',
    expect: only(['client', ...STAFF]),
    request: async (w) => ({
      path: `/api/payments/${(await w.untilUsed('payment', () => w.paidAtStripe())).paymentId}/confirm`,
    }),
  },
  {
    method: 'POST',
    path: '/api/payments/webhook',
    rule: 'public, verified by the gateway’s signature (API.md Money): Stripe’s signed payment_intent.succeeded for a new payment paid at Stripe, for each actor (the Fawry branch: payment-webhooks.e2e-spec.ts)',
    expect: PUBLIC,
    request: async (w) => {
      const { intentId } = await w.untilUsed('payment', () => w.paidAtStripe());
      return { path: '/api/payments/webhook', ...stripeDelivery(w, intentId) };
    },
  },
  {
    method: 'POST',
    path: '/api/payments/webhook/stripe',
    rule: 'public, verified by the gateway’s signature (API.md Money): Stripe’s signed payment_intent.succeeded for a new payment paid at Stripe, for each actor',
    expect: PUBLIC,
    request: async (w) => {
      const { intentId } = await w.untilUsed('payment', () => w.paidAtStripe());
      return { path: '/api/payments/webhook/stripe', ...stripeDelivery(w, intentId) };
    },
  },
  {
    method: 'POST',
    path: '/api/payments/webhook/fawry',
    rule: 'public, verified by the gateway’s signature (API.md Money): Fawry’s signed V2 notification (PAID) for a new payment paid at an outlet, for each actor',
    expect: PUBLIC,
    request: async (w) => {
      const paymentId = await w.untilUsed('payment', () => w.paidAtFawry());
      return {
        path: '/api/payments/webhook/fawry',
        body: w.gateways.fawry.notificationFor(paymentId),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/admin/payments',
    rule: 'admin (API.md Money)',
    expect: only(['admin']),
    request: () => Promise.resolve({ path: '/api/admin/payments', query: { status: 'held' } }),
  },
  {
    method: 'GET',
    path: '/api/wallet/balance',
    rule: 'craftsman, his own wallet (API.md Money)',
    expect: only(CRAFTSMEN),
    request: () => Promise.resolve({ path: '/api/wallet/balance' }),
  },
  {
    method: 'GET',
    path: '/api/wallet/transactions',
    rule: 'craftsman, his own wallet (API.md Money)',
    expect: only(CRAFTSMEN),
    request: () => Promise.resolve({ path: '/api/wallet/transactions', query: { limit: 5 } }),
  },
  {
    method: 'POST',
    path: '/api/wallet/withdraw',
    rule: 'craftsman, from his own wallet (API.md Money); money put in it first',
    expect: only(CRAFTSMEN),
    request: async (w, actor) => {
      if (actor === 'craftsman' || actor === 'anotherCraftsman') {
        await w.fund(w.sessions[actor]);
      }
      return {
        path: '/api/wallet/withdraw',
        body: { amount: 5_000, destination: WALLET_DESTINATION },
      };
    },
  },
  {
    method: 'POST',
    path: '/api/wallet/top-up',
    rule: 'craftsman, into his own wallet (API.md Money), through Stripe, with an Idempotency-Key',
    expect: only(CRAFTSMEN),
    request: () =>
      Promise.resolve({
        path: '/api/wallet/top-up',
        headers: { 'Idempotency-Key': `matrix-${hex()}` },
        body: { amount: 10_000, provider: 'stripe' },
      }),
  },
  {
    method: 'GET',
    path: '/api/wallet/withdrawals',
    rule: 'craftsman, his own withdrawals (API.md Money)',
    expect: only(CRAFTSMEN),
    request: () => Promise.resolve({ path: '/api/wallet/withdrawals' }),
  },
  {
    method: 'GET',
    path: '/api/admin/withdrawals',
    rule: 'admin (API.md Money)',
    expect: only(['admin']),
    request: () =>
      Promise.resolve({ path: '/api/admin/withdrawals', query: { status: 'requested' } }),
  },
  {
    method: 'POST',
    path: '/api/admin/withdrawals/{id}/mark-paid',
    rule: 'admin (API.md Money); a new open withdrawal after each call that went through',
    expect: only(['admin']),
    request: async (w) => ({
      path: `/api/admin/withdrawals/${await w.untilUsed('withdrawal', () => w.openWithdrawal())}/mark-paid`,
      body: { reference: `NBE-${hex()}` },
    }),
  },
  {
    method: 'POST',
    path: '/api/admin/withdrawals/{id}/mark-failed',
    rule: 'admin (API.md Money); a new open withdrawal after each call that went through',
    expect: only(['admin']),
    request: async (w) => ({
      path: `/api/admin/withdrawals/${await w.untilUsed('withdrawal', () => w.openWithdrawal())}/mark-failed`,
      body: { reason: 'The wallet number is closed' },
    }),
  },
  {
    method: 'POST',
    path: '/api/admin/wallets/{userId}/adjustments',
    rule: 'admin (API.md Money)',
    expect: only(['admin']),
    request: (w) =>
      Promise.resolve({
        path: `/api/admin/wallets/${w.craftsman.user.id}/adjustments`,
        body: { amount: 100, reason: 'goodwill credit' },
      }),
  },
  {
    method: 'GET',
    path: '/api/admin/ledger/check',
    rule: 'admin (API.md Money)',
    expect: only(['admin']),
    request: () => Promise.resolve({ path: '/api/admin/ledger/check' }),
  },
];
