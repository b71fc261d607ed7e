import { randomBytes } from 'node:crypto';
import type { FakeClock } from '../support/fake-clock.js';
import { hire, inviteCraftsman, postJob } from '../support/marketplace.js';
import type { FakeGateways } from '../support/payments.js';
import {
  login,
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
  uniqueEmail,
} from '../support/session.js';
import type { ReceivedMail, TestMailbox } from '../support/smtp.js';
import type { TestApp } from '../support/test-app.js';
import { submitVerification } from '../support/uploads.js';

/** Who calls, in the order every route is tried. */
export const ACTORS = [
  'anonymous',
  'client',
  'anotherClient',
  'craftsman',
  'anotherCraftsman',
  'moderator',
  'admin',
] as const;
export type Actor = (typeof ACTORS)[number];
export type SignedInActor = Exclude<Actor, 'anonymous'>;

const STAFF: readonly SignedInActor[] = ['moderator', 'admin'];

/** Where the matrix's withdrawals go. */
export const WALLET_DESTINATION = {
  type: 'mobile_wallet',
  accountName: 'Karim Adel',
  msisdn: '01001234567',
};

function tokenIn(mail: ReceivedMail): string {
  const token = /token=([\w-]+)/.exec(mail.text)?.[1];
  if (!token) {
    throw new Error(`no token in the mail "${mail.subject}"`);
  }
  return token;
}

function suffix(): string {
  return randomBytes(4).toString('hex');
}

/**
 * The actors and the fixtures the matrix's requests are built from. `client` owns every job;
 * `craftsman` is the one invited, quoting and hired. Fixtures whose state a call may change are
 * new after every call that went through (`untilUsed`); read-only ones are built once (`shared`).
 */
export class World {
  private readonly memo = new Map<string, Promise<unknown>>();
  private unspent = new Map<string, Promise<unknown>>();
  private handedOut: string[] = [];
  private readonly usedResetTokens = new Set<string>();

  private constructor(
    readonly t: TestApp,
    readonly mailbox: TestMailbox,
    readonly clock: FakeClock,
    readonly sessions: Record<SignedInActor, Session>,
    private readonly fakeGateways: FakeGateways | undefined,
  ) {}

  /**
   * `emails: true` keeps every account's default channels (the round-trip budgets count what a
   * notification's email costs); otherwise the actors get no notification emails. `gateways`:
   * the fake Fawry and Stripe the app was pointed at (the payment rows pay through them).
   */
  static async create(
    t: TestApp,
    mailbox: TestMailbox,
    clock: FakeClock,
    options: { emails?: boolean; gateways?: FakeGateways } = {},
  ): Promise<World> {
    const [admin, moderator, client, anotherClient, craftsman, anotherCraftsman] =
      await Promise.all([
        loginAsAdmin(t),
        newModerator(t),
        newClient(t, { firstName: 'Clara' }),
        newClient(t, { firstName: 'Omar' }),
        newCraftsman(t, { firstName: 'Karim' }),
        newCraftsman(t, { firstName: 'Hany' }),
      ]);
    const world = new World(
      t,
      mailbox,
      clock,
      { client, anotherClient, craftsman, anotherCraftsman, moderator, admin },
      options.gateways,
    );
    // the fixtures set off hundreds of events: without their emails, the ones the token rows
    // wait for are not queued behind them
    if (!options.emails) {
      await Promise.all(
        Object.values(world.sessions).map((session) => world.withoutEmail(session)),
      );
    }
    return world;
  }

  /** Turns the email channel off for every notification type of `session`'s account. */
  private async withoutEmail(session: Session): Promise<void> {
    const current = await this.t.http
      .get('/api/notifications/preferences')
      .set('Authorization', session.bearer)
      .expect(200);
    const preferences = Object.fromEntries(
      Object.entries(current.body as Record<string, { inApp: boolean; push: boolean }>).map(
        ([type, channels]) => [type, { inApp: channels.inApp, push: channels.push, email: false }],
      ),
    );
    await this.t.http
      .put('/api/notifications/preferences')
      .set('Authorization', session.bearer)
      .send(preferences)
      .expect(200);
  }

  get client(): Session {
    return this.sessions.client;
  }

  get craftsman(): Session {
    return this.sessions.craftsman;
  }

  get admin(): Session {
    return this.sessions.admin;
  }

  /** The fake gateways; the payment rows need an app pointed at them. */
  get gateways(): FakeGateways {
    if (!this.fakeGateways) {
      throw new Error('the payment rows need World.create(..., { gateways })');
    }
    return this.fakeGateways;
  }

  /** Built once, on first use. */
  shared<T>(key: string, build: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = build();
      this.memo.set(key, value);
    }
    return value;
  }

  /**
   * A fixture that a call may change (accept, cancel, ban...): the same one for the actors of a
   * row while they are refused (401/403: nothing was written), a new one after a call that went
   * through. So that one actor's success never makes the next actor's call fail for another
   * reason, and refused actors do not each pay for a fixture of their own.
   */
  untilUsed<T>(key: string, build: () => Promise<T>): Promise<T> {
    this.handedOut.push(key);
    let value = this.unspent.get(key) as Promise<T> | undefined;
    if (!value) {
      value = build();
      this.unspent.set(key, value);
    }
    return value;
  }

  /** Called before each row's first case: its fixtures are its own. */
  startRow(): void {
    this.unspent = new Map();
    this.handedOut = [];
  }

  /** Called after each case with the status it got: what it used is spent unless refused. */
  endCase(status: number | undefined): void {
    if (status !== 401 && status !== 403) {
      this.handedOut.forEach((key) => this.unspent.delete(key));
    }
    this.handedOut = [];
  }

  // ---- sessions ------------------------------------------------------------------------------

  /** Another access token of the actor's own account (logout revokes only that one). */
  async secondSession(actor: SignedInActor): Promise<Session> {
    const session = this.sessions[actor];
    const type = STAFF.includes(actor) ? 'admins' : 'clients';
    return login(this.t, session.user.email, session.password, type);
  }

  /** A new account with the actor's role, for calls that spoil the account they are made with. */
  async accountLike(actor: SignedInActor): Promise<Session> {
    switch (actor) {
      case 'client':
      case 'anotherClient':
        return newClient(this.t);
      case 'craftsman':
      case 'anotherCraftsman':
        return newCraftsman(this.t);
      case 'moderator':
        return newModerator(this.t);
      case 'admin': {
        const email = uniqueEmail('admin');
        const password = 'admin-pass-matrix-1';
        await this.t.http
          .post('/api/admin/users/create-admin')
          .set('Authorization', this.admin.bearer)
          .send({ email, password, firstName: 'Ada', lastName: 'Admin', role: 'admin' })
          .expect(201);
        return login(this.t, email, password, 'admins');
      }
    }
  }

  /** A client account the auth rows sign in with and ask a reset link for. */
  loginTarget(): Promise<Session> {
    return this.shared('loginTarget', () => newClient(this.t, { firstName: 'Lina' }));
  }

  /** A client account whose password the reset row resets (only it asks for his links). */
  resetTarget(): Promise<Session> {
    return this.shared('resetTarget', () => newClient(this.t, { firstName: 'Rana' }));
  }

  // ---- jobs, quotes, invitations ---------------------------------------------------------------

  /** A fresh open (posted) job of `client`. */
  async openJob(title = 'Leaking kitchen sink'): Promise<string> {
    return (await postJob(this.t, this.client, { title })).id;
  }

  /** An open job of `client` that the read-only rows share. */
  sharedOpenJob(): Promise<string> {
    return this.shared('openJob', () => this.openJob('Shared open job'));
  }

  /** A fresh job of `client`, quoted by `craftsman`. */
  async quotedJob(): Promise<{ jobId: string; quoteId: string }> {
    const jobId = await this.openJob();
    const quote = await this.t.http
      .post(`/api/jobs/${jobId}/quotes`)
      .set('Authorization', this.craftsman.bearer)
      .send({ price: 42_000 })
      .expect(201);
    return { jobId, quoteId: quote.body.id as string };
  }

  /** A fresh job of `client` with `craftsman` hired. */
  async hiredJob(): Promise<string> {
    const jobId = await this.openJob();
    await hire(this.t, this.client, jobId, this.craftsman);
    return jobId;
  }

  /** A fresh job of `client` with `craftsman` hired and at work (`in_progress`). */
  async jobInProgress(): Promise<string> {
    const jobId = await this.hiredJob();
    for (const status of ['on_the_way', 'in_progress']) {
      await this.t.http
        .patch(`/api/jobs/${jobId}/status`)
        .set('Authorization', this.craftsman.bearer)
        .send({ status })
        .expect(200);
    }
    return jobId;
  }

  /** A fresh escrow job of `client` with `craftsman` hired: payable through the platform. */
  async escrowJob(): Promise<string> {
    const jobId = (await postJob(this.t, this.client, { paymentType: 'escrow' })).id;
    await hire(this.t, this.client, jobId, this.craftsman);
    return jobId;
  }

  /** A fresh pending payment by `client` through `provider`, for a fresh escrow job. */
  async pendingPayment(provider: 'fawry' | 'stripe'): Promise<string> {
    const jobId = await this.escrowJob();
    const response = await this.t.http
      .post('/api/payments/initiate')
      .set('Authorization', this.client.bearer)
      .send({ jobId, provider })
      .expect(201);
    return (response.body as { id: string }).id;
  }

  /** A fresh Fawry payment that the client paid at an outlet, not yet known to the app: its id. */
  async paidAtFawry(): Promise<string> {
    const paymentId = await this.pendingPayment('fawry');
    this.gateways.fawry.pay(paymentId);
    return paymentId;
  }

  /**
   * A fresh Stripe payment that the client paid by card, not yet known to the app (no webhook
   * nor confirm yet): its id and its PaymentIntent's.
   */
  async paidAtStripe(): Promise<{ paymentId: string; intentId: string }> {
    const paymentId = await this.pendingPayment('stripe');
    const intentId = this.gateways.stripe.intentFor(paymentId);
    this.gateways.stripe.succeed(intentId);
    return { paymentId, intentId };
  }

  /** A fresh pending invitation of `client` to `craftsman`, on a fresh job. */
  async pendingInvitation(): Promise<{ jobId: string; invitationId: string }> {
    const jobId = await this.openJob();
    const invitation = await inviteCraftsman(this.t, this.client, jobId, this.craftsman);
    return { jobId, invitationId: invitation.id };
  }

  /** A job of `client` with a pending invitation and a quote by `craftsman` (read-only rows). */
  sharedJobWithActivity(): Promise<{ jobId: string; invitationId: string }> {
    return this.shared('jobWithActivity', async () => {
      const { jobId, invitationId } = await this.pendingInvitation();
      await this.t.http
        .post(`/api/jobs/${jobId}/quotes`)
        .set('Authorization', this.sessions.anotherCraftsman.bearer)
        .send({ price: 30_000 })
        .expect(201);
      return { jobId, invitationId };
    });
  }

  /** The conversation of `client` and `craftsman`, opened by accepting an invitation. */
  conversation(): Promise<string> {
    return this.shared('conversation', async () => {
      const { invitationId } = await this.pendingInvitation();
      const accepted = await this.t.http
        .post(`/api/invitations/${invitationId}/accept`)
        .set('Authorization', this.craftsman.bearer)
        .expect(200);
      return accepted.body.conversationId as string;
    });
  }

  /** The token emailed with a fresh invitation of `client` to an address nobody registered. */
  async emailInvitationToken(): Promise<string> {
    const jobId = await this.sharedOpenJob();
    const email = uniqueEmail('invitee');
    await this.t.http
      .post(`/api/jobs/${jobId}/invite`)
      .set('Authorization', this.client.bearer)
      .send({ email })
      .expect(201);
    return tokenIn(await this.mailbox.waitFor(email));
  }

  /** A fresh invite link of `client`, on a fresh job. */
  async inviteLink(): Promise<{ jobId: string; linkId: string; token: string }> {
    const jobId = await this.openJob();
    const link = await this.t.http
      .post(`/api/jobs/${jobId}/invite-links`)
      .set('Authorization', this.client.bearer)
      .send({})
      .expect(201);
    return { jobId, linkId: link.body.id as string, token: link.body.token as string };
  }

  // ---- accounts, catalog, devices -------------------------------------------------------------

  /** The token of the verification mail of a fresh client (each call its own account). */
  async verificationToken(): Promise<string> {
    const session = await newClient(this.t, { firstName: 'Vera' });
    return tokenIn(
      await this.mailbox.waitFor(
        session.user.email,
        (m) => m.subject === 'Confirm your email address',
      ),
    );
  }

  /** A fresh token from the password-reset email of the login target. */
  async resetToken(): Promise<string> {
    const target = await this.resetTarget();
    await this.t.http
      .post('/api/auth/forgot-password')
      .send({ email: target.user.email })
      .expect(200);
    const mail = await this.mailbox.waitFor(
      target.user.email,
      (m) => m.subject === 'Reset your password' && !this.usedResetTokens.has(tokenIn(m)),
    );
    const token = tokenIn(mail);
    this.usedResetTokens.add(token);
    return token;
  }

  /** A fresh craftsman's user id, banned when asked. */
  async craftsmanAccount(banned = false): Promise<string> {
    const craftsman = await newCraftsman(this.t);
    if (banned) {
      await this.t.http
        .patch(`/api/admin/users/${craftsman.user.id}/ban`)
        .set('Authorization', this.admin.bearer)
        .send({ reason: 'Fixture of the authorization matrix' })
        .expect(200);
    }
    return craftsman.user.id;
  }

  /** A fresh craftsman whose documents wait for a decision: his user id. */
  async pendingVerification(): Promise<string> {
    const craftsman = await newCraftsman(this.t);
    await submitVerification(this.t, craftsman);
    return craftsman.user.id;
  }

  /** A fresh service of the catalog, added by the admin. */
  async service(): Promise<string> {
    const response = await this.t.http
      .post('/api/services')
      .set('Authorization', this.admin.bearer)
      .send({ name: `Matrix trade ${suffix()}`, description: 'A fixture' })
      .expect(201);
    return response.body.id as string;
  }

  /** Money in the craftsman's wallet, put there by an admin's credit (piastres). */
  async fund(craftsman: Session, amount = 10_000): Promise<void> {
    await this.t.http
      .post(`/api/admin/wallets/${craftsman.user.id}/adjustments`)
      .set('Authorization', this.admin.bearer)
      .send({ amount, reason: 'matrix fixture' })
      .expect(201);
  }

  /** A withdrawal of `anotherCraftsman`'s, requested and not paid yet. */
  async openWithdrawal(): Promise<string> {
    const owner = this.sessions.anotherCraftsman;
    await this.fund(owner);
    const response = await this.t.http
      .post('/api/wallet/withdraw')
      .set('Authorization', owner.bearer)
      .send({ amount: 5_000, destination: WALLET_DESTINATION })
      .expect(201);
    return (response.body as { id: string }).id;
  }

  /** A fresh device token registered by `owner`. */
  async deviceToken(owner: Session): Promise<string> {
    const token = `fcm-matrix-${suffix()}-${suffix()}`;
    await this.t.http
      .post('/api/notifications/devices')
      .set('Authorization', owner.bearer)
      .send({ token, platform: 'android' })
      .expect(201);
    return token;
  }
}
