import type { ValidatedEnv } from './env.validation.js';

/** The operators' tools' settings (API.md "Operations"). */
export interface OperationsConfig {
  /** `GET /faq/ask`: the least relative score (0..1) an answer needs to be shown. */
  faqMinScore: number;
}

export function operationsConfigFromEnv(env: ValidatedEnv): OperationsConfig {
  return {
    faqMinScore: env.FAQ_MIN_SCORE,
  };
}
