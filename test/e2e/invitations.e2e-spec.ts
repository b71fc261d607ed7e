import { Types } from 'mongoose';
import { hire, invite, inviteCraftsman, postJob } from '../support/marketplace.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  type Session,
  verifyEmail,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Invitations', () => {
  let t: TestApp;
  let client: Session;
  let craftsman: Session;
  let job: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    client = await newClient(t);
    craftsman = await newCraftsman(t, { phone: '+201001112233' });
    job = await postJob(t, client);
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  describe('POST /jobs/:jobId/invite', () => {
    it('should invite a craftsman by id: pending, 30 days to answer, with job and both summaries', async () => {
      const response = await invite(t, client, job.id, {
        craftsmanId: craftsman.user.id,
        message: 'Can you come today?',
      }).expect(201);

      const body = response.body;
      expect(body).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^[0-9a-f]{24}$/),
          job: expect.objectContaining({
            id: job.id,
            title: 'Leaking kitchen sink',
            status: 'posted',
          }),
          client: expect.objectContaining({ id: client.user.id, firstName: 'Mona' }),
          craftsman: expect.objectContaining({ id: craftsman.user.id, firstName: 'Karim' }),
          inviteeEmail: null,
          status: 'pending',
          message: 'Can you come today?',
          rejectionReason: null,
          rejectionReasonCode: null,
          viewedAt: null,
          respondedAt: null,
        }),
      );
      const days = (Date.parse(body.expiresAt) - Date.parse(body.createdAt)) / 86_400_000;
      expect(days).toBeCloseTo(30, 3);
      expect(body.history).toEqual([
        { action: 'created', by: client.user.id, at: expect.any(String) },
      ]);
      expect(body).not.toHaveProperty('tokenHash');
    });

    it('should find a registered craftsman by email (once he verified it) or phone', async () => {
      const second = await postJob(t, client);
      await verifyEmail(t, craftsman);

      const byEmail = await invite(t, client, job.id, {
        email: craftsman.user.email.toUpperCase(),
      }).expect(201);
      const byPhone = await invite(t, client, second.id, { phone: '0100 111 2233' }).expect(201);

      expect(byEmail.body.craftsman.id).toBe(craftsman.user.id);
      expect(byEmail.body.inviteeEmail).toBeNull();
      expect(byPhone.body.craftsman.id).toBe(craftsman.user.id);
    });

    it('should refuse anything but exactly one of craftsmanId, email and phone', async () => {
      const none = await invite(t, client, job.id, { message: 'hi' }).expect(400);
      const two = await invite(t, client, job.id, {
        craftsmanId: craftsman.user.id,
        email: 'a@b.co',
      }).expect(400);

      expect(none.body.code).toBe('VALIDATION_FAILED');
      expect(two.body.code).toBe('VALIDATION_FAILED');
    });

    it('should refuse a message over 1000 characters', async () => {
      const response = await invite(t, client, job.id, {
        craftsmanId: craftsman.user.id,
        message: 'x'.repeat(1001),
      }).expect(400);

      expect(response.body.details).toEqual([{ field: 'message', message: expect.any(String) }]);
    });

    describe('rule 1: only the job’s owner, a client, for an open job', () => {
      it('should answer 403 to another client', async () => {
        const other = await newClient(t);

        const response = await invite(t, other, job.id, { craftsmanId: craftsman.user.id }).expect(
          403,
        );

        expect(response.body.code).toBe('FORBIDDEN');
      });

      it('should answer 403 to a craftsman', async () => {
        await invite(t, craftsman, job.id, { craftsmanId: craftsman.user.id }).expect(403);
      });

      it('should answer 409 JOB_NOT_OPEN for a cancelled or hired job', async () => {
        await t.http.delete(`/api/jobs/${job.id}`).set(as(client)).expect(200);
        const hiredJob = await postJob(t, client);
        await hire(t, client, hiredJob.id, await newCraftsman(t));

        const cancelled = await invite(t, client, job.id, {
          craftsmanId: craftsman.user.id,
        }).expect(409);
        const hired = await invite(t, client, hiredJob.id, {
          craftsmanId: craftsman.user.id,
        }).expect(409);

        expect(cancelled.body.code).toBe('JOB_NOT_OPEN');
        expect(hired.body.code).toBe('JOB_NOT_OPEN');
      });

      it('should answer 404 for a job that does not exist', async () => {
        const response = await invite(t, client, '65a1b2c3d4e5f60718293a4b', {
          craftsmanId: craftsman.user.id,
        }).expect(404);

        expect(response.body.code).toBe('NOT_FOUND');
      });
    });

    describe('rule 2: the invitee must be a craftsman, not suspended', () => {
      it('should answer 422 NOT_A_CRAFTSMAN for a client', async () => {
        const other = await newClient(t);

        const response = await invite(t, client, job.id, { craftsmanId: other.user.id }).expect(
          422,
        );

        expect(response.body).toEqual({
          statusCode: 422,
          code: 'NOT_A_CRAFTSMAN',
          message: expect.any(String),
        });
      });

      it('should answer 422 CRAFTSMAN_SUSPENDED for a banned craftsman', async () => {
        const admin = await loginAsAdmin(t);
        await t.http
          .patch(`/api/admin/users/${craftsman.user.id}/ban`)
          .set(as(admin))
          .send({ reason: 'Fraud' })
          .expect(200);

        const response = await invite(t, client, job.id, { craftsmanId: craftsman.user.id }).expect(
          422,
        );

        expect(response.body.code).toBe('CRAFTSMAN_SUSPENDED');
      });
    });

    describe('rule 3: one invitation per craftsman or email per job', () => {
      it('should answer 409 ALREADY_INVITED the second time, for an id or an email', async () => {
        await verifyEmail(t, craftsman);
        await inviteCraftsman(t, client, job.id, craftsman);
        await invite(t, client, job.id, { email: 'someone@example.com' }).expect(201);

        const again = await invite(t, client, job.id, { email: craftsman.user.email }).expect(409);
        const emailAgain = await invite(t, client, job.id, { email: 'SomeOne@example.com' }).expect(
          409,
        );

        expect(again.body.code).toBe('ALREADY_INVITED');
        expect(emailAgain.body.code).toBe('ALREADY_INVITED');
      });

      it('should create one invitation of ten identical concurrent requests: one 201, nine 409', async () => {
        const statuses = await Promise.all(
          Array.from({ length: 10 }, () =>
            invite(t, client, job.id, { craftsmanId: craftsman.user.id }).then(
              (response) => response.status,
            ),
          ),
        );

        expect(statuses.filter((status) => status === 201)).toHaveLength(1);
        expect(statuses.filter((status) => status === 409)).toHaveLength(9);
        expect(await t.connection.collection('invitations').countDocuments()).toBe(1);
      });

      it('should let the same craftsman be invited to another job', async () => {
        const second = await postJob(t, client);
        await inviteCraftsman(t, client, job.id, craftsman);

        await invite(t, client, second.id, { craftsmanId: craftsman.user.id }).expect(201);
      });
    });

    it('rule 4: should answer 409 ALREADY_APPLIED for a craftsman who quoted the job', async () => {
      await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set(as(craftsman))
        .send({ price: 30_000 })
        .expect(201);

      const response = await invite(t, client, job.id, { craftsmanId: craftsman.user.id }).expect(
        409,
      );

      expect(response.body.code).toBe('ALREADY_APPLIED');
    });

    it('rule 5: should answer 409 PREVIOUSLY_REJECTED to re-invite a craftsman who declined', async () => {
      const invitation = await inviteCraftsman(t, client, job.id, craftsman);
      await t.http
        .post(`/api/invitations/${invitation.id}/reject`)
        .set(as(craftsman))
        .send({ reasonCode: 'busy' })
        .expect(200);

      const response = await invite(t, client, job.id, { craftsmanId: craftsman.user.id }).expect(
        409,
      );

      expect(response.body.code).toBe('PREVIOUSLY_REJECTED');
    });

    it('should invite again after the client cancelled, as a fresh pending invitation', async () => {
      const invitation = await inviteCraftsman(t, client, job.id, craftsman);
      await t.http.post(`/api/invitations/${invitation.id}/cancel`).set(as(client)).expect(200);

      const again = await invite(t, client, job.id, {
        craftsmanId: craftsman.user.id,
        message: 'Sorry, please come',
      }).expect(201);

      expect(again.body).toEqual(
        expect.objectContaining({
          id: invitation.id,
          status: 'pending',
          message: 'Sorry, please come',
        }),
      );
      expect(again.body.history.map((entry: { action: string }) => entry.action)).toEqual([
        'created',
        'cancelled',
        'reinvited',
      ]);
    });

    describe('Idempotency-Key', () => {
      it('should answer a retry with the first invitation instead of 409', async () => {
        const first = await invite(t, client, job.id, { craftsmanId: craftsman.user.id })
          .set('Idempotency-Key', 'retry-1')
          .expect(201);

        const retry = await invite(t, client, job.id, { craftsmanId: craftsman.user.id })
          .set('Idempotency-Key', 'retry-1')
          .expect(201);
        const withoutKey = await invite(t, client, job.id, {
          craftsmanId: craftsman.user.id,
        }).expect(409);

        expect(retry.body.id).toBe(first.body.id);
        expect(withoutKey.body.code).toBe('ALREADY_INVITED');
      });

      it('should answer concurrent retries with one invitation', async () => {
        const responses = await Promise.all(
          Array.from({ length: 5 }, () =>
            invite(t, client, job.id, { craftsmanId: craftsman.user.id }).set(
              'Idempotency-Key',
              'burst',
            ),
          ),
        );

        expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
        expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      });
    });
  });

  describe('rule 9: rate limits', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await createTestApp({
        env: { INVITES_PER_JOB_PER_DAY: '3', INVITES_PER_EMAIL_PER_DAY: '1' },
      });
    });

    afterAll(async () => {
      await limited.close();
    });

    it('should allow the per-job number a day, then answer 429 RATE_LIMITED', async () => {
      const owner = await newClient(limited);
      const target = await postJob(limited, owner);
      const craftsmen = await Promise.all(Array.from({ length: 4 }, () => newCraftsman(limited)));

      for (const one of craftsmen.slice(0, 3)) {
        await invite(limited, owner, target.id, { craftsmanId: one.user.id }).expect(201);
      }
      const fourth = await invite(limited, owner, target.id, {
        craftsmanId: craftsmen[3].user.id,
      }).expect(429);

      expect(fourth.body.code).toBe('RATE_LIMITED');
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('should not count a refused invitation', async () => {
      const owner = await newClient(limited);
      const target = await postJob(limited, owner);
      const one = await newCraftsman(limited);
      await invite(limited, owner, target.id, { craftsmanId: one.user.id }).expect(201);
      await invite(limited, owner, target.id, { craftsmanId: one.user.id }).expect(409);
      await invite(limited, owner, target.id, { craftsmanId: one.user.id }).expect(409);

      await invite(limited, owner, target.id, {
        craftsmanId: (await newCraftsman(limited)).user.id,
      }).expect(201);
      await invite(limited, owner, target.id, {
        craftsmanId: (await newCraftsman(limited)).user.id,
      }).expect(201);
    });

    it('should invite one email address once a day per client, across jobs', async () => {
      const owner = await newClient(limited);
      const first = await postJob(limited, owner);
      const second = await postJob(limited, owner);

      await invite(limited, owner, first.id, { email: 'friend@example.com' }).expect(201);
      const again = await invite(limited, owner, second.id, { email: 'friend@example.com' }).expect(
        429,
      );

      expect(again.body.code).toBe('RATE_LIMITED');
      const other = await newClient(limited);
      await invite(limited, other, (await postJob(limited, other)).id, {
        email: 'friend@example.com',
      }).expect(201);
    });
  });

  describe('POST /jobs/:jobId/invitations/bulk', () => {
    it('should answer one result per target, creating what it can', async () => {
      const second = await newCraftsman(t);
      const aClient = await newClient(t);
      await inviteCraftsman(t, client, job.id, second);

      const response = await t.http
        .post(`/api/jobs/${job.id}/invitations/bulk`)
        .set(as(client))
        .send({
          craftsmanIds: [
            craftsman.user.id,
            second.user.id,
            aClient.user.id,
            '65a1b2c3d4e5f60718293a4b',
          ],
          emails: ['new@example.com', 'new@example.com'],
          message: 'Bulk',
        })
        .expect(200);

      expect(response.body.results).toEqual([
        { target: craftsman.user.id, status: 'created', invitationId: expect.any(String) },
        { target: second.user.id, status: 'skipped', code: 'ALREADY_INVITED' },
        { target: aClient.user.id, status: 'skipped', code: 'NOT_A_CRAFTSMAN' },
        { target: '65a1b2c3d4e5f60718293a4b', status: 'skipped', code: 'NOT_FOUND' },
        { target: 'new@example.com', status: 'created', invitationId: expect.any(String) },
        { target: 'new@example.com', status: 'skipped', code: 'ALREADY_INVITED' },
      ]);
    });

    it('should refuse more than 50 targets, or none', async () => {
      const emails = Array.from({ length: 51 }, (_, i) => `p${i}@example.com`);

      await t.http
        .post(`/api/jobs/${job.id}/invitations/bulk`)
        .set(as(client))
        .send({ emails })
        .expect(400);
      await t.http
        .post(`/api/jobs/${job.id}/invitations/bulk`)
        .set(as(client))
        .send({})
        .expect(400);
      expect(await t.connection.collection('invitations').countDocuments()).toBe(0);
    });
  });

  describe('answering', () => {
    let invitation: { id: string };

    beforeEach(async () => {
      invitation = await inviteCraftsman(t, client, job.id, craftsman);
    });

    it('should accept: status accepted, a conversation, and the client sees it', async () => {
      const response = await t.http
        .post(`/api/invitations/${invitation.id}/accept`)
        .set(as(craftsman))
        .expect(200);

      expect(response.body).toEqual({
        invitation: expect.objectContaining({
          id: invitation.id,
          status: 'accepted',
          respondedAt: expect.any(String),
        }),
        conversationId: expect.stringMatching(/^[0-9a-f]{24}$/),
      });
      const seen = await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(client))
        .expect(200);
      expect(seen.body.status).toBe('accepted');
      const conversations = await t.http.get('/api/conversations').set(as(client)).expect(200);
      expect(conversations.body.data.map((c: { id: string }) => c.id)).toEqual([
        response.body.conversationId,
      ]);
    });

    it('should let the accepted craftsman quote the job', async () => {
      await t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(craftsman)).expect(200);

      await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set(as(craftsman))
        .send({ price: 40_000 })
        .expect(201);
    });

    it('should reject with a reason and reason code', async () => {
      const response = await t.http
        .post(`/api/invitations/${invitation.id}/reject`)
        .set(as(craftsman))
        .send({ reason: 'Fully booked this week', reasonCode: 'busy' })
        .expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({
          status: 'rejected',
          rejectionReason: 'Fully booked this week',
          rejectionReasonCode: 'busy',
        }),
      );
    });

    it('should refuse an unknown reason code', async () => {
      const response = await t.http
        .post(`/api/invitations/${invitation.id}/reject`)
        .set(as(craftsman))
        .send({ reasonCode: 'lazy' })
        .expect(400);

      expect(response.body.details).toEqual([{ field: 'reasonCode', message: expect.any(String) }]);
    });

    it('should answer by job: POST /jobs/:jobId/invitations/respond', async () => {
      const accepted = await t.http
        .post(`/api/jobs/${job.id}/invitations/respond`)
        .set(as(craftsman))
        .send({ response: 'accepted' })
        .expect(200);
      const other = await newCraftsman(t);

      expect(accepted.body).toEqual({
        invitation: expect.objectContaining({ id: invitation.id, status: 'accepted' }),
        conversationId: expect.any(String),
      });
      await t.http
        .post(`/api/jobs/${job.id}/invitations/respond`)
        .set(as(other))
        .send({ response: 'rejected' })
        .expect(404);
    });

    it('should let only the invited craftsman answer', async () => {
      const other = await newCraftsman(t);

      await t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(other)).expect(403);
      await t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(client)).expect(403);
      await t.http
        .post(`/api/invitations/${invitation.id}/reject`)
        .set(as(other))
        .send({})
        .expect(403);
    });

    it('rule 6: should answer 409 INVITATION_NOT_PENDING once it was answered or cancelled', async () => {
      await t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(craftsman)).expect(200);

      const acceptAgain = await t.http
        .post(`/api/invitations/${invitation.id}/accept`)
        .set(as(craftsman))
        .expect(409);
      const reject = await t.http
        .post(`/api/invitations/${invitation.id}/reject`)
        .set(as(craftsman))
        .send({})
        .expect(409);
      const cancel = await t.http
        .post(`/api/invitations/${invitation.id}/cancel`)
        .set(as(client))
        .expect(409);

      expect(acceptAgain.body).toEqual(
        expect.objectContaining({
          code: 'INVITATION_NOT_PENDING',
          details: { status: 'accepted' },
        }),
      );
      expect(reject.body.code).toBe('INVITATION_NOT_PENDING');
      expect(cancel.body.code).toBe('INVITATION_NOT_PENDING');
    });

    it('rule 6: should let exactly one of a concurrent accept and reject win', async () => {
      const [accept, reject] = await Promise.all([
        t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(craftsman)),
        t.http
          .post(`/api/invitations/${invitation.id}/reject`)
          .set(as(craftsman))
          .send({ reasonCode: 'busy' }),
      ]);

      expect([accept.status, reject.status].sort()).toEqual([200, 409]);
      const final = await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(client))
        .expect(200);
      expect(final.body.status).toBe(accept.status === 200 ? 'accepted' : 'rejected');
    });

    it('rule 6: should let exactly one of ten concurrent accepts win', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.http
            .post(`/api/invitations/${invitation.id}/accept`)
            .set(as(craftsman))
            .then((r) => r.status),
        ),
      );

      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(9);
      expect(await t.connection.collection('conversations').countDocuments()).toBe(1);
    });

    it('rule 7: should answer 409 JOB_NOT_OPEN to an accept after the job closed otherwise', async () => {
      // hire someone else: the job closes
      const other = await newCraftsman(t);
      const quote = await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set(as(other))
        .send({ price: 10_000 })
        .expect(201);
      await t.http
        .post(`/api/jobs/${job.id}/quotes/${quote.body.id}/accept`)
        .set(as(client))
        .expect(200);

      const response = await t.http
        .post(`/api/invitations/${invitation.id}/accept`)
        .set(as(craftsman))
        .expect(409);

      // hiring cancels the pending invitations first
      expect(response.body.code).toBe('INVITATION_NOT_PENDING');
    });

    it('rule 7: should answer 409 JOB_NOT_OPEN when the job closed before its invitations were cancelled', async () => {
      // the moment between a hire and the cancellation of the job's invitations
      await t.connection
        .collection('jobs')
        .updateOne({ _id: new Types.ObjectId(job.id) }, { $set: { status: 'hired' } });

      const response = await t.http
        .post(`/api/invitations/${invitation.id}/accept`)
        .set(as(craftsman))
        .expect(409);

      expect(response.body.code).toBe('JOB_NOT_OPEN');
      const still = await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(client))
        .expect(200);
      expect(still.body.status).toBe('pending');
    });

    it('should let the inviting client cancel, and nobody else', async () => {
      const other = await newClient(t);
      await t.http.post(`/api/invitations/${invitation.id}/cancel`).set(as(other)).expect(403);

      const response = await t.http
        .post(`/api/invitations/${invitation.id}/cancel`)
        .set(as(client))
        .expect(200);

      expect(response.body.status).toBe('cancelled');
      await t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(craftsman)).expect(409);
    });

    it('should answer 404 for an unknown invitation and for a malformed id', async () => {
      await t.http
        .post('/api/invitations/65a1b2c3d4e5f60718293a4b/accept')
        .set(as(craftsman))
        .expect(404);
      const malformed = await t.http
        .post('/api/invitations/nope/accept')
        .set(as(craftsman))
        .expect(404);

      expect(malformed.body.message).toBe('Resource not found (invalid ID)');
    });
  });

  describe('when the job is hired or cancelled', () => {
    it('should cancel the pending invitations, and leave the answered ones', async () => {
      const [a, b, c] = await Promise.all([newCraftsman(t), newCraftsman(t), newCraftsman(t)]);
      const pending = await inviteCraftsman(t, client, job.id, a);
      const accepted = await inviteCraftsman(t, client, job.id, b);
      await t.http.post(`/api/invitations/${accepted.id}/accept`).set(as(b)).expect(200);

      await hire(t, client, job.id, c);

      const list = await t.http.get(`/api/jobs/${job.id}/invitations`).set(as(client)).expect(200);
      const byId = Object.fromEntries(
        list.body.data.map((i: { id: string; status: string }) => [i.id, i.status]),
      );
      expect(byId).toEqual({ [pending.id]: 'cancelled', [accepted.id]: 'accepted' });
    });

    it('should cancel them when the client cancels the job', async () => {
      const pending = await inviteCraftsman(t, client, job.id, craftsman);

      await t.http.delete(`/api/jobs/${job.id}`).set(as(client)).expect(200);

      const seen = await t.http
        .get(`/api/invitations/${pending.id}`)
        .set(as(craftsman))
        .expect(200);
      expect(seen.body.status).toBe('cancelled');
      expect(seen.body.history.at(-1)).toEqual({
        action: 'cancelled',
        by: null,
        at: expect.any(String),
      });
    });
  });

  describe('GET /invitations/:id', () => {
    it('should be for its client, its craftsman and admins only', async () => {
      const invitation = await inviteCraftsman(t, client, job.id, craftsman);
      const admin = await loginAsAdmin(t);

      await t.http.get(`/api/invitations/${invitation.id}`).set(as(client)).expect(200);
      await t.http.get(`/api/invitations/${invitation.id}`).set(as(craftsman)).expect(200);
      await t.http.get(`/api/invitations/${invitation.id}`).set(as(admin)).expect(200);
      await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(await newClient(t)))
        .expect(403);
      await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(await newCraftsman(t)))
        .expect(403);
    });

    it('should record when the craftsman first viewed it, and only then', async () => {
      const invitation = await inviteCraftsman(t, client, job.id, craftsman);
      await t.http.get(`/api/invitations/${invitation.id}`).set(as(client)).expect(200);
      const beforeView = await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(client))
        .expect(200);

      const first = await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(craftsman))
        .expect(200);
      const second = await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(craftsman))
        .expect(200);

      expect(beforeView.body.viewedAt).toBeNull();
      expect(first.body.viewedAt).toEqual(expect.any(String));
      expect(second.body.viewedAt).toBe(first.body.viewedAt);
      expect(second.body.history.map((entry: { action: string }) => entry.action)).toEqual([
        'created',
        'viewed',
      ]);
    });
  });

  describe('lists', () => {
    it('should list sent invitations newest first, by job and status, paginated', async () => {
      const second = await postJob(t, client, { title: 'Broken socket', category: 'Electrical' });
      const [a, b, c] = await Promise.all([newCraftsman(t), newCraftsman(t), newCraftsman(t)]);
      const first = await inviteCraftsman(t, client, job.id, a);
      const middle = await inviteCraftsman(t, client, second.id, b);
      const last = await inviteCraftsman(t, client, job.id, c);
      await t.http.post(`/api/invitations/${middle.id}/reject`).set(as(b)).send({}).expect(200);
      const otherClient = await newClient(t);
      await inviteCraftsman(t, otherClient, (await postJob(t, otherClient)).id, a);

      const all = await t.http.get('/api/invitations/sent?limit=2').set(as(client)).expect(200);
      const forJob = await t.http
        .get(`/api/invitations/sent?jobId=${job.id}`)
        .set(as(client))
        .expect(200);
      const rejected = await t.http
        .get('/api/invitations/sent?status=rejected')
        .set(as(client))
        .expect(200);

      expect(all.body.pagination).toEqual({
        page: 1,
        limit: 2,
        totalPages: 2,
        totalItems: 3,
        nextCursor: expect.any(String),
      });
      expect(all.body.data.map((i: { id: string }) => i.id)).toEqual([last.id, middle.id]);
      expect(forJob.body.data.map((i: { id: string }) => i.id)).toEqual([last.id, first.id]);
      expect(rejected.body.data.map((i: { id: string }) => i.id)).toEqual([middle.id]);
    });

    it('should list received invitations newest first with the job and client', async () => {
      const otherClient = await newClient(t);
      const otherJob = await postJob(t, otherClient, {
        title: 'Paint the hall',
        category: 'Painting',
      });
      const older = await inviteCraftsman(t, client, job.id, craftsman);
      const newer = await inviteCraftsman(t, otherClient, otherJob.id, craftsman);

      const response = await t.http.get('/api/invitations/received').set(as(craftsman)).expect(200);
      const pending = await t.http
        .get('/api/invitations/received?status=pending')
        .set(as(craftsman))
        .expect(200);

      expect(response.body.data.map((i: { id: string }) => i.id)).toEqual([newer.id, older.id]);
      expect(response.body.data[0]).toEqual(
        expect.objectContaining({
          job: expect.objectContaining({ id: otherJob.id, title: 'Paint the hall' }),
          client: expect.objectContaining({ id: otherClient.user.id }),
        }),
      );
      expect(pending.body.pagination.totalItems).toBe(2);
    });

    it('should page the received list by cursor: the same items as by page number, each once', async () => {
      const jobs = [];
      for (let i = 0; i < 7; i += 1) {
        jobs.push(await postJob(t, client, { title: `Job number ${i}` }));
      }
      for (const each of jobs) {
        await inviteCraftsman(t, client, each.id, craftsman);
      }
      const byPage = await t.http
        .get('/api/invitations/received?limit=100')
        .set(as(craftsman))
        .expect(200);

      const pages: Array<{ data: Array<{ id: string }>; pagination: Record<string, unknown> }> = [];
      let after: string | null = null;
      do {
        const query: string = after === null ? '' : `&after=${after}`;
        const response = await t.http
          .get(`/api/invitations/received?limit=3${query}`)
          .set(as(craftsman))
          .expect(200);
        pages.push(response.body);
        after = response.body.pagination.nextCursor;
      } while (after !== null && pages.length < 10);

      expect(pages.map((page) => page.data.length)).toEqual([3, 3, 1]);
      expect(pages.map((page) => page.pagination.page)).toEqual([1, 2, 3]);
      expect(pages.flatMap((page) => page.data.map((i) => i.id))).toEqual(
        byPage.body.data.map((i: { id: string }) => i.id),
      );
      expect(pages[2].pagination).toEqual({
        page: 3,
        limit: 3,
        totalPages: 3,
        totalItems: 7,
        nextCursor: null,
      });
    });

    it('should keep the status filter across cursor pages', async () => {
      const jobs = [];
      for (let i = 0; i < 4; i += 1) {
        jobs.push(await postJob(t, client, { title: `Job number ${i}` }));
      }
      const invitations = [];
      for (const each of jobs) {
        invitations.push(await inviteCraftsman(t, client, each.id, craftsman));
      }
      await t.http
        .post(`/api/invitations/${invitations[1].id}/reject`)
        .set(as(craftsman))
        .send({})
        .expect(200);

      const first = await t.http
        .get('/api/invitations/received?status=pending&limit=2')
        .set(as(craftsman))
        .expect(200);
      const second = await t.http
        .get(
          `/api/invitations/received?status=pending&limit=2&after=${first.body.pagination.nextCursor}`,
        )
        .set(as(craftsman))
        .expect(200);

      expect([...first.body.data, ...second.body.data].map((i: { id: string }) => i.id)).toEqual([
        invitations[3].id,
        invitations[2].id,
        invitations[0].id,
      ]);
      expect(second.body.pagination.nextCursor).toBeNull();
    });

    it('should answer 400 VALIDATION_FAILED to a cursor it did not issue', async () => {
      const forged = Buffer.from(JSON.stringify({ v: [{ $gt: '' }, 'x'], n: 0 })).toString(
        'base64url',
      );

      for (const after of ['not-a-cursor', forged, '']) {
        const response = await t.http
          .get(`/api/invitations/received?after=${after}`)
          .set(as(craftsman))
          .expect(400);
        expect(response.body).toEqual(
          expect.objectContaining({
            code: 'VALIDATION_FAILED',
            details: [expect.objectContaining({ field: 'after' })],
          }),
        );
      }
    });

    it('should keep each list to its owner', async () => {
      await t.http.get('/api/invitations/sent').set(as(craftsman)).expect(403);
      await t.http.get('/api/invitations/received').set(as(client)).expect(403);
      await t.http
        .get(`/api/jobs/${job.id}/invitations`)
        .set(as(await newClient(t)))
        .expect(403);
      await t.http.get('/api/invitations/sent?status=someday').set(as(client)).expect(400);
    });
  });

  describe('GET /jobs/:jobId/invitations/stats', () => {
    it('should count sent, viewed, answered by reason, cancelled, quoted and hired', async () => {
      const crew = await Promise.all(Array.from({ length: 6 }, () => newCraftsman(t)));
      const invitations = [];
      for (const one of crew) {
        invitations.push(await inviteCraftsman(t, client, job.id, one));
      }
      await invite(t, client, job.id, { email: 'unknown@example.com' }).expect(201);
      const [viewer, accepter, busy, far, cancelled] = invitations;
      await t.http.get(`/api/invitations/${viewer.id}`).set(as(crew[0])).expect(200);
      await t.http.post(`/api/invitations/${accepter.id}/accept`).set(as(crew[1])).expect(200);
      await t.http
        .post(`/api/invitations/${busy.id}/reject`)
        .set(as(crew[2]))
        .send({ reasonCode: 'busy' })
        .expect(200);
      await t.http
        .post(`/api/invitations/${far.id}/reject`)
        .set(as(crew[3]))
        .send({ reasonCode: 'too_far' })
        .expect(200);
      await t.http.post(`/api/invitations/${cancelled.id}/cancel`).set(as(client)).expect(200);
      await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set(as(crew[1]))
        .send({ price: 20_000 })
        .expect(201);

      const response = await t.http
        .get(`/api/jobs/${job.id}/invitations/stats`)
        .set(as(client))
        .expect(200);

      expect(response.body).toEqual({
        sent: 7,
        viewed: 1,
        accepted: 1,
        rejected: { total: 2, byReason: { busy: 1, too_far: 1 } },
        cancelled: 1,
        expired: 0,
        quoted: 1,
        hired: 0,
      });
      await t.http
        .get(`/api/jobs/${job.id}/invitations/stats`)
        .set(as(await newClient(t)))
        .expect(403);
    });
  });
});
