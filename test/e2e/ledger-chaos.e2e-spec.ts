import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { mongo } from 'mongoose';
import {
  type AppProcess,
  type CompiledApp,
  compileApp,
  startAppProcess,
  openOutlivingDatabase,
  type OutlivingDatabase,
} from '../support/app-process.js';
import { callExpecting } from '../support/chaos.js';
import {
  type ChaosContext,
  idOf,
  isCreated,
  isUnanswered,
  LEDGER_LEASE_MS,
  OPENING_CREDIT,
  outcomeOf,
  type Run,
  runChaosScenario,
  type Scenario,
  SEED,
  sum,
  summary,
} from '../support/ledger-chaos.scenario.js';

const ADMIN = { email: 'admin@chaos.test', password: 'admin-password-1' };

const SCENARIOS: Scenario[] = [
  { name: 'killed after the first few answers', killAfterAnswers: [1, 6] },
  // before the first answer or among them, depending on the machine's speed
  { name: 'killed at a random moment', killAfterAnswers: [40, 40], killAfterMs: [50, 600] },
  { name: 'killed late, most operations answered', killAfterAnswers: [20, 35] },
];

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
  let database: OutlivingDatabase | undefined;
  let databaseUri: string;
  const databaseName = `ledger_chaos_${randomBytes(6).toString('hex')}`;
  const jwtSecret = randomBytes(32).toString('base64url');
  let db: mongo.Db;
  const processes: AppProcess[] = [];
  /** What the scenarios run against; set up once the app is ready. */
  let chaos: ChaosContext;
  const runs: Array<{ scenario: string; run: Run }> = [];
  const timings: string[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ledger-chaos-'));
    const began = Date.now();
    const compiling = compileApp().then((app) => {
      timings.push(`compiled in ${Date.now() - began} ms`);
      return app;
    });
    // the test's, not one the app starts: the data must outlive the app's death
    database = await openOutlivingDatabase(databaseName);
    databaseUri = database.uri;
    db = database.db;
    compiled = await compiling;
    const live = await start('first');
    const session = await callExpecting<{ accessToken: string }>(
      live.baseUrl,
      {
        method: 'POST',
        path: '/api/auth/login',
        body: { loginIdentifier: ADMIN.email, password: ADMIN.password, type: 'admins' },
      },
      200,
    );
    chaos = { db, databaseName, adminBearer: `Bearer ${session.accessToken}`, live, start };
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
    await database?.close();
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

  describe.each(SCENARIOS.map((scenario, index) => ({ ...scenario, index })))(
    '$name',
    (scenario) => {
      let run: Run;

      beforeAll(async () => {
        run = await runChaosScenario(chaos, scenario);
        runs.push({ scenario: scenario.name, run });
      }, 150_000);

      it('should have killed the app with operations in flight', () => {
        const cutOff = run.operations.filter((operation) => isUnanswered(operation.answer));
        expect(cutOff.length).toBeGreaterThan(0);
      });

      it('should answer each operation before the kill as done (201) or refused for want of money', () => {
        for (const operation of run.operations.filter((o) => !isUnanswered(o.answer))) {
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
        const cutOff = run.operations.filter((operation) => isUnanswered(operation.answer));
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
