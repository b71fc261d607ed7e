import { Types } from 'mongoose';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A lean MongoDB document as the API shows it: `_id` becomes `id` (a hex string), `__v` goes,
 * ObjectIds become hex strings, at every depth (populated references and embedded documents).
 */
export function toPlain<T>(value: unknown): T {
  return convert(value) as T;
}

function convert(value: unknown): unknown {
  if (value instanceof Types.ObjectId) {
    return value.toHexString();
  }
  if (Array.isArray(value)) {
    return value.map(convert);
  }
  if (!isPlainObject(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  if (value._id !== undefined) {
    out.id = convert(value._id);
  }
  for (const [key, field] of Object.entries(value)) {
    if (key === '_id' || key === '__v') {
      continue;
    }
    out[key] = convert(field);
  }
  return out;
}
