import { createHash } from 'node:crypto';
import type { ActivityEntryEntity } from './schemas/activity-entry.schema.js';

/** The `prevHash` of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything it records, and its place in the chain. */
export type ChainedContent = Pick<
  ActivityEntryEntity,
  'id' | 'seq' | 'key' | 'actor' | 'action' | 'target' | 'details' | 'ip' | 'createdAt'
>;

/**
 * JSON with the keys of every object sorted, dates as ISO-8601 strings and no `undefined`
 * members: the same content gives the same text whatever order the database hands its fields
 * back in.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * An entry's hash: sha256 (hex) of the previous entry's hash, a newline, and the canonical JSON
 * of the entry's content. Changing any recorded field, the order, or dropping an entry changes
 * every hash from there on.
 */
export function entryHash(prevHash: string, content: ChainedContent): string {
  const { id, seq, key, actor, action, target, details, ip, createdAt } = content;
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson({ id, seq, key, actor, action, target, details, ip, createdAt }))
    .digest('hex');
}

/**
 * `details` as plain JSON (dates become ISO strings, `undefined` members go): stored as such,
 * it reads back exactly as it was hashed.
 */
export function plainDetails(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
}
