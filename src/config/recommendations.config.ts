import { EnvironmentVariables } from './env.validation.js';

export type ScorePart = 'skill' | 'distance' | 'rating' | 'performance' | 'availability';

export interface RecommendationsConfig {
  includeUnverified: boolean;
  maxPending: number;
  searchRadiusKm: number;
  maxCandidates: number;
  /** Normalized: they sum to 1. */
  weights: Record<ScorePart, number>;
}

export function parseWeights(text: string): Record<ScorePart, number> {
  const weights: Record<ScorePart, number> = {
    skill: 0,
    distance: 0,
    rating: 0,
    performance: 0,
    availability: 0,
  };
  for (const pair of text.split(',')) {
    const [name, value] = pair.split(':');
    weights[name as ScorePart] = Number(value);
  }
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) {
    throw new Error('RECOMMEND_WEIGHTS must not all be zero');
  }
  for (const part of Object.keys(weights) as ScorePart[]) {
    weights[part] /= total;
  }
  return weights;
}

export function recommendationsConfigFromEnv(env: EnvironmentVariables): RecommendationsConfig {
  return {
    includeUnverified: env.RECOMMEND_UNVERIFIED,
    maxPending: env.RECOMMEND_MAX_PENDING,
    searchRadiusKm: env.RECOMMEND_SEARCH_RADIUS_KM,
    maxCandidates: env.RECOMMEND_MAX_CANDIDATES,
    weights: parseWeights(env.RECOMMEND_WEIGHTS),
  };
}
