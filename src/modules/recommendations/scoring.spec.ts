import { parseWeights } from '../../config/recommendations.config.js';
import {
  availabilityScore,
  bayesianRating,
  compareRanked,
  distanceScore,
  median,
  NO_ACTIVITY,
  performanceScore,
  type Ranked,
  ratingScore,
  type ScoreParts,
  skillScore,
  Tier,
  weightedScore,
} from './scoring.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const WEIGHTS = parseWeights(
  'skill:0.25,distance:0.2,rating:0.25,performance:0.2,availability:0.1',
);

describe('recommendation scoring', () => {
  describe(skillScore.name, () => {
    it('should give nothing without the skill', () => {
      expect(skillScore(['Painting'], 'Plumbing')).toBe(0);
    });

    it('should favour the specialist over the jack of all trades', () => {
      expect(skillScore(['Plumbing'], 'Plumbing')).toBe(1);
      expect(skillScore(['Plumbing', 'Tiling'], 'Plumbing')).toBeCloseTo(0.8);
      expect(skillScore(['Plumbing', 'Tiling', 'Painting', 'Masonry'], 'Plumbing')).toBeCloseTo(
        0.7,
      );
    });
  });

  describe(distanceScore.name, () => {
    it('should fall from 1 at the door to 0 at the search radius', () => {
      expect(distanceScore(0, 30)).toBe(1);
      expect(distanceScore(15, 30)).toBeCloseTo(0.5);
      expect(distanceScore(30, 30)).toBe(0);
      expect(distanceScore(45, 30)).toBe(0);
    });

    it('should be neutral when a place is unknown', () => {
      expect(distanceScore(null, 30)).toBe(0.5);
    });
  });

  describe(bayesianRating.name, () => {
    it('should rank 200 reviews of 4.8 above a single 5-star review', () => {
      expect(bayesianRating(4.8, 200)).toBeGreaterThan(bayesianRating(5, 1));
      expect(bayesianRating(4.8, 200)).toBeCloseTo(4.74, 2);
      expect(bayesianRating(5, 1)).toBeCloseTo(3.64, 2);
    });

    it('should give a newcomer the prior, and tend to the true mean with many reviews', () => {
      expect(bayesianRating(0, 0)).toBe(3.5);
      expect(bayesianRating(4, 10_000)).toBeCloseTo(4, 2);
      expect(ratingScore(0, 0)).toBeCloseTo(0.7);
    });
  });

  describe(performanceScore.name, () => {
    it('should give a newcomer a middling score', () => {
      expect(performanceScore(NO_ACTIVITY)).toBeCloseTo(0.4 * 0 + 0.4 * 0.5 + 0.2 * 0.5);
    });

    it('should reward completed jobs, acceptance and quick answers', () => {
      const seasoned = {
        ...NO_ACTIVITY,
        completedJobs: 30,
        invitationsAccepted: 18,
        invitationsRejected: 2,
        recentResponseTimesMs: [600_000, 1_200_000, 1_800_000],
      };
      const slowAndPicky = {
        ...NO_ACTIVITY,
        completedJobs: 30,
        invitationsAccepted: 2,
        invitationsRejected: 18,
        recentResponseTimesMs: [3 * 86_400_000],
      };

      expect(performanceScore(seasoned)).toBeGreaterThan(0.9);
      expect(performanceScore(seasoned)).toBeGreaterThan(performanceScore(slowAndPicky));
      expect(performanceScore(slowAndPicky)).toBeGreaterThan(performanceScore(NO_ACTIVITY));
    });
  });

  describe(median.name, () => {
    it('should take the middle value, or the mean of the two middle ones', () => {
      expect(median([])).toBeNull();
      expect(median([5, 1, 3])).toBe(3);
      expect(median([4, 1, 3, 2])).toBe(2.5);
    });
  });

  describe(availabilityScore.name, () => {
    it('should be 0 for an unavailable craftsman, 0.5 after a recent busy rejection, else 1', () => {
      expect(availabilityScore(false, null, NOW)).toBe(0);
      expect(availabilityScore(true, daysAgo(3), NOW)).toBe(0.5);
      expect(availabilityScore(true, daysAgo(20), NOW)).toBe(1);
      expect(availabilityScore(true, null, NOW)).toBe(1);
    });
  });

  describe(weightedScore.name, () => {
    it('should be the weighted sum of the parts, 1 when every part is 1', () => {
      const all: ScoreParts = { skill: 1, distance: 1, rating: 1, performance: 1, availability: 1 };

      expect(weightedScore(all, WEIGHTS)).toBeCloseTo(1);
      expect(weightedScore({ ...all, distance: 0 }, WEIGHTS)).toBeCloseTo(0.8);
    });

    it('should normalize the configured weights', () => {
      expect(parseWeights('skill:2,distance:2')).toEqual({
        skill: 0.5,
        distance: 0.5,
        rating: 0,
        performance: 0,
        availability: 0,
      });
    });
  });

  describe('ordering of hand-made cases', () => {
    const parts = (overrides: Partial<ScoreParts>): ScoreParts => ({
      skill: 1,
      distance: 0.8,
      rating: ratingScore(4.5, 40),
      performance: 0.6,
      availability: 1,
      ...overrides,
    });
    const ranked = (id: string, tier: Tier, p: ScoreParts): Ranked => ({
      id,
      tier,
      score: weightedScore(p, WEIGHTS),
    });

    it('should put the close, well-reviewed, available specialist first and the unavailable last', () => {
      const candidates = [
        ranked('far', Tier.Available, parts({ distance: 0.1 })),
        ranked(
          'unavailable-but-perfect',
          Tier.Unavailable,
          parts({ distance: 1, availability: 0 }),
        ),
        ranked(
          'near-star',
          Tier.Available,
          parts({ distance: 0.95, rating: ratingScore(4.9, 150) }),
        ),
        ranked('one-review-wonder', Tier.Available, parts({ rating: ratingScore(5, 1) })),
        ranked('held-back', Tier.HeldBack, parts({ distance: 1 })),
      ];

      const order = [...candidates].sort(compareRanked).map((candidate) => candidate.id);

      expect(order).toEqual([
        'near-star',
        'one-review-wonder',
        'far',
        'held-back',
        'unavailable-but-perfect',
      ]);
    });

    it('should break ties by id, so that pages are stable', () => {
      const same = parts({});

      expect(
        [ranked('b', Tier.Available, same), ranked('a', Tier.Available, same)]
          .sort(compareRanked)
          .map((c) => c.id),
      ).toEqual(['a', 'b']);
    });
  });
});
