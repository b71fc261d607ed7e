import { appendFileSync, writeFileSync } from 'node:fs';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  CommandRecorder,
  describeCommands,
  type Measurement,
  type RecordedCommand,
} from '../support/command-recorder.js';
import { AuthStateCache } from '../../src/modules/auth/auth-state.cache.js';
import { TokenRevokedEvent } from '../../src/modules/auth/events/token-revoked.event.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeGateways } from '../support/payments.js';
import { TestMailbox } from '../support/smtp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ACTORS, type Actor, World } from './authorization-matrix.fixtures.js';
import { withRequest } from './authorization-matrix.rules.js';
import { type MatrixRow, MATRIX } from './authorization-matrix.table.js';
import { IDLE_COMMANDS_PER_SECOND, ROUND_TRIP_BUDGETS } from './round-trips.budgets.js';

/**
 * Round-trip budgets: every route of the authorization matrix, called once by the first kind of
 * caller it lets through (on the matrix's own fixtures), may send at most its budget of MongoDB
 * commands, counted by the driver's command monitoring from the request until the app is quiet
 * again (listeners, notification fan-out and the sending of the deliveries included). A route
 * over its budget fails with the list of commands it sent.
 *
 * ROUND_TRIPS_REPORT=<file> also writes every route's count as a Markdown table (for
 * bench/RESULTS.md).
 */
const keyOf = (row: MatrixRow) => `${row.method} ${row.path}`;

/** The caller a route is measured with: the first of the matrix's actors it lets through. */
function callerOf(row: MatrixRow): Actor {
  const actor = ACTORS.find((candidate) => row.expect[candidate] === 'allow');
  if (!actor) {
    throw new Error(`${keyOf(row)} lets nobody through`);
  }
  return actor;
}

/** Fails with the list of commands sent when there were more than `budget`. */
function expectWithinBudget(what: string, sent: RecordedCommand[], budget: number): void {
  if (sent.length > budget) {
    throw new Error(
      `${what} sent ${sent.length} commands, over its budget of ${budget}: ${describeCommands(sent)}`,
    );
  }
  expect(sent.length).toBeLessThanOrEqual(budget);
}

/** How long an idle instance is watched: a tick of each of its minute schedules at least. */
const IDLE_SECONDS = 65;
let idle: TestApp | undefined;
/** What the idle instance sent in IDLE_SECONDS (watched while the routes are measured). */
let idling: Promise<RecordedCommand[]>;

beforeAll(async () => {
  // an app of its own (engine, database, client): the routes measured meanwhile on the other
  // app are not its commands, and the wait overlaps theirs
  idle = await createTestApp({
    env: {
      MONGODB_MONITOR_COMMANDS: 'true',
      // the defaults, not the test's
      INVITATION_SWEEP_CRON: '0 * * * * *',
    },
  });
  const recorder = new CommandRecorder(idle);
  await recorder.quiet();
  idling = recorder.during(
    () => new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000)),
  );
});

afterAll(async () => {
  await idle?.close();
});

describe('Round trips to MongoDB per route', () => {
  let t: TestApp;
  let w: World;
  let recorder: CommandRecorder;
  const mailbox = new TestMailbox();
  const clock = new FakeClock();
  const gateways = new FakeGateways();
  const measured = new Map<string, Measurement<number>>();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      env: {
        ...(await gateways.start()),
        SMTP_URL: mailbox.url,
        INVITATION_RESEND_INTERVAL_HOURS: '1',
        MONGODB_MONITOR_COMMANDS: 'true',
        // no poll during a measurement: what is counted is what the call caused
        DELIVERY_POLL_INTERVAL: 'PT1H',
        DELIVERY_POLL_MAX_INTERVAL: 'PT1H',
        // a warm cache of sessions for the whole run (its longest): counts do not depend on timing
        AUTH_CACHE_TTL: 'PT1M',
      },
      clock,
    });
    // nor a schedule (the minute's ban settling would land in some measurement)
    t.app
      .get(SchedulerRegistry)
      .getCronJobs()
      .forEach((job) => void job.stop());
    recorder = new CommandRecorder(t);
    w = await World.create(t, mailbox, clock, { emails: true, gateways });
  });

  afterAll(async () => {
    const report = process.env.ROUND_TRIPS_REPORT;
    if (report) {
      const lines = [...measured].map(
        ([key, m]) =>
          `| \`${key}\` | ${m.duringCall.length + m.afterCall.length} | ${ROUND_TRIP_BUDGETS[key] ?? '—'} | ${describeCommands([...m.duringCall, ...m.afterCall])} |`,
      );
      writeFileSync(
        report,
        ['| route | commands | budget | sent |', '| --- | --- | --- | --- |', ...lines].join('\n') +
          '\n',
      );
    }
    await t?.close();
    await mailbox.stop();
    await gateways.close();
  });

  /** Drops what AuthStateCache holds of this token and its account (as a logout would). */
  async function forgetCachedSession(bearer: string): Promise<void> {
    const claims = JSON.parse(
      Buffer.from(bearer.replace(/^Bearer /, '').split('.')[1] ?? '', 'base64url').toString(),
    ) as { sub: string; jti: string };
    const cache = t.app.get(AuthStateCache);
    await cache.onUserChanged({ userId: claims.sub });
    await cache.onTokenRevoked(new TokenRevokedEvent(claims.sub, claims.jti));
  }

  it('should have a budget for every route of the matrix, and none for a route it lacks', () => {
    const routes = MATRIX.map(keyOf);
    expect(routes.filter((route) => !(route in ROUND_TRIP_BUDGETS))).toEqual([]);
    expect(Object.keys(ROUND_TRIP_BUDGETS).filter((route) => !routes.includes(route))).toEqual([]);
  });

  for (const row of MATRIX) {
    const key = keyOf(row);
    const actor = callerOf(row);
    it(`should answer ${key} as ${actor} within ${ROUND_TRIP_BUDGETS[key]} commands`, async () => {
      w.startRow();
      const request = await row.request(w, actor);
      const session = request.as ?? (actor === 'anonymous' ? undefined : w.sessions[actor]);
      if (session) {
        // measured with a warm cache of the caller's session, as most calls are: loaded afresh
        // here, for AUTH_CACHE_TTL counts from the load, and an entry loaded a minute ago (the
        // run is longer) could expire between this warm-up and the call
        await forgetCachedSession(session.bearer);
        await t.http.get('/api/auth/session').set('Authorization', session.bearer).expect(200);
      }
      const measurement = await recorder.measure(async () => {
        const call = t.http[row.method.toLowerCase() as Lowercase<MatrixRow['method']>](
          request.path,
        );
        const response = await withRequest(call, request, session);
        return response.status;
      });
      w.endCase(measurement.result);
      measured.set(key, measurement);
      const sent = [...measurement.duringCall, ...measurement.afterCall];

      expect(measurement.result).toBeGreaterThanOrEqual(200);
      expect(measurement.result).toBeLessThan(300);
      expectWithinBudget(key, sent, ROUND_TRIP_BUDGETS[key]);
    });
  }
});

describe('An idle instance', () => {
  it(`should send at most ${IDLE_COMMANDS_PER_SECOND} command per second with the default schedules`, async () => {
    const sent = await idling;

    const report = process.env.ROUND_TRIPS_REPORT;
    if (report) {
      appendFileSync(
        report,
        `\nIdle, ${IDLE_SECONDS} s with the default schedules: ${sent.length} commands: ${describeCommands(sent)}\n`,
      );
    }
    expectWithinBudget(
      `${IDLE_SECONDS} s of idling`,
      sent,
      IDLE_COMMANDS_PER_SECOND * IDLE_SECONDS,
    );
  }, 120_000);
});
