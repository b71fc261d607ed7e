import { randomInt } from 'node:crypto';
import { FakeClock } from '../support/fake-clock.js';
import { invite, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session, uniqueEmail } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR_MS = 3600 * 1000;

/** An Egyptian mobile number no one else in this file has. */
const uniquePhone = () => `+2010${String(randomInt(10_000_000, 99_999_999))}`;

const rateLimited = {
  statusCode: 429,
  code: 'RATE_LIMITED',
  message: expect.any(String),
  details: { retryAfterSeconds: expect.any(Number) },
};

describe('Invitation limits per client, across his jobs', () => {
  const clock = new FakeClock();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: { INVITES_PER_CLIENT_PER_DAY: '3', INVITE_LOOKUPS_PER_CLIENT_PER_DAY: '2' },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const invitationsTo = (inviteeEmail: string) =>
    t.connection.collection('invitations').countDocuments({ inviteeEmail });

  describe('INVITES_PER_CLIENT_PER_DAY: invitations by email or phone', () => {
    it('should allow the daily number across several jobs, then answer 429 RATE_LIMITED and send nothing', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t, { phone: uniquePhone() });
      const [first, second, third] = [
        await postJob(t, client),
        await postJob(t, client),
        await postJob(t, client),
      ];

      await invite(t, client, first.id, { email: uniqueEmail('friend') }).expect(201);
      await invite(t, client, second.id, { email: uniqueEmail('friend') }).expect(201);
      await invite(t, client, third.id, { phone: craftsman.user.phone }).expect(201);
      const fourthAddress = uniqueEmail('friend');
      const fourth = await invite(t, client, third.id, { email: fourthAddress }).expect(429);

      expect(fourth.body).toEqual(rateLimited);
      expect(fourth.body.details.retryAfterSeconds).toBeGreaterThan(0);
      expect(fourth.body.details.retryAfterSeconds).toBeLessThanOrEqual(24 * 3600);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expect(await invitationsTo(fourthAddress)).toBe(0);
    });

    it('should still let the client invite craftsmen by id, and other clients by email', async () => {
      const client = await newClient(t);
      const job = await postJob(t, client);
      for (let i = 0; i < 3; i += 1) {
        await invite(t, client, job.id, { email: uniqueEmail('friend') }).expect(201);
      }
      await invite(t, client, job.id, { email: uniqueEmail('friend') }).expect(429);

      const craftsman = await newCraftsman(t);
      await invite(t, client, job.id, { craftsmanId: craftsman.user.id }).expect(201);
      const other = await newClient(t);
      await invite(t, other, (await postJob(t, other)).id, {
        email: uniqueEmail('friend'),
      }).expect(201);
    });

    it('should count a resend of an email invitation as one more', async () => {
      const client = await newClient(t);
      const job = await postJob(t, client);
      const sent = await invite(t, client, job.id, { email: uniqueEmail('friend') }).expect(201);
      await invite(t, client, job.id, { email: uniqueEmail('friend') }).expect(201);
      clock.advance(25 * HOUR_MS);

      await t.http
        .post(`/api/invitations/${sent.body.id}/resend`)
        .set('Authorization', client.bearer)
        .expect(200);

      const over = await invite(t, client, job.id, { email: uniqueEmail('friend') }).expect(429);
      expect(over.body).toEqual(rateLimited);
    });
  });

  describe('INVITE_LOOKUPS_PER_CLIENT_PER_DAY: lookups that find no craftsman', () => {
    it('should answer the failed lookups of the budget, then 429 for every email or phone before looking anyone up', async () => {
      const client = await newClient(t);
      const someClient = await newClient(t);
      const craftsman = await newCraftsman(t, { phone: uniquePhone() });
      const job = await postJob(t, client);

      const nobody = await invite(t, client, job.id, { phone: uniquePhone() }).expect(404);
      expect(nobody.body.code).toBe('NOT_FOUND');
      const notACraftsman = await invite(t, client, job.id, {
        email: someClient.user.email,
      }).expect(422);
      expect(notACraftsman.body.code).toBe('NOT_A_CRAFTSMAN');

      // a craftsman, a client, nobody: the same answer, so the budget is no oracle
      for (const target of [
        { email: craftsman.user.email },
        { phone: craftsman.user.phone },
        { email: someClient.user.email },
        { phone: uniquePhone() },
        { email: uniqueEmail('nobody') },
      ]) {
        const response = await invite(t, client, job.id, target).expect(429);
        expect(response.body).toEqual(rateLimited);
      }
      expect(
        await t.connection.collection('invitations').countDocuments({ client: client.user.id }),
      ).toBe(0);
      await invite(t, client, job.id, { craftsmanId: craftsman.user.id }).expect(201);
    });

    it('should not spend the budget on lookups that found a craftsman or an unregistered address', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t, { phone: uniquePhone() });
      const [first, second] = [await postJob(t, client), await postJob(t, client)];

      await invite(t, client, first.id, { phone: craftsman.user.phone }).expect(201);
      await invite(t, client, second.id, { email: uniqueEmail('nobody') }).expect(201);

      await invite(t, client, second.id, { phone: uniquePhone() }).expect(404);
      await invite(t, client, second.id, { phone: uniquePhone() }).expect(404);
      await invite(t, client, second.id, { phone: uniquePhone() }).expect(429);
    });
  });

  describe('POST /jobs/:jobId/invitations/bulk', () => {
    it('should count each target, and skip those over the cap with RATE_LIMITED and a retry time', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await postJob(t, client);
      const emails = Array.from({ length: 5 }, () => uniqueEmail('bulk'));

      const response = await t.http
        .post(`/api/jobs/${job.id}/invitations/bulk`)
        .set('Authorization', client.bearer)
        .send({ craftsmanIds: [craftsman.user.id], emails })
        .expect(200);

      const skipped = {
        status: 'skipped',
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number),
      };
      const created = { status: 'created', invitationId: expect.any(String) };
      expect(response.body.results).toEqual([
        { target: craftsman.user.id, ...created },
        { target: emails[0], ...created },
        { target: emails[1], ...created },
        { target: emails[2], ...created },
        { target: emails[3], ...skipped },
        { target: emails[4], ...skipped },
      ]);
      expect(response.body.results[4].retryAfterSeconds).toBeGreaterThan(0);
      expect(await invitationsTo(emails[3])).toBe(0);
      expect(await invitationsTo(emails[4])).toBe(0);
    });

    it('should spend the lookup budget per target, then skip the rest unlooked-up', async () => {
      const client = await newClient(t);
      const [clientA, clientB] = [await newClient(t), await newClient(t)];
      const craftsman = await newCraftsman(t);
      const job = await postJob(t, client);

      const response = await t.http
        .post(`/api/jobs/${job.id}/invitations/bulk`)
        .set('Authorization', client.bearer)
        .send({ emails: [clientA.user.email, clientB.user.email, craftsman.user.email] })
        .expect(200);

      expect(response.body.results).toEqual([
        { target: clientA.user.email, status: 'skipped', code: 'NOT_A_CRAFTSMAN' },
        { target: clientB.user.email, status: 'skipped', code: 'NOT_A_CRAFTSMAN' },
        {
          target: craftsman.user.email,
          status: 'skipped',
          code: 'RATE_LIMITED',
          retryAfterSeconds: expect.any(Number),
        },
      ]);
    });
  });
});

describe('Invitation limits per client: the defaults', () => {
  let t: TestApp;
  let client: Session;

  beforeAll(async () => {
    // the suite raises every limit; this app keeps the shipped ones for invitations
    t = await createTestApp({
      env: { INVITES_PER_CLIENT_PER_DAY: '', INVITE_LOOKUPS_PER_CLIENT_PER_DAY: '' },
    });
    client = await newClient(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should stop a new client at 50 email invitations a day, 20 per job on 3 jobs', async () => {
    const jobs = [await postJob(t, client), await postJob(t, client), await postJob(t, client)];
    const statuses: number[] = [];
    for (const job of jobs) {
      for (let i = 0; i < 20; i += 1) {
        const response = await invite(t, client, job.id, { email: uniqueEmail('spam') });
        statuses.push(response.status);
      }
    }

    expect(statuses.filter((status) => status === 201)).toHaveLength(50);
    expect(statuses.slice(50)).toEqual(Array(10).fill(429));
  });
});
