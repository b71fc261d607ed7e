#!/usr/bin/env node
// Fawry payment webhooks (Money II) through the app built in dist/, listening on 127.0.0.1, with
// a small Fawry fake of this file's own (charge and Payment Status V2, signed and checked as
// Fawry's API and test/support/fake-fawry.ts do) on 127.0.0.1:
//  1. MongoDB commands per webhook, counted with the driver's command monitoring
//     (MONGODB_MONITOR_COMMANDS=true, `commandStarted`) on a quiet app, one delivery at a time,
//     from the request until the app is quiet again (the dispatcher sending the e-mails it
//     created included): a first PAID notification (pending → held), the same notification
//     again (a duplicate), a new notification of the same PAID state (another requestId: the
//     dedupe can't know it), and a first delivery with its duplicate at the same moment; with the
//     app's Payment Status V2 calls, and where the delivery's time went (the database's answers,
//     the Fawry call);
//  2. deliveries per second of PAID notifications for `--payments` distinct pending payments
//     (set up through the API: clients, craftsmen, hired escrow jobs, `POST /payments/initiate`
//     with provider fawry), 10 % of the deliveries duplicates (half of them sent at the same time
//     as the first, half later in the queue), by 1, 4 and 16 senders; the cases interleaved,
//     repeated; the median. After each run every payment must be held exactly once (status held,
//     one posted `payment:<id>:hold` entry and no other, one `payment.held` notification to each
//     party), and at the end `GET /admin/ledger/check` balanced: the bench throws otherwise.
// The senders share this process with the app (as bench/socket-fanout.mjs); the fake answers
// from this process too. Prints a markdown section; appends nothing.
//
//   npm run build && node bench/payment-webhooks.mjs [--payments 90] [--concurrency 1,4,16]
//     [--rounds 3] [--samples 20] [--warmup 45]
//
// Uses MONGODB_URI instead of the embedded engine when it is set.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getConnectionToken } from '@nestjs/mongoose';
import { SchedulerRegistry } from '@nestjs/schedule';
import mongoose from 'mongoose';
import { createApp } from '../dist/bootstrap.js';
import { DATABASE_ENGINE } from '../dist/database/engine/database-engine.js';
import { LedgerService } from '../dist/modules/money/ledger/ledger.service.js';
import { DeliveryDispatcher } from '../dist/modules/notifications/delivery.dispatcher.js';
import {
  fawryAmount,
  fawryChargeSignature,
  fawryNotificationSignature,
  fawrySignatureMatches,
  fawryStatusSignature,
  piastresFromFawry,
} from '../dist/modules/money/payments/providers/fawry-signatures.js';
import { benchEnv, call, register } from './harness.mjs';
import { machineLine, option, percentile } from './results.mjs';

const PAYMENTS = Number(option('payments', 90));
const CONCURRENCY = option('concurrency', '1,4,16').split(',').map(Number);
const ROUNDS = Number(option('rounds', 3));
const SAMPLES = Number(option('samples', 20));
const WARMUP = Number(option('warmup', 45));

/** Share of the deliveries that are a notification delivered before. */
const DUPLICATE_SHARE = 0.1;
/** The hired price of each job, piastres (500 EGP). */
const PRICE = 50_000;
/** Clients and craftsmen the jobs are spread over (each has many). */
const PARTIES = 8;
/** Requests in flight while setting up payments. */
const SETUP_CONCURRENCY = 4;
const MERCHANT_CODE = 'BENCH-MERCHANT-1';
const SECURE_KEY = randomBytes(24).toString('hex');
const ADMIN = { email: 'admin@bench.example.com', password: 'bench-admin-password-1' };

/** The connection's own housekeeping, not the app's (test/support/command-recorder.ts). */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions']);
const QUIET_MS = 200;

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '—';
const median = (values) => percentile(values, 50);
/** The machine's 1-minute load average at the start of each measured run (it is shared). */
const loads = [];

/** CPU time (ms) the engine's process has used so far (Linux /proc), else NaN. */
function engineCpuMs(engine) {
  try {
    const fields = readFileSync(`/proc/${engine.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks (100 a second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Removes every settled entry's id from its accounts (LedgerService.compact, with no delay). */
async function compactAll(ledger) {
  while ((await ledger.compact(0, 2000)) > 0) {
    // next batch
  }
}

// --- a Fawry of our own ---

/** The bench's own HTTP client; the global one is wrapped to time the app's calls to Fawry. */
const httpFetch = globalThis.fetch;
/** Time (ms) the app spent in calls to the Fawry fake, and how many, since the last reset. */
const gatewayCalls = { ms: 0, count: 0, url: '' };
globalThis.fetch = async (input, init) => {
  if (!gatewayCalls.url || !String(input).startsWith(gatewayCalls.url)) {
    return httpFetch(input, init);
  }
  const at = performance.now();
  try {
    const response = await httpFetch(input, init);
    const body = await response.text();
    return new Response(body, { status: response.status, headers: response.headers });
  } finally {
    gatewayCalls.ms += performance.now() - at;
    gatewayCalls.count += 1;
  }
};

/** Piastres as the JSON number Fawry writes (`15000` → `150`). */
const egp = (piastres) => Number(fawryAmount(piastres));
const digits = (count) =>
  Array.from({ length: count }, (_, i) => String(randomInt(i === 0 ? 1 : 0, 10))).join('');

/**
 * FawryPay's charge and Payment Status V2 (`GET …/payments/status/v2`) for one merchant, on
 * 127.0.0.1: requests with another merchant code or a wrong signature are refused (9901, 9946),
 * an unknown `merchantRefNumber` is 9938, as Fawry answers them (HTTP 200 with its own
 * `statusCode`). The bench moves charges (`pay`) and builds signed V2 notifications
 * (`notificationFor`); `requests` counts what the app asked, by endpoint.
 */
class FawryFake {
  charges = new Map();
  requests = { charge: 0, status: 0, other: 0 };

  async start() {
    this.server = createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const answer = this.route(request, Buffer.concat(chunks).toString('utf8'));
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
    // the app's fetch keeps connections open: many in flight at 16 senders
    this.server.keepAliveTimeout = 30_000;
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${this.server.address().port}`;
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  route(request, text) {
    const url = new URL(request.url, 'http://fawry.invalid');
    const base = '/ECommerceWeb/Fawry/payments';
    if (request.method === 'POST' && url.pathname === `${base}/charge`) {
      this.requests.charge += 1;
      return { status: 200, body: this.charge(JSON.parse(text)) };
    }
    if (request.method === 'GET' && url.pathname === `${base}/status/v2`) {
      this.requests.status += 1;
      return { status: 200, body: this.status(Object.fromEntries(url.searchParams)) };
    }
    this.requests.other += 1;
    return { status: 404, body: { status: 404, error: 'Not Found', path: url.pathname } };
  }

  charge(body) {
    const type = { type: 'ChargeResponse' };
    if (body.merchantCode !== MERCHANT_CODE) {
      return { ...type, statusCode: 9901, statusDescription: 'Merchant code is blank or invalid' };
    }
    const amount = piastresFromFawry(body.amount);
    const expected = fawryChargeSignature({
      merchantCode: MERCHANT_CODE,
      merchantRefNum: body.merchantRefNum,
      customerProfileId: body.customerProfileId,
      paymentMethod: body.paymentMethod,
      amount,
      secureKey: SECURE_KEY,
    });
    if (!fawrySignatureMatches(expected, body.signature)) {
      return { ...type, statusCode: 9946, statusDescription: 'Wrong Signature' };
    }
    let charge = this.charges.get(body.merchantRefNum);
    if (!charge) {
      charge = {
        merchantRefNum: body.merchantRefNum,
        referenceNumber: digits(9),
        paymentMethod: body.paymentMethod,
        amount,
        orderStatus: body.paymentMethod === 'PAYATFAWRY' ? 'UNPAID' : 'NEW',
        expiresAt: body.paymentExpiry,
      };
      this.charges.set(charge.merchantRefNum, charge);
    }
    return {
      ...type,
      referenceNumber: charge.referenceNumber,
      merchantRefNumber: charge.merchantRefNum,
      orderAmount: egp(charge.amount),
      paymentAmount: egp(charge.amount),
      fawryFees: 0,
      paymentMethod: charge.paymentMethod,
      orderStatus: charge.orderStatus,
      expirationTime: charge.expiresAt,
      statusCode: 200,
      statusDescription: 'Operation done successfully',
    };
  }

  status(query) {
    const type = { type: 'PaymentStatusResponse' };
    if (query.merchantCode !== MERCHANT_CODE) {
      return { ...type, statusCode: 9901, statusDescription: 'Merchant code is blank or invalid' };
    }
    const expected = fawryStatusSignature({
      merchantCode: MERCHANT_CODE,
      merchantRefNumber: query.merchantRefNumber ?? '',
      secureKey: SECURE_KEY,
    });
    if (!fawrySignatureMatches(expected, query.signature)) {
      return { ...type, statusCode: 9946, statusDescription: 'Wrong Signature' };
    }
    const charge = this.charges.get(query.merchantRefNumber);
    if (!charge) {
      return { ...type, statusCode: 9938, statusDescription: 'Payment not found' };
    }
    return {
      ...type,
      referenceNumber: charge.referenceNumber,
      merchantRefNumber: charge.merchantRefNum,
      paymentAmount: egp(charge.amount),
      orderAmount: egp(charge.amount),
      fawryFees: 0,
      orderStatus: charge.orderStatus,
      paymentMethod: charge.paymentMethod,
      ...(charge.paymentTime ? { paymentTime: charge.paymentTime } : {}),
      ...(charge.paymentReference ? { paymentRefrenceNumber: charge.paymentReference } : {}),
      statusCode: 200,
      statusDescription: 'Operation done successfully',
    };
  }

  /** The payer pays at a Fawry outlet: PAID, with the outlet's receipt number. */
  pay(merchantRefNum) {
    const charge = this.charges.get(merchantRefNum);
    if (!charge) {
      throw new Error(`the Fawry fake has no charge ${merchantRefNum}`);
    }
    charge.orderStatus = 'PAID';
    charge.paymentTime = Date.now();
    charge.paymentReference = digits(8);
  }

  /** The Server-to-Server Notification V2 Fawry would send now, signed (a new requestId). */
  notificationFor(merchantRefNum) {
    const charge = this.charges.get(merchantRefNum);
    const notification = {
      requestId: randomBytes(16).toString('hex'),
      fawryRefNumber: charge.referenceNumber,
      merchantRefNumber: charge.merchantRefNum,
      paymentAmount: egp(charge.amount),
      orderAmount: egp(charge.amount),
      fawryFees: 0,
      shippingFees: 0,
      orderStatus: charge.orderStatus,
      paymentMethod: charge.paymentMethod,
      paymentTime: charge.paymentTime,
      paymentRefrenceNumber: charge.paymentReference,
      orderExpiryDate: charge.expiresAt,
      orderItems: [{ itemCode: charge.merchantRefNum, price: egp(charge.amount), quantity: 1 }],
    };
    notification.messageSignature = fawryNotificationSignature({
      fawryRefNumber: notification.fawryRefNumber,
      merchantRefNumber: notification.merchantRefNumber,
      paymentAmount: charge.amount,
      orderAmount: charge.amount,
      orderStatus: notification.orderStatus,
      paymentMethod: notification.paymentMethod,
      paymentRefrenceNumber: notification.paymentRefrenceNumber,
      secureKey: SECURE_KEY,
    });
    return JSON.stringify(notification);
  }
}

// --- the app and its commands ---

/**
 * Every command the app's driver sends while `recording` is set, and while `waits` is set how
 * long the driver waited for their answers (from `commandStarted` to `commandSucceeded` or
 * `commandFailed`).
 */
class Recorder {
  constructor(connection, dispatcher) {
    const client = connection.getClient();
    if (!client.options.monitorCommands) {
      throw new Error('the app runs without MONGODB_MONITOR_COMMANDS=true');
    }
    this.dispatcher = dispatcher;
    this.recording = null;
    /** While recording: how long the driver waited for each answer, by collection. */
    this.waits = null;
    this.sent = new Map();
    this.lastAt = 0;
    client.on('commandStarted', (event) => {
      if (HOUSEKEEPING.has(event.commandName)) {
        return;
      }
      this.lastAt = performance.now();
      const target = event.command[event.commandName];
      const collection = typeof target === 'string' ? target : '';
      this.recording?.push(`${event.commandName}${collection ? ` ${collection}` : ''}`);
      if (this.waits) {
        this.sent.set(event.requestId, {
          collection: collection || event.commandName,
          at: performance.now(),
        });
      }
    });
    // the driver's own `duration` is in whole milliseconds: too coarse for commands of 1–3 ms
    const answered = (event) => {
      const sent = this.sent.get(event.requestId);
      if (sent === undefined) {
        return;
      }
      this.sent.delete(event.requestId);
      if (this.waits) {
        const ms = performance.now() - sent.at;
        this.waits.set(sent.collection, (this.waits.get(sent.collection) ?? 0) + ms);
      }
    };
    client.on('commandSucceeded', answered);
    client.on('commandFailed', answered);
  }

  /** No delivery being sent and no command for QUIET_MS (test/support/command-recorder.ts). */
  async quiet() {
    for (;;) {
      await this.dispatcher.idle();
      const since = performance.now() - this.lastAt;
      if (since >= QUIET_MS) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS - since));
    }
  }

  /**
   * `call` on a quiet app: the commands sent until its answer (and the time the driver waited
   * for the answers of those, by collection), and those sent after it until the app is quiet.
   */
  async measure(call) {
    await this.quiet();
    const during = [];
    const waits = new Map();
    this.recording = during;
    this.waits = waits;
    let result;
    try {
      result = await call();
    } finally {
      this.recording = null;
      this.waits = null;
      this.sent.clear();
    }
    const after = [];
    this.recording = after;
    try {
      await this.quiet();
    } finally {
      this.recording = null;
    }
    return { result, during, after, waits };
  }
}

/** Commands by collection: `payments 3, ledger_accounts 2, …`, most first. */
function byCollection(commands) {
  const counts = new Map();
  for (const text of commands) {
    const collection = text.split(' ')[1] ?? '(none)';
    counts.set(collection, (counts.get(collection) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([collection, n]) => `${collection} ${n}`)
    .join(', ');
}

async function boot() {
  const fawry = new FawryFake();
  const fawryUrl = await fawry.start();
  gatewayCalls.url = fawryUrl;
  const logDir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-payments-data-'));
  const { app } = await createApp(
    benchEnv(logDir, {
      NODE_ENV: 'test',
      MONGODB_DB_NAME: `bench_payments_${Date.now()}`,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      MONGODB_MONITOR_COMMANDS: 'true',
      DELIVERY_POLL_INTERVAL: 'PT1H',
      DELIVERY_POLL_MAX_INTERVAL: 'PT1H',
      FAWRY_BASE_URL: fawryUrl,
      FAWRY_MERCHANT_CODE: MERCHANT_CODE,
      FAWRY_SECURE_KEY: SECURE_KEY,
      PAYMENT_GATEWAY_TIMEOUT: 'PT10S',
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  // no schedule lands in a measurement (the money sweeps, the payment expiry sweep)
  app
    .get(SchedulerRegistry)
    .getCronJobs()
    .forEach((job) => void job.stop());
  const connection = app.get(getConnectionToken());
  const recorder = new Recorder(connection, app.get(DeliveryDispatcher));
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const admin = await call(url, 'POST', '/api/auth/login', {
    loginIdentifier: ADMIN.email,
    password: ADMIN.password,
    type: 'admins',
  });
  const server = { url };
  const clients = [];
  const craftsmen = [];
  for (let i = 0; i < PARTIES; i += 1) {
    clients.push(await register(server, 'client'));
    craftsmen.push(await register(server, 'craftsman'));
  }
  await recorder.quiet();
  return {
    app,
    url,
    fawry,
    connection,
    recorder,
    admin,
    clients,
    craftsmen,
    logDir,
    dataDir,
    engine: app.get(DATABASE_ENGINE),
    ledger: app.get(LedgerService),
    made: 0,
  };
}

/** Runs `work(item)` for each item, `concurrency` at a time. */
async function pool(items, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        await work(item);
      }
    }),
  );
}

/**
 * `count` hired escrow jobs, each with its pending Fawry payment, through the API, then paid at
 * the Fawry fake (not yet told to the app).
 */
async function pendingPayments(ctx, count) {
  const payments = [];
  const indexes = Array.from({ length: count }, () => (ctx.made += 1));
  await pool(indexes, SETUP_CONCURRENCY, async (i) => {
    const client = ctx.clients[i % PARTIES];
    const craftsman = ctx.craftsmen[(i * 3 + 1) % PARTIES];
    const job = await call(
      ctx.url,
      'POST',
      '/api/jobs',
      {
        title: 'Replace the water heater',
        description: 'The bathroom water heater leaks and needs replacing.',
        category: 'Plumbing',
        paymentType: 'escrow',
      },
      client.accessToken,
    );
    const quote = await call(
      ctx.url,
      'POST',
      `/api/jobs/${job.id}/quotes`,
      { price: PRICE },
      craftsman.accessToken,
    );
    await call(
      ctx.url,
      'POST',
      `/api/jobs/${job.id}/quotes/${quote.id}/accept`,
      undefined,
      client.accessToken,
    );
    const payment = await call(
      ctx.url,
      'POST',
      '/api/payments/initiate',
      { jobId: job.id, provider: 'fawry' },
      client.accessToken,
    );
    if (payment.status !== 'pending' || !payment.referenceNumber) {
      throw new Error(`payment ${payment.id} initiated as ${JSON.stringify(payment)}`);
    }
    payments.push(payment);
  });
  for (const payment of payments) {
    ctx.fawry.pay(payment.id);
  }
  return payments;
}

/** A Fawry notification posted as Fawry does (JSON); its answer and how long it took. */
async function deliver(ctx, body) {
  const at = performance.now();
  const response = await httpFetch(`${ctx.url}/api/payments/webhook/fawry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = text;
  }
  return { status: response.status, answer, ms: performance.now() - at };
}

function expectAcknowledged(delivery, what) {
  if (delivery.status !== 200 || delivery.answer?.received !== true) {
    throw new Error(`${what}: HTTP ${delivery.status} ${JSON.stringify(delivery.answer)}`);
  }
}

// --- 1. commands per webhook ---

/** How often each command and collection came, in the order they first came. */
function countsOf(commands) {
  const counts = new Map();
  for (const text of commands) {
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}

/** `find payment_webhook_events, find payments, update ledger_accounts ×2, …`. */
function tally(counts) {
  return [...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text)).join(', ') || '—';
}

/** The same counts in any order: the key that groups samples (their order is timing's). */
const countsKey = (counts) => JSON.stringify([...counts].sort());

/** What `counts` has that `base` has not, or not as often: `find ledger_entries ×3`. */
function difference(counts, base) {
  const changed = new Map(
    [...new Set([...counts.keys(), ...base.keys()])]
      .filter((text) => counts.get(text) !== base.get(text))
      .map((text) => [text, counts.get(text) ?? 0]),
  );
  return [...changed].map(([text, n]) => `${text} ×${n}`).join(', ');
}

const range = (values) => {
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return min === max ? `${min}` : `${min}–${max}`;
};

/**
 * Sends each of `sends` (a list of bodies posted at the same moment) on a quiet app and records
 * what it cost: the commands until the answers and after them until quiet, the time the driver
 * waited for the database, the app's calls to Fawry and their time, the wall time.
 */
async function countCase(ctx, name, sends, expectDuplicate) {
  const samples = [];
  for (const bodies of sends) {
    gatewayCalls.ms = 0;
    gatewayCalls.count = 0;
    const { result, during, after, waits } = await ctx.recorder.measure(() =>
      Promise.all(bodies.map((body) => deliver(ctx, body))),
    );
    for (const delivery of result) {
      expectAcknowledged(delivery, name);
    }
    const duplicates = result.filter((d) => d.answer.duplicate).length;
    if (expectDuplicate !== undefined && duplicates !== (expectDuplicate ? bodies.length : 0)) {
      throw new Error(`${name}: answered ${JSON.stringify(result.map((d) => d.answer))}`);
    }
    samples.push({
      during,
      after,
      all: [...during, ...after],
      dbMs: [...waits.values()].reduce((a, b) => a + b, 0),
      waits,
      gatewayMs: gatewayCalls.ms,
      gatewayCalls: gatewayCalls.count,
      wallMs: Math.max(...result.map((d) => d.ms)),
      duplicates,
    });
  }
  const groups = new Map();
  for (const sample of samples) {
    const counts = countsOf(sample.all);
    const key = countsKey(counts);
    const group = groups.get(key) ?? { counts, n: 0 };
    group.n += 1;
    groups.set(key, group);
  }
  const [commonest, ...others] = [...groups.values()].sort((a, b) => b.n - a.n);
  return {
    name,
    total: range(samples.map((x) => x.all.length)),
    during: range(samples.map((x) => x.during.length)),
    gatewayCalls: range(samples.map((x) => x.gatewayCalls)),
    duplicates: range(samples.map((x) => x.duplicates)),
    tally: tally(commonest.counts),
    tallyShare: `${commonest.n}/${samples.length}`,
    others: others.map((group) => [difference(group.counts, commonest.counts), group.n]),
    collections: byCollection(
      samples.find((x) => countsKey(countsOf(x.all)) === countsKey(commonest.counts)).all,
    ),
    wallMs: median(samples.map((x) => x.wallMs)),
    dbMs: median(samples.map((x) => x.dbMs)),
    waits: [...new Set(samples.flatMap((x) => [...x.waits.keys()]))]
      .map((collection) => [collection, median(samples.map((x) => x.waits.get(collection) ?? 0))])
      .sort((a, b) => b[1] - a[1]),
    gatewayMs: median(samples.map((x) => x.gatewayMs)),
  };
}

async function commandsPerWebhook(ctx) {
  const payments = await pendingPayments(ctx, SAMPLES);
  const first = payments.map((p) => [ctx.fawry.notificationFor(p.id)]);
  const again = payments.map((p) => [ctx.fawry.notificationFor(p.id)]);
  const rows = [
    await countCase(ctx, 'first delivery (pending → held)', first, false),
    await countCase(ctx, 'duplicate: the same notification again, after the first', first, true),
    await countCase(ctx, 'the same PAID state, a new requestId (already held)', again, false),
  ];
  await verifyHeld(ctx, payments);
  const pairs = await pendingPayments(ctx, SAMPLES);
  rows.push(
    await countCase(
      ctx,
      'first delivery and its duplicate at the same moment (both)',
      pairs.map((p) => {
        const body = ctx.fawry.notificationFor(p.id);
        return [body, body];
      }),
    ),
  );
  await verifyHeld(ctx, pairs);
  return rows;
}

// --- 2. throughput ---

/** A seeded shuffle, so every run sends the same order. */
function shuffle(items, seed) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return { items, random };
}

/**
 * The queue of deliveries for `payments`: one notification each, and duplicates making
 * DUPLICATE_SHARE of all deliveries: half sent at the same moment as the first delivery (one
 * sender posts both at once), half later in the queue (anywhere after the first).
 */
function deliveriesFor(ctx, payments, seed) {
  const duplicates = Math.round((payments.length * DUPLICATE_SHARE) / (1 - DUPLICATE_SHARE));
  const { items: order, random } = shuffle(
    payments.map((payment) => ({ payment, body: ctx.fawry.notificationFor(payment.id) })),
    seed,
  );
  // spread over the queue: every other one a pair sent at once, the others sent again later
  const picked = Array.from({ length: duplicates }, (_, k) =>
    Math.floor((k * order.length) / duplicates),
  );
  const concurrent = picked.filter((_, k) => k % 2 === 0).length;
  const queue = order.map((item) => ({ ...item, copies: 1 }));
  const late = [];
  picked.forEach((at, k) => {
    if (k % 2 === 0) {
      queue[at].copies = 2;
    } else {
      late.push(queue[at]);
    }
  });
  for (const item of late) {
    const from = queue.indexOf(item) + 1;
    const to = from + Math.floor(random() * (queue.length - from + 1));
    queue.splice(to, 0, { payment: item.payment, body: item.body, copies: 1 });
  }
  return { queue, duplicates, concurrent };
}

async function run(ctx, { senders, payments, seed }) {
  const { queue, duplicates, concurrent } = deliveriesFor(ctx, payments, seed);
  // every hold posts to gateway:fawry: each run starts with its pendingEntries compacted
  await compactAll(ctx.ledger);
  await ctx.recorder.quiet();
  loads.push(loadavg()[0]);
  const results = [];
  const commands = [];
  const statusBefore = ctx.fawry.requests.status;
  ctx.recorder.recording = commands;
  const cpuBefore = process.cpuUsage();
  const engineBefore = engineCpuMs(ctx.engine);
  const started = performance.now();
  await pool(queue, senders, async (item) => {
    const sent = await Promise.all(
      Array.from({ length: item.copies }, () => deliver(ctx, item.body)),
    );
    results.push(...sent);
  });
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const engineCpu = engineCpuMs(ctx.engine) - engineBefore;
  await ctx.recorder.quiet();
  ctx.recorder.recording = null;
  const [hotIds] = (
    await ctx.connection.db
      .collection('ledger_accounts')
      .aggregate([
        { $match: { _id: 'gateway:fawry' } },
        { $project: { n: { $size: '$pendingEntries' } } },
      ])
      .toArray()
  ).map((account) => account.n);
  const refused = results.filter((r) => r.status !== 200 || r.answer?.received !== true);
  if (refused.length > 0) {
    throw new Error(
      `${senders} senders: ${refused.length} deliveries not acknowledged, e.g. HTTP ${refused[0].status} ${JSON.stringify(refused[0].answer)}`,
    );
  }
  await verifyHeld(ctx, payments);
  const latencies = results.map((r) => r.ms);
  return {
    deliveries: results.length,
    duplicates,
    concurrent,
    answeredDuplicate: results.filter((r) => r.answer.duplicate).length,
    perSecond: (results.length / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    commandsPerDelivery: commands.length / results.length,
    statusCalls: ctx.fawry.requests.status - statusBefore,
    cpuMs: (cpu.user + cpu.system) / 1000 / results.length,
    engineCpuMs: engineCpu / results.length,
    hotIds,
  };
}

/**
 * Every payment held exactly once: status `held`, one posted `payment:<id>:hold` entry and no
 * other entry about it, the job's escrow holding the price, one `payment.held` notification to
 * each party.
 */
async function verifyHeld(ctx, payments) {
  const db = ctx.connection.db;
  const ids = payments.map((p) => p.id);
  const wrong = [];
  const stored = await db
    .collection('payments')
    .find({ _id: { $in: ids.map((id) => new mongoose.Types.ObjectId(id)) } })
    .project({ status: 1, job: 1 })
    .toArray();
  const notHeld = stored.filter((p) => p.status !== 'held');
  if (stored.length !== ids.length || notHeld.length > 0) {
    wrong.push(
      `${ids.length - stored.length} payments missing, ${notHeld.length} not held (${notHeld
        .slice(0, 3)
        .map((p) => `${p._id}: ${p.status}`)
        .join(', ')})`,
    );
  }
  const entries = await db
    .collection('ledger_entries')
    .find({ 'links.payment': { $in: ids } })
    .project({ idempotencyKey: 1, state: 1, links: 1 })
    .toArray();
  const byPayment = new Map(ids.map((id) => [id, []]));
  for (const entry of entries) {
    byPayment.get(entry.links.payment).push(entry);
  }
  for (const [id, list] of byPayment) {
    if (
      list.length !== 1 ||
      list[0].idempotencyKey !== `payment:${id}:hold` ||
      list[0].state !== 'posted'
    ) {
      wrong.push(
        `payment ${id}: entries ${JSON.stringify(list.map((e) => [e.idempotencyKey, e.state]))}`,
      );
    }
  }
  const escrows = await db
    .collection('ledger_accounts')
    .find({ _id: { $in: payments.map((p) => `escrow:job:${p.job}`) } })
    .project({ balance: 1 })
    .toArray();
  const offEscrow = escrows.filter((account) => account.balance !== PRICE);
  if (escrows.length !== payments.length || offEscrow.length > 0) {
    wrong.push(`${payments.length - escrows.length} escrows missing, ${offEscrow.length} ≠ price`);
  }
  const told = await db
    .collection('notifications')
    .aggregate([
      { $match: { type: 'payment.held', 'data.paymentId': { $in: ids } } },
      { $group: { _id: '$data.paymentId', n: { $sum: 1 } } },
    ])
    .toArray();
  const toldWrong = told.filter((t) => t.n !== 2);
  if (told.length !== ids.length || toldWrong.length > 0) {
    wrong.push(
      `payment.held notifications: ${ids.length - told.length} payments without, ${toldWrong.length} with ≠ 2`,
    );
  }
  if (wrong.length > 0) {
    throw new Error(`Not every payment held exactly once:\n- ${wrong.slice(0, 10).join('\n- ')}`);
  }
}

/**
 * Not counted: both JITs (Node's, the engine's JVM), the connection pools, the engine's
 * collections, through the webhook path at the most senders.
 */
async function warmUp(ctx) {
  const warm = await pendingPayments(ctx, WARMUP);
  await run(ctx, { senders: Math.max(...CONCURRENCY), payments: warm, seed: 7 });
  loads.length = 0;
}

async function throughput(ctx) {
  const results = CONCURRENCY.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [at, senders] of CONCURRENCY.entries()) {
      const payments = await pendingPayments(ctx, PAYMENTS);
      results[at].push(await run(ctx, { senders, payments, seed: 1000 * round + senders }));
    }
  }
  return CONCURRENCY.map((senders, at) => ({ senders, runs: results[at] }));
}

async function ledgerCheck(ctx) {
  const check = await call(
    ctx.url,
    'GET',
    '/api/admin/ledger/check',
    undefined,
    ctx.admin.accessToken,
  );
  if (!check.balanced || check.mismatches.length > 0 || check.unbalancedEntries.length > 0) {
    throw new Error(`GET /api/admin/ledger/check is not balanced: ${JSON.stringify(check)}`);
  }
  return check;
}

// --- the report ---

const setupStarted = performance.now();
const ctx = await boot();
let measured;
try {
  await warmUp(ctx);
  const commands = await commandsPerWebhook(ctx);
  const rates = await throughput(ctx);
  const check = await ledgerCheck(ctx);
  measured = { commands, rates, check, load: [Math.min(...loads), Math.max(...loads)] };
} finally {
  await ctx.app.close();
  await ctx.fawry.close();
  rmSync(ctx.dataDir, { recursive: true, force: true });
  rmSync(ctx.logDir, { recursive: true, force: true });
}
const wall = (performance.now() - setupStarted) / 1000;

const { commands, rates, check, load } = measured;
const rateOf = (r) => median(r.runs.map((x) => x.perSecond));
const single = rateOf(rates.find((r) => r.senders === Math.min(...CONCURRENCY)));
const lines = [
  `### Payment webhooks (Money II) — ${new Date().toISOString()}`,
  '',
  machineLine({ description: ctx.engine.description }),
  `Command: \`npm run bench:payments\` (\`npm run build && node bench/payment-webhooks.mjs\` with its defaults: \`--payments ${PAYMENTS} --concurrency ${CONCURRENCY.join(',')} --rounds ${ROUNDS} --samples ${SAMPLES} --warmup ${WARMUP}\`); ${fmt(wall)} s in all.`,
  '',
  `MongoDB commands per webhook: Fawry PAID notifications (\`POST /api/payments/webhook/fawry\`) of ${SAMPLES} pending payments (${SAMPLES} more for the last row), one delivery (or pair) at a time on a quiet app, counted by the driver's command monitoring (connection housekeeping left out), from the request until the app is quiet again: the webhook's own commands and the dispatcher's sending of the e-mail and push deliveries it created (which may start before the answer: how many came before it is in brackets). Fawry calls: Payment Status V2 requests the app made. Times: the median over the samples of the delivery's wall time, of the time the driver waited for the database's answers and of the time in the Fawry call, until the answer (sequential: one delivery at a time).`,
  '',
  '| delivery | commands (before the answer) | Fawry calls | answered duplicate | wall / database / Fawry, ms | commands, by collection |',
  '|---|---|---|---|---|---|',
  ...commands.map(
    (r) =>
      `| ${r.name} | ${r.total} (${r.during}) | ${r.gatewayCalls} | ${r.duplicates} | ${fmt(r.wallMs, 1)} / ${fmt(r.dbMs, 1)} / ${fmt(r.gatewayMs, 1)} | ${r.collections} |`,
  ),
  '',
  ...commands.map(
    (r) =>
      `- ${r.name}: ${r.tally} (${r.tallyShare} samples)${r.others.length > 0 ? `; the others with ${r.others.map(([text, n]) => `${text} (${n})`).join(', ')}` : ''}; database wait until the answer by collection (median ms): ${r.waits.map(([collection, ms]) => `${collection} ${fmt(ms, 1)}`).join(', ')}.`,
  ),
  '',
  `Deliveries per second: ${fmt(PAYMENTS)} new pending payments for each run (hired escrow jobs of ${PARTIES} clients and ${PARTIES} craftsmen, \`POST /api/payments/initiate\` with provider fawry; not timed), paid at the fake, then their PAID notifications posted by N senders, each one delivery after another; ${Math.round(DUPLICATE_SHARE * 100)} % of the deliveries are duplicates (the same bytes): half posted at the same moment as the first delivery, half later in the queue. ${WARMUP} payments at ${Math.max(...CONCURRENCY)} senders first (not counted, before the commands above too), then the levels interleaved, ${ROUNDS} rounds: the median (each round in brackets). Latency per delivery, HTTP included; senders, app and fake share this process (its CPU), the engine is its own process (its JVM, from /proc). Settled entries are compacted off their accounts before each run; every hold posts to \`gateway:fawry\`, so its \`pendingEntries\` grows by one id per payment during a run. Command monitoring stays on.`,
  '',
  `| senders | deliveries/s (rounds) | ÷ ${Math.min(...CONCURRENCY)} sender | latency p50 / p99 | commands/delivery | Fawry status calls / payment | answered \`duplicate: true\` / duplicates sent | CPU per delivery: this process / engine | ids on gateway:fawry after |`,
  '|---|---|---|---|---|---|---|---|---|',
  ...rates.map((r) => {
    const ratio = rateOf(r) / single;
    const x = r.runs;
    return `| ${r.senders} | ${fmt(rateOf(r))} (${x.map((y) => fmt(y.perSecond)).join(', ')}) | **${ratio.toFixed(2)}** | ${fmt(median(x.map((y) => y.p50)), 1)} / ${fmt(median(x.map((y) => y.p99)), 1)} ms | ${fmt(median(x.map((y) => y.commandsPerDelivery)), 2)} | ${fmt(median(x.map((y) => y.statusCalls / PAYMENTS)), 2)} | ${x.map((y) => `${y.answeredDuplicate}/${y.duplicates}`).join(', ')} | ${fmt(median(x.map((y) => y.cpuMs)), 2)} / ${fmt(median(x.map((y) => y.engineCpuMs)), 2)} ms | ${x.map((y) => fmt(y.hotIds)).join(', ')} |`;
  }),
  '',
  `1-minute load average at the start of the runs ${fmt(load[0], 1)}–${fmt(load[1], 1)} on ${cpus().length} cores. After every run each of its payments was held exactly once (status held, one posted \`payment:<id>:hold\` entry and no other entry about it, the job's escrow at the price, one \`payment.held\` notification to each party); every delivery was answered 200. At the end \`GET /api/admin/ledger/check\`: balanced ${check.balanced}, ${fmt(check.entries)} entries, ${fmt(check.accounts)} accounts, ${check.mismatches.length} mismatches, ${check.unbalancedEntries.length} unbalanced entries.`,
  '',
];
console.log(lines.join('\n'));
