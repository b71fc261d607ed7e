/**
 * One scenario of the ledger chaos test (test/e2e/ledger-chaos.e2e-spec.ts): register craftsmen,
 * fire 50 wallet operations at once, SIGKILL the app while they run, restart it on the same
 * database, let it settle, send every operation again, and record what each step answered and
 * what the wallets held, so that the spec only asserts.
 */
import { randomBytes } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { AppProcess } from './app-process.js';
import { type Answer, call, callExpecting, type HttpCall, seededRandom } from './chaos.js';
import type { LedgerCheck, WalletBalance } from './money.js';

const CRAFTSMEN = 3;
const OPERATIONS = 50;
/** What each craftsman has before the chaos, piastres. */
export const OPENING_CREDIT = 20_000;
/** The app's default WITHDRAW_MIN. */
const WITHDRAW_MIN = 5_000;
/**
 * LEDGER_LEASE of every instance (default PT30S): the entries a killed instance leaves
 * half-applied are free for the next one's start-up sweep this long after it wrote them. Not
 * shorter: a writer (or the sweep) slower than its lease stops half-way, which on a loaded
 * machine happened with PT1S.
 */
export const LEDGER_LEASE_MS = 2_000;
/**
 * How long the restarted app may take to finish what the killed one left: its start-up sweep
 * does it in well under a second; should that sweep run out of lease on a loaded machine, the
 * minute's money sweep (CronService) finishes the rest.
 */
const SETTLE_TIMEOUT_MS = 65_000;
const PASSWORD = 'correct-horse-1';
const DESTINATION = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '01001234567' };
/**
 * Draws the operations and the kill moments: each run sends the same ones, and only the machine's
 * timing moves where the kill lands. CHAOS_SEED=<n> draws others; CHAOS_REPORT=1 prints what each
 * scenario did and keeps the apps' logs.
 */
export const SEED = Number(process.env.CHAOS_SEED ?? 20_261_129);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When the app is killed: each bound drawn from its range; whichever comes first. */
export interface Scenario {
  name: string;
  /** Once this many operations have answered. */
  killAfterAnswers: [min: number, max: number];
  /** This long after the operations were fired (ms). */
  killAfterMs?: [min: number, max: number];
}

/** What a scenario needs of the test around it. */
export interface ChaosContext {
  /** The test's database, which outlives every instance of the app. */
  db: mongo.Db;
  /** Part of each craftsman's e-mail, so that no two test runs register the same one. */
  databaseName: string;
  /** `Bearer …` of the admin who credits and debits the wallets. */
  adminBearer: string;
  /** The app now running: a scenario kills it and leaves the one it restarted here. */
  live: AppProcess;
  /** Starts another instance of the app on the same database; `phase` names its logs. */
  start: (phase: string) => Promise<AppProcess>;
}

/** A whole number drawn from [min, max]. */
const draw = (random: () => number, [min, max]: [number, number]) =>
  min + Math.floor(random() * (max - min + 1));

export interface Craftsman {
  id: string;
  bearer: string;
  /** The ledger entry of his opening credit. */
  openingEntry: string;
}

export interface Operation {
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
export interface UnsettledEntry {
  id: string;
  kind: string;
  state: string;
  idempotencyKey: string;
  leaseUntil: Date;
  createdAt: Date;
}

export interface Transaction {
  id: string;
  type: string;
  amount: number;
  status: string;
  withdrawal: string | null;
}

export interface Withdrawal {
  id: string;
  amount: number;
  status: string;
}

/** What a craftsman sees of his wallet. */
export interface Wallet {
  balance: WalletBalance;
  transactions: Transaction[];
  withdrawals: Withdrawal[];
}

/** What one scenario did and saw. */
export interface Run {
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

export const isCreated = (answer: Answer | undefined) => answer?.status === 201;
/**
 * No definite answer: cut off by the kill, or 503 (the ledger did not settle the entry within its
 * lease on a loaded machine: "send the same request again"). Either may or may not have taken
 * effect; a retry with the same key tells.
 */
export const isUnanswered = (answer: Answer) => answer.status === null || answer.status === 503;
export const idOf = (answer: Answer | undefined) => answer?.body?.id as string | undefined;
export const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The answer that tells whether the operation took effect: during the chaos, else its retry. */
export function outcomeOf(operation: Operation): Answer {
  return isUnanswered(operation.answer) ? operation.replays[0] : operation.answer;
}

/**
 * Runs one scenario on `context.live` and leaves the restarted app there: registers the
 * craftsmen and credits each, fires the operations and kills the app (fireAndKill), starts a new
 * one once the dead one's leases have ended, waits for the ledger to settle, then sends the
 * operations answered 201 again, the cut-off ones (each craftsman's in order), and those of them
 * that took effect once more. `scenario.index` (its place in the list) tags the accounts and
 * picks the seed, SEED + index.
 */
export async function runChaosScenario(
  context: ChaosContext,
  scenario: Scenario & { index: number },
): Promise<Run> {
  const tag = `s${scenario.index}-${randomBytes(3).toString('hex')}`;
  const random = seededRandom(SEED + scenario.index);
  const phases: Record<string, number> = {};
  let lapStarted = Date.now();
  const lap = (phase: string) => {
    phases[phase] = Date.now() - lapStarted;
    lapStarted = Date.now();
  };
  const craftsmen = await Promise.all(
    Array.from({ length: CRAFTSMEN }, (_, i) => newCraftsman(context, `${tag}-craftsman-${i}`)),
  );
  const operations = operationsFor(context, { tag, craftsmen, random });
  lap('craftsmen');

  const killedAfterMs = await fireAndKill(context.live, operations, {
    answers: draw(random, scenario.killAfterAnswers),
    ms: scenario.killAfterMs && draw(random, scenario.killAfterMs),
  });
  const leasesEnd = Date.now() + LEDGER_LEASE_MS;
  const unsettledAtKill = (await unsettledEntries(context.db)).length;
  lap('chaos');
  // the dead instance's leases end LEDGER_LEASE after its last write; the start-up sweep of
  // the next one takes over only entries whose lease has ended
  await sleep(Math.max(0, leasesEnd - Date.now()));
  context.live = await context.start(`after-${tag}`);
  lap('restart');
  const settled = await settle(context);
  lap('settle');
  const walletsSettled = await wallets(context.live, craftsmen);
  const entries = {
    settled: settled.check.entries,
    answeredReplayed: 0,
    retried: 0,
    retriedAgain: 0,
  };

  const answered = operations.filter((operation) => !isUnanswered(operation.answer));
  await Promise.all(
    answered
      .filter((operation) => isCreated(operation.answer))
      .map(async (operation) => {
        operation.replays.push(await call(context.live.baseUrl, operation.request));
      }),
  );
  entries.answeredReplayed = (await ledgerCheck(context)).entries;
  lap('replays');
  // each craftsman's one at a time, in their order: whether a retry is refused depends on
  // those before it
  const cutOff = operations.filter((operation) => isUnanswered(operation.answer));
  await Promise.all(
    craftsmen.map(async (craftsman) => {
      for (const operation of cutOff.filter((o) => o.craftsman === craftsman)) {
        operation.replays.push(await call(context.live.baseUrl, operation.request));
      }
    }),
  );
  entries.retried = (await ledgerCheck(context)).entries;
  lap('retries');
  // a withdrawal refused (none kept) may be asked for again: that is a new attempt
  await Promise.all(
    cutOff
      .filter((operation) => isCreated(operation.replays[0]) || operation.kind === 'adjustment')
      .map(async (operation) => {
        operation.replays.push(await call(context.live.baseUrl, operation.request));
      }),
  );
  entries.retriedAgain = (await ledgerCheck(context)).entries;
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
    walletsAtEnd: await wallets(context.live, craftsmen),
    checkAtEnd: await ledgerCheck(context),
  };
}

/** One line per scenario for CHAOS_REPORT=1: where the kill landed and what came of it. */
export function summary(scenario: string, run: Run): string {
  const count = (predicate: (operation: Operation) => boolean) =>
    run.operations.filter(predicate).length;
  return [
    `${scenario}: killed after ${run.killedAfterMs} ms`,
    `answered ${count((o) => !isUnanswered(o.answer))} (201: ${count((o) => isCreated(o.answer))}, 409: ${count((o) => o.answer.status === 409)})`,
    `cut off ${count((o) => isUnanswered(o.answer))} (retried 201: ${count((o) => isUnanswered(o.answer) && isCreated(o.replays[0]))})`,
    `unsettled at the kill ${run.unsettledAtKill}`,
    `phases (ms) ${JSON.stringify(run.phases)}`,
    `entries ${JSON.stringify(run.entries)}`,
  ].join('; ');
}

async function unsettledEntries(db: mongo.Db): Promise<UnsettledEntry[]> {
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

function ledgerCheck(context: ChaosContext): Promise<LedgerCheck> {
  return callExpecting<LedgerCheck>(
    context.live.baseUrl,
    { method: 'GET', path: '/api/admin/ledger/check', bearer: context.adminBearer },
    200,
  );
}

async function walletOf(app: AppProcess, craftsman: Craftsman): Promise<Wallet> {
  const get = <T>(path: string) =>
    callExpecting<T>(app.baseUrl, { method: 'GET', path, bearer: craftsman.bearer }, 200);
  const [balance, transactions, withdrawals] = await Promise.all([
    get<WalletBalance>('/api/wallet/balance'),
    get<{ data: Transaction[] }>('/api/wallet/transactions?limit=100'),
    get<{ data: Withdrawal[] }>('/api/wallet/withdrawals?limit=100'),
  ]);
  return { balance, transactions: transactions.data, withdrawals: withdrawals.data };
}

async function wallets(app: AppProcess, craftsmen: Craftsman[]): Promise<Map<string, Wallet>> {
  const seen = await Promise.all(craftsmen.map((craftsman) => walletOf(app, craftsman)));
  return new Map(craftsmen.map((craftsman, i) => [craftsman.id, seen[i]]));
}

async function newCraftsman(context: ChaosContext, tag: string): Promise<Craftsman> {
  const session = await callExpecting<{ accessToken: string; user: { id: string } }>(
    context.live.baseUrl,
    {
      method: 'POST',
      path: '/api/auth/register',
      body: {
        email: `${tag}-${context.databaseName}@example.com`,
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
    context.live.baseUrl,
    {
      method: 'POST',
      path: `/api/admin/wallets/${id}/adjustments`,
      bearer: context.adminBearer,
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
function operationsFor(
  context: ChaosContext,
  { tag, craftsmen, random }: { tag: string; craftsmen: Craftsman[]; random: () => number },
): Operation[] {
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
          bearer: context.adminBearer,
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
  app: AppProcess,
  operations: Operation[],
  killAfter: { answers: number; ms?: number },
): Promise<number> {
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
async function settle(
  context: ChaosContext,
): Promise<{ check: LedgerCheck; unsettled: UnsettledEntry[] }> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const unsettled = await unsettledEntries(context.db);
    const check = await ledgerCheck(context);
    if ((unsettled.length === 0 && check.mismatches.length === 0) || Date.now() > deadline) {
      return { check, unsettled };
    }
    await sleep(200);
  }
}
