import { mongo, type SortOrder, Types } from 'mongoose';
import { CommonErrors, type DomainError } from '../errors/domain.error.js';
import type { SortSpec } from './base.repository.js';

/**
 * Keyset ("cursor") pagination: `?after=<nextCursor>` continues a list right after the last
 * item of the previous page, with a range condition on the sort keys instead of a skip, so
 * page 1,000 costs what page 1 costs (on MongoDB, an index scan that starts where the last
 * page stopped).
 *
 * A cursor is opaque to clients: base64url of the sort-key values of the last item (in
 * relaxed MongoDB Extended JSON, so dates and ObjectIds come back as themselves) and how many items
 * came before the next one (to report `page`).
 */
export interface Cursor {
  /** The sort-key values of the last item already seen, in the sort's key order. */
  values: unknown[];
  /** How many items came before the next one. */
  offset: number;
}

export const MAX_CURSOR_LENGTH = 512;
const MAX_OFFSET = 10_000_000;

export function encodeCursor(cursor: Cursor): string {
  const json = mongo.BSON.EJSON.stringify(
    { v: cursor.values, n: cursor.offset },
    { relaxed: false },
  );
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** 400 VALIDATION_FAILED on `after`: not the nextCursor of a page of this list. */
export function invalidCursor(): DomainError {
  return CommonErrors.validation(
    [{ field: 'after', message: 'after must be the nextCursor of an earlier page of this list' }],
    'Invalid cursor',
  );
}

/** The cursor a client sent back, checked against the list's sort; 400 when it is not one. */
export function decodeCursor(text: string, sort: SortSpec): Cursor {
  const invalid = invalidCursor;
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = mongo.BSON.EJSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { v: values, n: offset } = (parsed ?? {}) as { v?: unknown; n?: unknown };
  if (
    !Array.isArray(values) ||
    values.length !== Object.keys(sort).length ||
    !values.every(isKeyValue) ||
    typeof offset !== 'number' ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset > MAX_OFFSET
  ) {
    throw invalid();
  }
  return { values, offset };
}

/** Only plain values: an object here could smuggle a query operator into the range condition. */
function isKeyValue(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date ||
    value instanceof Types.ObjectId
  );
}

/** The cursor that continues after `document`, the last item of a page. */
export function cursorAfter(document: unknown, sort: SortSpec, offset: number): string {
  const values = Object.keys(sort).map((path) => valueAt(document, path));
  return encodeCursor({ values: values.map(asKeyValue), offset });
}

/**
 * The items strictly after the cursor in this sort order:
 * `k1 beyond v1  or  (k1 = v1 and k2 beyond v2)  or …`.
 */
export function afterCondition(sort: SortSpec, values: unknown[]): Record<string, unknown> {
  const keys = Object.keys(sort);
  const branches = keys.map((key, i) => {
    const branch: Record<string, unknown> = {};
    keys.slice(0, i).forEach((equalKey, j) => {
      branch[equalKey] = values[j];
    });
    branch[key] = { [isDescending(sort[key]) ? '$lt' : '$gt']: values[i] };
    return branch;
  });
  return { $or: branches };
}

function isDescending(order: SortOrder): boolean {
  return order === -1 || order === 'desc' || order === 'descending';
}

function valueAt(document: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], document);
}

function asKeyValue(value: unknown): unknown {
  return value === undefined ? null : value;
}
