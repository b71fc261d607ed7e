import type { Paginated } from '../../src/common/pagination/paginated.js';
import { getJob, hire, postJob } from '../support/marketplace.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { submitVerification } from '../support/uploads.js';

/**
 * Two places 1.1 km apart that share one cell of the ~1 km grid (rows 30.04..30.05 N, columns
 * 31.2097..31.2213 E at this latitude): whatever others learn must be the same for both.
 */
const HOME_A = { lat: 30.0415, lng: 31.2205 };
const HOME_B = { lat: 30.0485, lng: 31.2115 };
/** Where an attacker searches from: five points around them. */
const SEARCH_POINTS = [
  { lat: 30.0459, lng: 31.2243 },
  { lat: 30.0444, lng: 31.2357 },
  { lat: 29.9792, lng: 31.1342 },
  { lat: 30.0626, lng: 31.2197 },
  { lat: 30.0385, lng: 31.2123 },
];

interface Located {
  id: string;
  distanceKm?: number;
  location?: { lat: number; lng: number };
  address?: string;
}

const isHalfKmStep = (km: number) => Number.isInteger(km * 2) && km >= 0.5;

describe('Hidden locations stay hidden (issue 11, item 17)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  async function craftsmanAt(
    location: { lat: number; lng: number },
    admin?: Session,
  ): Promise<Session> {
    const craftsman = await newCraftsman(t);
    await t.http
      .put('/api/users/me')
      .set(as(craftsman))
      .send({ location, craftsmanInfo: { skills: ['Plumbing'], serviceRadiusKm: 50 } })
      .expect(200);
    if (admin) {
      await submitVerification(t, craftsman);
      await t.http
        .post(`/api/admin/verifications/${craftsman.user.id}/approve`)
        .set(as(admin))
        .expect(200);
    }
    return craftsman;
  }

  async function list(viewer: Session, path: string, query: object): Promise<Located[]> {
    const response = await t.http.get(path).query(query).set(as(viewer)).expect(200);
    return (response.body as Paginated<Located>).data;
  }

  describe('GET /users?lat&lng (craftsman search)', () => {
    it('should tell every searcher the same about two craftsmen of one grid cell: distances in 0.5 km steps from the cell', async () => {
      const a = await craftsmanAt(HOME_A);
      const b = await craftsmanAt(HOME_B);
      const attacker = await newClient(t);

      for (const point of SEARCH_POINTS) {
        const found = await list(attacker, '/api/users', { ...point, radiusKm: 20 });
        const distanceOf = (session: Session) =>
          found.find((item) => item.id === session.user.id)?.distanceKm;

        expect(distanceOf(a)).toBeDefined();
        expect(distanceOf(a)).toBe(distanceOf(b));
        expect(isHalfKmStep(distanceOf(a)!)).toBe(true);
      }
    });

    it('should not find a craftsman by a tiny radius around his exact home', async () => {
      await craftsmanAt(HOME_A);
      const attacker = await newClient(t);

      const found = await list(attacker, '/api/users', { ...HOME_A, radiusKm: 0.1 });

      expect(found).toEqual([]);
    });
  });

  describe('jobs', () => {
    it('should show an open job’s place to outsiders as its grid cell, the same on every read, and exactly to its parties and staff', async () => {
      const owner = await newClient(t);
      const jobA = await postJob(t, owner, { location: HOME_A, address: '12 Qasr El Nil St' });
      const jobB = await postJob(t, owner, { location: HOME_B, address: '3 Tahrir Sq' });
      const outsider = await newCraftsman(t);
      const otherClient = await newClient(t);

      const seenA = [
        await getJob<Located>(t, outsider, jobA.id),
        await getJob<Located>(t, outsider, jobA.id),
        await getJob<Located>(t, otherClient, jobA.id),
      ];
      const seenB = await getJob<Located>(t, outsider, jobB.id);
      const byOwner = await getJob<Located>(t, owner, jobA.id);
      const byAdmin = await getJob<Located>(t, await loginAsAdmin(t), jobA.id);
      const byModerator = await getJob<Located>(t, await newModerator(t), jobA.id);

      expect(seenA[0].location).not.toEqual(HOME_A);
      expect(seenA.map((job) => job.location)).toEqual([
        seenA[0].location,
        seenA[0].location,
        seenA[0].location,
      ]);
      expect(seenB.location).toEqual(seenA[0].location);
      for (const seen of [...seenA, seenB]) {
        expect(seen).not.toHaveProperty('address');
      }
      for (const party of [byOwner, byAdmin, byModerator]) {
        expect(party.location).toEqual(HOME_A);
        expect(party.address).toBe('12 Qasr El Nil St');
      }
    });

    it('should show the hired craftsman the exact place', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await postJob(t, owner, { location: HOME_A });
      await hire(t, owner, job.id, craftsman);

      expect((await getJob<Located>(t, craftsman, job.id)).location).toEqual(HOME_A);
    });

    it('should browse others’ jobs by distance from their cells in 0.5 km steps, and one’s own exactly', async () => {
      const owner = await newClient(t);
      const jobA = await postJob(t, owner, { location: HOME_A });
      const jobB = await postJob(t, owner, { location: HOME_B });
      const craftsman = await newCraftsman(t);

      for (const point of SEARCH_POINTS) {
        const found = await list(craftsman, '/api/jobs', { ...point, radiusKm: 20 });
        const [a, b] = [jobA, jobB].map((job) => found.find((item) => item.id === job.id)!);
        expect(a.distanceKm).toBe(b.distanceKm);
        expect(isHalfKmStep(a.distanceKm!)).toBe(true);
        expect(a.location).toEqual(b.location);
      }
      expect(await list(craftsman, '/api/jobs', { ...HOME_A, radiusKm: 0.1 })).toEqual([]);
      const own = await list(owner, '/api/jobs', { ...HOME_A, radiusKm: 0.1, mine: true });
      expect(own.map((job) => [job.id, job.distanceKm, job.location])).toEqual([
        [jobA.id, 0, HOME_A],
      ]);
    });
  });

  describe('GET /users/recommendations', () => {
    it('should score and place two craftsmen of one grid cell alike, with the distance in 0.5 km steps', async () => {
      const admin = await loginAsAdmin(t);
      const a = await craftsmanAt(HOME_A, admin);
      const b = await craftsmanAt(HOME_B, admin);
      const client = await newClient(t);

      for (const point of SEARCH_POINTS) {
        // the client moves his job and asks again
        const job = await postJob(t, client, { category: 'Plumbing', location: point });
        const response = await t.http
          .get(`/api/users/recommendations?jobId=${job.id}`)
          .set(as(client))
          .expect(200);
        const items = response.body.data as Array<{
          craftsman: { id: string };
          score: number;
          reasons: { distanceKm: number };
        }>;
        const [ofA, ofB] = [a, b].map((session) =>
          items.find((item) => item.craftsman.id === session.user.id)!,
        );

        expect(ofA.reasons.distanceKm).toBe(ofB.reasons.distanceKm);
        expect(ofA.score).toBe(ofB.score);
        expect(isHalfKmStep(ofA.reasons.distanceKm)).toBe(true);
      }
    });
  });
});
