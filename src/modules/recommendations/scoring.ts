import type { ScorePart } from '../../config/recommendations.config.js';

/**
 * The recommender's score, part by part, each 0..1 (DESIGN.md "Recommendations"):
 *
 * - skill: the job's category is one of his skills (every candidate), more for a specialist:
 *   0.6 + 0.4 / number of skills.
 * - distance: 1 at the job's door, 0 at the search radius; 0.5 when either place is unknown.
 * - rating: the Bayesian average of his reviews (RATING_PRIOR_MEAN weighted as RATING_PRIOR_COUNT
 *   reviews), over 5: one 5-star review does not beat two hundred of 4.8.
 * - performance: 40 % completed jobs (1 − e^(−jobs/10)), 40 % invitation acceptance rate
 *   (smoothed: (accepted + 1) / (answered + 2)), 20 % median response time (1 / (1 + hours/24)).
 * - availability: 0 when he says he is unavailable, 0.5 after a "busy" rejection in the last 14
 *   days, else 1.
 *
 * The score is the weighted sum (weights from RECOMMEND_WEIGHTS). Ranking goes by tier first:
 * available craftsmen, then those held back by the fairness cap, then the unavailable (rule 10).
 */
export const RATING_PRIOR_MEAN = 3.5;
export const RATING_PRIOR_COUNT = 10;
export const BUSY_MEMORY_DAYS = 14;

export type ScoreParts = Record<ScorePart, number>;

export interface CraftsmanActivity {
  invitationsAccepted: number;
  invitationsRejected: number;
  completedJobs: number;
  recentResponseTimesMs: number[];
  lastBusyRejectionAt: Date | null;
}

export const NO_ACTIVITY: CraftsmanActivity = {
  invitationsAccepted: 0,
  invitationsRejected: 0,
  completedJobs: 0,
  recentResponseTimesMs: [],
  lastBusyRejectionAt: null,
};

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

export function skillScore(skills: string[], category: string): number {
  return skills.includes(category) ? 0.6 + 0.4 / skills.length : 0;
}

export function distanceScore(distanceKm: number | null, radiusKm: number): number {
  return distanceKm === null ? 0.5 : clamp01(1 - distanceKm / radiusKm);
}

/** 0..5 */
export function bayesianRating(rating: number, ratingCount: number): number {
  return (
    (RATING_PRIOR_MEAN * RATING_PRIOR_COUNT + rating * ratingCount) /
    (RATING_PRIOR_COUNT + ratingCount)
  );
}

export function ratingScore(rating: number, ratingCount: number): number {
  return bayesianRating(rating, ratingCount) / 5;
}

export function median(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function performanceScore(activity: CraftsmanActivity): number {
  const completion = 1 - Math.exp(-activity.completedJobs / 10);
  const answered = activity.invitationsAccepted + activity.invitationsRejected;
  const acceptance = (activity.invitationsAccepted + 1) / (answered + 2);
  const medianMs = median(activity.recentResponseTimesMs);
  const responsiveness = medianMs === null ? 0.5 : 1 / (1 + medianMs / 3_600_000 / 24);
  return clamp01(0.4 * completion + 0.4 * acceptance + 0.2 * responsiveness);
}

export function availabilityScore(
  available: boolean,
  lastBusyRejectionAt: Date | null,
  now: Date,
): number {
  if (!available) {
    return 0;
  }
  const recentlyBusy =
    lastBusyRejectionAt !== null &&
    now.getTime() - lastBusyRejectionAt.getTime() < BUSY_MEMORY_DAYS * 86_400_000;
  return recentlyBusy ? 0.5 : 1;
}

export function weightedScore(parts: ScoreParts, weights: Record<ScorePart, number>): number {
  return (Object.keys(weights) as ScorePart[]).reduce(
    (sum, part) => sum + weights[part] * parts[part],
    0,
  );
}

export enum Tier {
  Available = 0,
  HeldBack = 1,
  Unavailable = 2,
}

export interface Ranked {
  id: string;
  tier: Tier;
  score: number;
}

/** Tier first, then the score, then the id (stable). */
export function compareRanked(a: Ranked, b: Ranked): number {
  return a.tier - b.tier || b.score - a.score || a.id.localeCompare(b.id);
}
