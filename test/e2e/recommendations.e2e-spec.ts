import { Types } from 'mongoose';
import { invite, inviteCraftsman, postJob } from '../support/marketplace.js';
import { loginAsAdmin, newClient, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { submitVerification } from '../support/uploads.js';

const TAHRIR = { lat: 30.0444, lng: 31.2357 };
/** Points at known distances from Tahrir. */
const ZAMALEK = { lat: 30.0609, lng: 31.2197 }; // ~2.4 km
const DOKKI = { lat: 30.0385, lng: 31.2122 }; // ~2.4 km
const MAADI = { lat: 29.9602, lng: 31.2569 }; // ~9.6 km
const HELIOPOLIS = { lat: 30.0911, lng: 31.3425 }; // ~11.5 km
const ALEXANDRIA = { lat: 31.2001, lng: 29.9187 }; // ~180 km

interface Recommendation {
  craftsman: { id: string; firstName: string; email?: string };
  score: number;
  reasons: {
    skill: number;
    distanceKm: number | null;
    rating: number;
    performance: number;
    availability: number;
    heldBack?: { pendingInvitations: number; maxPending: number };
  };
}

describe('GET /users/recommendations', () => {
  let t: TestApp;
  let admin: Session;
  let client: Session;
  let job: { id: string };

  beforeAll(async () => {
    t = await createTestApp({
      env: { RECOMMEND_MAX_PENDING: '2', RECOMMEND_SEARCH_RADIUS_KM: '30' },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
    client = await newClient(t);
    job = await postJob(t, client, { category: 'Plumbing', location: TAHRIR });
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  /** A craftsman with a profile, verified by the admin unless told otherwise, and reviews. */
  async function craftsman(
    firstName: string,
    profile: {
      location?: { lat: number; lng: number };
      skills?: string[];
      serviceRadiusKm?: number;
      available?: boolean;
      rating?: [number, number];
      verified?: boolean;
    } = {},
  ): Promise<Session> {
    const session = await newCraftsman(t, { firstName });
    await t.http
      .put('/api/users/me')
      .set(as(session))
      .send({
        location: profile.location ?? ZAMALEK,
        craftsmanInfo: {
          skills: profile.skills ?? ['Plumbing'],
          serviceRadiusKm: profile.serviceRadiusKm ?? 50,
          available: profile.available ?? true,
        },
      })
      .expect(200);
    if (profile.verified ?? true) {
      await submitVerification(t, session);
      await t.http
        .post(`/api/admin/verifications/${session.user.id}/approve`)
        .set(as(admin))
        .expect(200);
    }
    if (profile.rating) {
      // what reviews will set (the reviews module comes later)
      await t.connection
        .collection('users')
        .updateOne(
          { _id: new Types.ObjectId(session.user.id) },
          { $set: { rating: profile.rating[0], ratingCount: profile.rating[1] } },
        );
    }
    return session;
  }

  async function recommend(query = `jobId=${job.id}`): Promise<Recommendation[]> {
    const response = await t.http
      .get(`/api/users/recommendations?${query}`)
      .set(as(client))
      .expect(200);
    return response.body.data;
  }

  const names = (list: Recommendation[]) => list.map((item) => item.craftsman.firstName);

  it('should rank by the score: close, well reviewed, specialist', async () => {
    await craftsman('Near', { location: ZAMALEK, rating: [4.8, 120] });
    await craftsman('Farther', { location: HELIOPOLIS, rating: [4.8, 120] });
    await craftsman('OneReview', { location: DOKKI, rating: [5, 1] });
    await craftsman('AllRounder', {
      location: ZAMALEK,
      rating: [4.8, 120],
      skills: ['Plumbing', 'Tiling', 'Painting', 'Masonry'],
    });

    const list = await recommend();

    // by scoring.ts: Near .829, OneReview .776, Farther .768, AllRounder .754 (4 trades: skill 0.7)
    expect(names(list)).toEqual(['Near', 'OneReview', 'Farther', 'AllRounder']);
    expect(list.map((item) => item.score)).toEqual(
      [...list.map((item) => item.score)].sort((a, b) => b - a),
    );
  });

  it('should explain each recommendation with the parts of its score', async () => {
    await craftsman('Near', { location: ZAMALEK, rating: [4.8, 200] });

    const [item] = await recommend();

    expect(item.craftsman).toEqual(
      expect.objectContaining({
        firstName: 'Near',
        craftsmanInfo: expect.objectContaining({ verificationStatus: 'verified' }),
      }),
    );
    expect(item.craftsman).not.toHaveProperty('email');
    expect(item.reasons).toEqual({
      skill: 1,
      distanceKm: 3, // 2.3 km away; 2.5..3 to the centre of his ~1 km grid cell, rounded up
      rating: 4.74,
      performance: expect.any(Number),
      availability: 1,
    });
    expect(item.score).toBeGreaterThan(0);
    expect(item.score).toBeLessThanOrEqual(1);
  });

  it('should leave out other trades, the unverified, the banned, and those out of reach', async () => {
    await craftsman('Good');
    await craftsman('Painter', { skills: ['Painting'] });
    await craftsman('Unverified', { verified: false });
    const banned = await craftsman('Banned');
    await t.http
      .patch(`/api/admin/users/${banned.user.id}/ban`)
      .set(as(admin))
      .send({ reason: 'Fraud' })
      .expect(200);
    await craftsman('Alexandrian', { location: ALEXANDRIA });
    await craftsman('StaysHome', { location: MAADI, serviceRadiusKm: 5 });

    expect(names(await recommend())).toEqual(['Good']);
  });

  it('should leave out craftsmen already invited (whatever the answer) or who quoted', async () => {
    const invited = await craftsman('Invited');
    const rejected = await craftsman('Rejected');
    const quoted = await craftsman('Quoted');
    await craftsman('Fresh');
    await inviteCraftsman(t, client, job.id, invited);
    const declined = await inviteCraftsman(t, client, job.id, rejected);
    await t.http
      .post(`/api/invitations/${declined.id}/reject`)
      .set(as(rejected))
      .send({ reasonCode: 'too_far' })
      .expect(200);
    await t.http
      .post(`/api/jobs/${job.id}/quotes`)
      .set(as(quoted))
      .send({ price: 30_000 })
      .expect(201);

    expect(names(await recommend())).toEqual(['Fresh']);
  });

  it('should rank an unavailable craftsman last (rule 10), with availability 0', async () => {
    await craftsman('Away', { location: ZAMALEK, rating: [5, 300], available: false });
    await craftsman('Average', { location: HELIOPOLIS, rating: [3.5, 10] });

    const list = await recommend();

    expect(names(list)).toEqual(['Average', 'Away']);
    expect(list[1].reasons.availability).toBe(0);
  });

  it('should lower the availability of one who recently declined as busy', async () => {
    const busy = await craftsman('Busy');
    const other = await postJob(t, client, { category: 'Plumbing', location: TAHRIR });
    const declined = await inviteCraftsman(t, client, other.id, busy);
    await t.http
      .post(`/api/invitations/${declined.id}/reject`)
      .set(as(busy))
      .send({ reasonCode: 'busy' })
      .expect(200);

    const [item] = await recommend();

    expect(item.reasons.availability).toBe(0.5);
  });

  it('should hold back a craftsman with too many pending invitations, and say so', async () => {
    const popular = await craftsman('Popular', { location: ZAMALEK, rating: [5, 500] });
    await craftsman('Quiet', { location: HELIOPOLIS, rating: [3, 5] });
    const otherClient = await newClient(t);
    for (let i = 0; i < 2; i += 1) {
      const otherJob = await postJob(t, otherClient, { category: 'Plumbing' });
      await invite(t, otherClient, otherJob.id, { craftsmanId: popular.user.id }).expect(201);
    }

    const list = await recommend();

    expect(names(list)).toEqual(['Quiet', 'Popular']);
    expect(list[1].reasons.heldBack).toEqual({ pendingInvitations: 2, maxPending: 2 });
    expect(list[0].reasons).not.toHaveProperty('heldBack');
  });

  it('should reward a track record: completed jobs and quick acceptances', async () => {
    const proven = await craftsman('Proven', { location: HELIOPOLIS });
    await craftsman('Newcomer', { location: HELIOPOLIS });
    const earlier = await postJob(t, client, { category: 'Plumbing', location: TAHRIR });
    const invitation = await inviteCraftsman(t, client, earlier.id, proven);
    await t.http.get(`/api/invitations/${invitation.id}`).set(as(proven)).expect(200);
    await t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(proven)).expect(200);
    const quote = await t.http
      .post(`/api/jobs/${earlier.id}/quotes`)
      .set(as(proven))
      .send({ price: 20_000 })
      .expect(201);
    await t.http
      .post(`/api/jobs/${earlier.id}/quotes/${quote.body.id}/accept`)
      .set(as(client))
      .expect(200);
    for (const status of ['on_the_way', 'in_progress']) {
      await t.http
        .patch(`/api/jobs/${earlier.id}/status`)
        .set(as(proven))
        .send({ status })
        .expect(200);
    }
    await t.http
      .patch(`/api/jobs/${earlier.id}/status`)
      .set(as(client))
      .send({ status: 'completed' })
      .expect(200);

    const list = await recommend();

    expect(names(list)).toEqual(['Proven', 'Newcomer']);
    expect(list[0].reasons.performance).toBeGreaterThan(list[1].reasons.performance);
  });

  it('should honour limit', async () => {
    for (const name of ['A', 'B', 'C']) {
      await craftsman(name);
    }

    expect(await recommend(`jobId=${job.id}&limit=2`)).toHaveLength(2);
    await t.http
      .get(`/api/users/recommendations?jobId=${job.id}&limit=51`)
      .set(as(client))
      .expect(400);
    await t.http.get('/api/users/recommendations').set(as(client)).expect(400);
  });

  it('should answer only the job’s owner, and only for an open job', async () => {
    const other = await newClient(t);
    const someCraftsman = await newCraftsman(t);

    await t.http.get(`/api/users/recommendations?jobId=${job.id}`).set(as(other)).expect(403);
    await t.http
      .get(`/api/users/recommendations?jobId=${job.id}`)
      .set(as(someCraftsman))
      .expect(403);
    await t.http.get(`/api/users/recommendations?jobId=${job.id}`).expect(401);
    await t.http
      .get('/api/users/recommendations?jobId=65a1b2c3d4e5f60718293a4b')
      .set(as(client))
      .expect(404);
    await t.http.delete(`/api/jobs/${job.id}`).set(as(client)).expect(200);
    const closed = await t.http
      .get(`/api/users/recommendations?jobId=${job.id}`)
      .set(as(client))
      .expect(409);
    expect(closed.body.code).toBe('JOB_NOT_OPEN');
  });
});

describe('GET /users/recommendations with RECOMMEND_UNVERIFIED=true', () => {
  it('should recommend craftsmen nobody verified yet', async () => {
    const t = await createTestApp({ env: { RECOMMEND_UNVERIFIED: 'true' } });
    try {
      const client = await newClient(t);
      const job = await postJob(t, client, { category: 'Plumbing', location: TAHRIR });
      const fresh = await newCraftsman(t, { firstName: 'Fresh' });
      await t.http
        .put('/api/users/me')
        .set({ Authorization: fresh.bearer })
        .send({ location: ZAMALEK, craftsmanInfo: { skills: ['plumbing'] } })
        .expect(200);

      const response = await t.http
        .get(`/api/users/recommendations?jobId=${job.id}`)
        .set({ Authorization: client.bearer })
        .expect(200);

      expect(response.body.data.map((item: Recommendation) => item.craftsman.firstName)).toEqual([
        'Fresh',
      ]);
    } finally {
      await t.close();
    }
  });
});
