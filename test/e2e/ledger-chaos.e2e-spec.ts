import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import type { DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { startEmbeddedEngine } from '../../src/database/engine/embedded-engine.js';
import {
  type AppProcess,
  type CompiledApp,
  compileApp,
  startAppProcess,
} from '../support/app-process.js';
import { type Answer, call, callExpecting, type HttpCall, seededRandom } from '../support/chaos.js';
import type { LedgerCheck, WalletBalance } from '../support/money.js';

const CRAFTSMEN = 3;
const OPERATIONS = 50;
/** What each craftsman has before the chaos, piastres. */
const OPENING_CREDIT = 20_000;
/** The app's default WITHDRAW_MIN. */
const WITHDRAW_MIN = 5_000;
/**
 * LEDGER_LEASE of every instance (default PT30S): the entries a killed instance leaves
 * half-applied are free for the next one's start-up sweep this long after it wrote them. Not
 * shorter: a writer (or the sweep) slower than its lease stops half-way, which on a loaded
 * machine happened with PT1S.
 */
const LEDGER_LEASE_MS = 2_000;
/**
 * How long the restarted app may take to finish what the killed one left: its start-up sweep
 * does it in well under a second; should that sweep run out of lease on a loaded machine, the
 * minute's money sweep (CronService) finishes the rest.
 */
const SETTLE_TIMEOUT_MS = 65_000;
const PASSWORD = 'correct-horse-1';
const ADMIN = { email: 'admin@chaos.test', password: 'admin-password-1' };
const DESTINATION = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '01001234567' };
/**
 * Draws the operations and the kill moments: each run sends the same ones, and only the machine's
 * timing moves where the kill lands. CHAOS_SEED=<n> draws others; CHAOS_REPORT=1 prints what each
 * scenario did and keeps the apps' logs.
 */
const SEED = Number(process.env.CHAOS_SEED ?? 20_261_129);

const quiet = () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When the app is killed: each bound drawn from its range; whichever comes first. */
interface Scenario {
  name: string;
  /** Once this many operations have answered. */
  killAfterAnswers: [min: number, max: number];
  /** This long after the operations were fired (ms). */
  killAfterMs?: [min: number, max: number];
}

const SCENARIOS: Scenario[] = [
  { name: 'killed after the first few answers', killAfterAnswers: [1, 6] },
  // before the first answer or among them, depending on the machine's speed
  { name: 'killed at a random moment', killAfterAnswers: [40, 40], killAfterMs: [50, 600] },
  { name: 'killed late, most operations answered', killAfterAnswers: [20, 35] },
];

/** A whole number drawn from [min, max]. */
const draw = (random: () => number, [min, max]: [number, number]) =>
  min + Math.floor(random() * (max - min + 1));

interface Craftsman {
  id: string;
  bearer: string;
  /** The ledger entry of his opening credit. */
  openingEntry: string;
}

interface Operation {
  n: number;
  kind: 'adjustment' | 'withdrawal';
  craftsman: Craftsman;
  /** Signed for an adjustment; what is withdrawn for a withdrawal. */
  amount: number;
  request: HttpCall;
  /** What it answered while the app was being killed. */
  answer: Answer;
  /** The same request again, once the app is back (once if answered, up to twice if not). */
  replays: Answer[];
}

/** A ledger entry not posted or voided yet, as the database holds it. */
interface UnsettledEntry {
  id: string;
  kind: string;
  state: string;
  idempotencyKey: string;
  leaseUntil: Date;
  createdAt: Date;
}

interface Transaction {
  id: string;
  type: string;
  amount: number;
  status: string;
  withdrawal: string | null;
}

interface Withdrawal {
  id: string;
  amount: number;
  status: string;
}

/** What a craftsman sees of his wallet. */
interface Wallet {
  balance: WalletBalance;
  transactions: Transaction[];
  withdrawals: Withdrawal[];
}

/** What one scenario did and saw. */
interface Run {
  craftsmen: Craftsman[];
  operations: Operation[];
  killedAfterMs: number;
  /** Ledger entries pending or voiding once the killed app was gone. */
  unsettledAtKill: number;
  /** How long each phase took, ms. */
  phases: Record<string, number>;
  settled: { check: LedgerCheck; unsettled: UnsettledEntry[] };
  /** What each craftsman saw once the ledger had settled, before any replay (by id). */
  walletsSettled: Map<string, Wallet>;
  /** Ledger entries (any state) before the replays, after those of the answered operations... */
  entries: { settled: number; answeredReplayed: number; retried: number; retriedAgain: number };
  /** ...and what each craftsman saw at the end. */
  walletsAtEnd: Map<string, Wallet>;
  checkAtEnd: LedgerCheck;
}

const isCreated = (answer: Answer | undefined) => answer?.status === 201;
const idOf = (answer: Answer | undefined) => answer?.body?.id as string | undefined;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The answer that tells whether the operation took effect: during the chaos, else its retry. */
function outcomeOf(operation: Operation): Answer {
  return operation.answer.status === null ? operation.replays[0] : operation.answer;
}

/**
 * The requirement: "A chaos test SIGKILLs the real app while 50 concurrent wallet operations
 * run, restarts it, and checks the invariants and that every operation answered 2xx is there
 * exactly once."
 *
 * The app runs as a process of its own (test/support/app-process.ts, as crash-recovery does) on
 * a database the test owns. Each scenario registers three craftsmen, credits each, fires 50
 * operations at once (admins' credits and debits, the craftsmen's withdrawals, each with its
 * Idempotency-Key), SIGKILLs the app while they run, starts a new one on the same database and
 * waits for its start-up sweep (LedgerSweeper) to finish the entries the dead one left
 * half-applied. Then every operation is sent again with its key: those answered must answer
 * the same, those cut off take effect at most once. The next scenario runs on the restarted app.
 */
describe('Ledger chaos: the app SIGKILLed while 50 wallet operations run', () => {
  let workDir: string;
  let compiled: CompiledApp | undefined;
  let engine: DatabaseEngine | undefined;
  let databaseUri: string;
  const databaseName = `ledger_chaos_${randomBytes(6).toString('hex')}`;
  const jwtSecret = randomBytes(32).toString('base64url');
  let mongoClient: mongo.MongoClient | undefined;
  let db: mongo.Db;
  const processes: AppProcess[] = [];
  /** The app now running. */
  let live: AppProcess;
  let adminBearer: string;
  const runs: Array<{ scenario: string; run: Run }> = [];
  const timings: string[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ledger-chaos-'));
    const began = Date.now();
    const compiling = compileApp().then((app) => {
      timings.push(`compiled in ${Date.now() - began} ms`);
      return app;
    });
    if (process.env.MONGODB_URI) {
      databaseUri = process.env.MONGODB_URI;
    } else {
      // the test's engine, not one the app starts: the data must outlive the app's death
      engine = await startEmbeddedEngine({
        storage: 'memory',
        dataDir: '',
        log: quiet,
        warn: quiet,
      });
      databaseUri = engine.uri;
    }
    mongoClient = new mongo.MongoClient(databaseUri, { serverSelectionTimeoutMS: 10_000 });
    await mongoClient.connect();
    db = mongoClient.db(databaseName);
    compiled = await compiling;
    live = await start('first');
    const session = await callExpecting<{ accessToken: string }>(
      live.baseUrl,
      {
        method: 'POST',
        path: '/api/auth/login',
        body: { loginIdentifier: ADMIN.email, password: ADMIN.password, type: 'admins' },
      },
      200,
    );
    adminBearer = `Bearer ${session.accessToken}`;
  }, 240_000);

  afterAll(async () => {
    if (process.env.CHAOS_REPORT) {
      console.info(
        [
          `CHAOS_SEED=${SEED}; the apps' logs stay in ${workDir}`,
          timings.join('; '),
          ...runs.map(({ scenario, run }) => summary(scenario, run)),
        ].join('\n'),
      );
    }
    await Promise.all(processes.map((app) => app.kill()));
    await db?.dropDatabase().catch(() => undefined);
    await mongoClient?.close();
    await engine?.stop();
    compiled?.remove();
    if (!process.env.CHAOS_REPORT) {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  async function start(phase: string): Promise<AppProcess> {
    const began = Date.now();
    const app = await startAppProcess(compiled!, {
      logDir: join(workDir, `logs-${phase}`),
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        LOG_TO_STDOUT: 'false',
        DATA_DIR: join(workDir, 'data'),
        MONGODB_URI: databaseUri,
        MONGODB_DB_NAME: databaseName,
        // the same on every instance: the sessions made on the first stay valid on the next
        JWT_SECRET: jwtSecret,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOGIN_RATE_LIMIT_PER_IP: '10000',
        LOGIN_RATE_LIMIT_PER_IDENTIFIER: '10000',
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '10000',
        REGISTER_RATE_LIMIT_PER_IP: '10000',
        INVITATION_SWEEP_CRON: '0 0 0 1 1 *',
        LEDGER_LEASE: `PT${LEDGER_LEASE_MS / 1000}S`,
      },
    });
    processes.push(app);
    await app.waitUntilReady();
    timings.push(`${phase} ready in ${Date.now() - began} ms`);
    return app;
  }

  async function unsettledEntries(): Promise<UnsettledEntry[]> {
    const found = await db
      .collection('ledger_entries')
      .find(
        { state: { $in: ['pending', 'voiding'] } },
        { projection: { kind: 1, state: 1, idempotencyKey: 1, leaseUntil: 1, createdAt: 1 } },
      )
      .toArray();
    return found.map((entry) => ({
      id: String(entry._id),
      kind: entry.kind as string,
      state: entry.state as string,
      idempotencyKey: entry.idempotencyKey as string,
      leaseUntil: entry.leaseUntil as Date,
      createdAt: entry.createdAt as Date,
    }));
  }

  const ledgerCheck = () =>
    callExpecting<LedgerCheck>(
      live.baseUrl,
      { method: 'GET', path: '/api/admin/ledger/check', bearer: adminBearer },
      200,
    );

  async function walletOf(craftsman: Craftsman): Promise<Wallet> {
    const get = <T>(path: string) =>
      callExpecting<T>(live.baseUrl, { method: 'GET', path, bearer: craftsman.bearer }, 200);
    const [balance, transactions, withdrawals] = await Promise.all([
      get<WalletBalance>('/api/wallet/balance'),
      get<{ data: Transaction[] }>('/api/wallet/transactions?limit=100'),
      get<{ data: Withdrawal[] }>('/api/wallet/withdrawals?limit=100'),
    ]);
    return { balance, transactions: transactions.data, withdrawals: withdrawals.data };
  }

  async function wallets(craftsmen: Craftsman[]): Promise<Map<string, Wallet>> {
    const seen = await Promise.all(craftsmen.map((craftsman) => walletOf(craftsman)));
    return new Map(craftsmen.map((craftsman, i) => [craftsman.id, seen[i]]));
  }

  async function newCraftsman(tag: string): Promise<Craftsman> {
    const session = await callExpecting<{ accessToken: string; user: { id: string } }>(
      live.baseUrl,
      {
        method: 'POST',
        path: '/api/auth/register',
        body: {
          email: `${tag}-${databaseName}@example.com`,
          password: PASSWORD,
          role: 'craftsman',
          firstName: 'Karim',
          lastName: 'Adel',
        },
      },
      201,
    );
    const id = session.user.id;
    const opening = await callExpecting<{ id: string }>(
      live.baseUrl,
      {
        method: 'POST',
        path: `/api/admin/wallets/${id}/adjustments`,
        bearer: adminBearer,
        idempotencyKey: `${tag}-opening`,
        body: { amount: OPENING_CREDIT, reason: 'opening credit' },
      },
      201,
    );
    return { id, bearer: `Bearer ${session.accessToken}`, openingEntry: opening.id };
  }

  /**
   * Round the craftsmen: about a third credits, a quarter debits, the rest withdrawals; more
   * taken than given, so that some are refused for want of money.
   */
  function operationsFor(tag: string, craftsmen: Craftsman[], random: () => number): Operation[] {
    return Array.from({ length: OPERATIONS }, (_, n) => {
      const craftsman = craftsmen[n % craftsmen.length];
      const roll = random();
      const key = `${tag}-op-${n}`;
      const base: Pick<Operation, 'n' | 'craftsman' | 'answer' | 'replays'> = {
        n,
        craftsman,
        answer: { status: null, body: null },
        replays: [],
      };
      if (roll < 0.6) {
        const amount =
          roll < 0.35
            ? 1_000 + Math.floor(random() * 19_000)
            : -(1_000 + Math.floor(random() * 14_000));
        return {
          ...base,
          kind: 'adjustment',
          amount,
          request: {
            method: 'POST',
            path: `/api/admin/wallets/${craftsman.id}/adjustments`,
            bearer: adminBearer,
            idempotencyKey: key,
            body: { amount, reason: `chaos operation ${n}` },
          },
        };
      }
      const amount = WITHDRAW_MIN + Math.floor(random() * 7_000);
      return {
        ...base,
        kind: 'withdrawal',
        amount,
        request: {
          method: 'POST',
          path: '/api/wallet/withdraw',
          bearer: craftsman.bearer,
          idempotencyKey: key,
          body: { amount, destination: DESTINATION },
        },
      };
    });
  }

  /**
   * Fires every operation at once and SIGKILLs the app once `killAfter.answers` of them have
   * answered or `killAfter.ms` has passed (at the latest once all have answered). Resolves once
   * every call has ended and the app is gone, with how long after the firing the kill came.
   */
  async function fireAndKill(
    operations: Operation[],
    killAfter: { answers: number; ms?: number },
  ): Promise<number> {
    const app = live;
    const firedAt = Date.now();
    let killedAt = 0;
    let killing: Promise<void> | undefined;
    const killNow = () => {
      if (!killing) {
        killedAt = Date.now();
        killing = app.kill();
      }
    };
    const timer = killAfter.ms === undefined ? undefined : setTimeout(killNow, killAfter.ms);
    let answered = 0;
    await Promise.all(
      operations.map(async (operation) => {
        operation.answer = await call(app.baseUrl, operation.request);
        if (operation.answer.status !== null) {
          answered += 1;
          if (answered >= killAfter.answers) {
            killNow();
          }
        }
      }),
    );
    clearTimeout(timer);
    killNow();
    await killing;
    return killedAt - firedAt;
  }

  /** Polls until nothing is pending or voiding and no balance differs from its postings. */
  async function settle(): Promise<{ check: LedgerCheck; unsettled: UnsettledEntry[] }> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const unsettled = await unsettledEntries();
      const check = await ledgerCheck();
      if ((unsettled.length === 0 && check.mismatches.length === 0) || Date.now() > deadline) {
        return { check, unsettled };
      }
      await sleep(200);
    }
  }

  async function runScenario(scenario: Scenario, index: number): Promise<Run> {
    const tag = `s${index}-${randomBytes(3).toString('hex')}`;
    const random = seededRandom(SEED + index);
    const phases: Record<string, number> = {};
    let lapStarted = Date.now();
    const lap = (phase: string) => {
      phases[phase] = Date.now() - lapStarted;
      lapStarted = Date.now();
    };
    const craftsmen = await Promise.all(
      Array.from({ length: CRAFTSMEN }, (_, i) => newCraftsman(`${tag}-craftsman-${i}`)),
    );
    const operations = operationsFor(tag, craftsmen, random);
    lap('craftsmen');

    const killedAfterMs = await fireAndKill(operations, {
      answers: draw(random, scenario.killAfterAnswers),
      ms: scenario.killAfterMs && draw(random, scenario.killAfterMs),
    });
    const leasesEnd = Date.now() + LEDGER_LEASE_MS;
    const unsettledAtKill = (await unsettledEntries()).length;
    lap('chaos');
    // the dead instance's leases end LEDGER_LEASE after its last write; the start-up sweep of
    // the next one takes over only entries whose lease has ended
    await sleep(Math.max(0, leasesEnd - Date.now()));
    live = await start(`after-${tag}`);
    lap('restart');
    const settled = await settle();
    lap('settle');
    const walletsSettled = await wallets(craftsmen);
    const entries = {
      settled: settled.check.entries,
      answeredReplayed: 0,
      retried: 0,
      retriedAgain: 0,
    };

    const answered = operations.filter((operation) => operation.answer.status !== null);
    await Promise.all(
      answered
        .filter((operation) => isCreated(operation.answer))
        .map(async (operation) => {
          operation.replays.push(await call(live.baseUrl, operation.request));
        }),
    );
    entries.answeredReplayed = (await ledgerCheck()).entries;
    lap('replays');
    // each craftsman's one at a time, in their order: whether a retry is refused depends on
    // those before it
    const cutOff = operations.filter((operation) => operation.answer.status === null);
    await Promise.all(
      craftsmen.map(async (craftsman) => {
        for (const operation of cutOff.filter((o) => o.craftsman === craftsman)) {
          operation.replays.push(await call(live.baseUrl, operation.request));
        }
      }),
    );
    entries.retried = (await ledgerCheck()).entries;
    lap('retries');
    // a withdrawal refused (none kept) may be asked for again: that is a new attempt
    await Promise.all(
      cutOff
        .filter((operation) => isCreated(operation.replays[0]) || operation.kind === 'adjustment')
        .map(async (operation) => {
          operation.replays.push(await call(live.baseUrl, operation.request));
        }),
    );
    entries.retriedAgain = (await ledgerCheck()).entries;
    lap('retries again');

    return {
      craftsmen,
      operations,
      killedAfterMs,
      unsettledAtKill,
      phases,
      settled,
      walletsSettled,
      entries,
      walletsAtEnd: await wallets(craftsmen),
      checkAtEnd: await ledgerCheck(),
    };
  }

  describe.each(SCENARIOS.map((scenario, index) => ({ ...scenario, index })))(
    '$name',
    (scenario) => {
      let run: Run;

      beforeAll(async () => {
        run = await runScenario(scenario, scenario.index);
        runs.push({ scenario: scenario.name, run });
      }, 150_000);

      it('should have killed the app with operations in flight', () => {
        const cutOff = run.operations.filter((operation) => operation.answer.status === null);
        expect(cutOff.length).toBeGreaterThan(0);
      });

      it('should answer each operation before the kill as done (201) or refused for want of money', () => {
        for (const operation of run.operations.filter((o) => o.answer.status !== null)) {
          const { status, body } = operation.answer;
          const seen = { n: operation.n, kind: operation.kind, status, body };
          if (status === 409) {
            expect(seen).toMatchObject({ body: { code: 'INSUFFICIENT_FUNDS' } });
          } else if (operation.kind === 'adjustment') {
            expect(seen).toMatchObject({
              status: 201,
              body: { kind: 'adjustment', state: 'posted' },
            });
          } else {
            expect(seen).toMatchObject({
              status: 201,
              body: { amount: operation.amount, status: 'requested' },
            });
          }
        }
      });

      it('should settle the ledger after the restart: balanced, every balance its postings, nothing half-applied', () => {
        expect(run.settled.unsettled).toEqual([]);
        expect(run.settled.check).toMatchObject({
          balanced: true,
          mismatches: [],
          unbalancedEntries: [],
        });
      });

      it('should hold every operation answered 201 exactly once, as answered', () => {
        for (const operation of run.operations.filter((o) => isCreated(o.answer))) {
          const id = idOf(operation.answer)!;
          const wallet = run.walletsSettled.get(operation.craftsman.id)!;
          if (operation.kind === 'adjustment') {
            expect({
              n: operation.n,
              held: wallet.transactions.filter((t) => t.id === id),
            }).toEqual({
              n: operation.n,
              held: [expect.objectContaining({ type: 'adjustment', amount: operation.amount })],
            });
          } else {
            expect({
              n: operation.n,
              listed: wallet.withdrawals.filter((w) => w.id === id),
              held: wallet.transactions.filter((t) => t.withdrawal === id),
            }).toEqual({
              n: operation.n,
              listed: [expect.objectContaining({ amount: operation.amount, status: 'requested' })],
              held: [
                expect.objectContaining({
                  type: 'withdrawal',
                  amount: -operation.amount,
                  status: 'pending',
                }),
              ],
            });
          }
        }
      });

      it('should answer a replay of each operation answered 201 with the same id, and create nothing', () => {
        for (const operation of run.operations.filter((o) => isCreated(o.answer))) {
          expect({
            n: operation.n,
            status: operation.replays[0]?.status,
            id: idOf(operation.replays[0]),
          }).toEqual({
            n: operation.n,
            status: 201,
            id: idOf(operation.answer),
          });
        }
        expect(run.entries.answeredReplayed).toBe(run.entries.settled);
      });

      it('should let each operation cut off take effect at most once, however often it is retried', () => {
        const cutOff = run.operations.filter((operation) => operation.answer.status === null);
        const neither = cutOff
          .filter(
            ({ replays: [first] }) =>
              !isCreated(first) && first?.body?.code !== 'INSUFFICIENT_FUNDS',
          )
          .map(({ n, replays: [first] }) => ({ n, first }));
        expect(neither).toEqual([]);
        for (const operation of cutOff) {
          const [first, second] = operation.replays;
          if (second) {
            expect({ n: operation.n, status: second.status, id: idOf(second) }).toEqual({
              n: operation.n,
              status: first.status,
              id: idOf(first),
            });
          }
        }
        // a retry writes the entry the kill prevented, or nothing
        expect(run.entries.retried - run.entries.answeredReplayed).toBeLessThanOrEqual(
          cutOff.length,
        );
        expect(run.entries.retriedAgain).toBe(run.entries.retried);
      });

      it('should leave each wallet holding exactly what the operations that took effect moved', () => {
        expect(run.checkAtEnd).toMatchObject({
          balanced: true,
          mismatches: [],
          unbalancedEntries: [],
        });
        for (const craftsman of run.craftsmen) {
          const done = run.operations.filter(
            (operation) => operation.craftsman === craftsman && isCreated(outcomeOf(operation)),
          );
          const credited =
            OPENING_CREDIT + sum(done.filter((o) => o.kind === 'adjustment').map((o) => o.amount));
          const withdrawals = done.filter((o) => o.kind === 'withdrawal');
          const withdrawn = sum(withdrawals.map((o) => o.amount));
          const wallet = run.walletsAtEnd.get(craftsman.id)!;

          expect(wallet.balance).toMatchObject({
            balance: credited,
            withdrawableBalance: credited - withdrawn,
            pending: withdrawn,
            feesOwed: 0,
          });
          expect(wallet.balance.withdrawableBalance).toBeGreaterThanOrEqual(0);
          expect(wallet.withdrawals.map((w) => w.id).sort()).toEqual(
            withdrawals.map((o) => idOf(outcomeOf(o))).sort(),
          );
          expect(wallet.withdrawals.every((w) => w.status === 'requested')).toBe(true);
        }
      });

      it("should list in the craftsman's transactions exactly the operations that took effect", () => {
        for (const craftsman of run.craftsmen) {
          const wallet = run.walletsAtEnd.get(craftsman.id)!;
          const done = run.operations.filter(
            (operation) => operation.craftsman === craftsman && isCreated(outcomeOf(operation)),
          );
          const expected = [
            { id: craftsman.openingEntry, amount: OPENING_CREDIT },
            ...done
              .filter((o) => o.kind === 'adjustment')
              .map((o) => ({ id: idOf(outcomeOf(o)), amount: o.amount })),
            ...done
              .filter((o) => o.kind === 'withdrawal')
              .map((o) => ({ withdrawal: idOf(outcomeOf(o)), amount: -o.amount })),
          ];
          const listed = wallet.transactions.map((t) =>
            t.type === 'withdrawal'
              ? { withdrawal: t.withdrawal, amount: t.amount }
              : { id: t.id, amount: t.amount },
          );
          const same =
            (a: { id?: unknown; withdrawal?: unknown; amount: number }) => (b: typeof a) =>
              a.id === b.id && a.withdrawal === b.withdrawal && a.amount === b.amount;
          // what a stray line is, when it matches an operation of his that was refused
          const refused = run.operations.filter(
            (o) => o.craftsman === craftsman && outcomeOf(o).status === 409,
          );
          const refusedOne = (amount: number) =>
            refused.find((o) => (o.kind === 'withdrawal' ? -o.amount : o.amount) === amount);
          const stray = listed
            .filter((line) => !expected.some(same(line)))
            .map((line) => ({ ...line, refusedOperation: refusedOne(line.amount)?.n ?? null }));
          const missing = expected.filter((line) => !listed.some(same(line)));

          expect({ stray, missing }).toEqual({ stray: [], missing: [] });
          expect(sum(wallet.transactions.map((t) => t.amount))).toBe(
            wallet.balance.withdrawableBalance,
          );
        }
      });
    },
  );
});

/** One line per scenario for CHAOS_REPORT=1: where the kill landed and what came of it. */
function summary(scenario: string, run: Run): string {
  const count = (predicate: (operation: Operation) => boolean) =>
    run.operations.filter(predicate).length;
  return [
    `${scenario}: killed after ${run.killedAfterMs} ms`,
    `answered ${count((o) => o.answer.status !== null)} (201: ${count((o) => isCreated(o.answer))}, 409: ${count((o) => o.answer.status === 409)})`,
    `cut off ${count((o) => o.answer.status === null)} (retried 201: ${count((o) => o.answer.status === null && isCreated(o.replays[0]))})`,
    `unsettled at the kill ${run.unsettledAtKill}`,
    `phases (ms) ${JSON.stringify(run.phases)}`,
    `entries ${JSON.stringify(run.entries)}`,
  ].join('; ');
}
