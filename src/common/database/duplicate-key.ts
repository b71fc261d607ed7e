import { mongo } from 'mongoose';

/**
 * For an E11000 error, the first field of the unique index that refused the write; `undefined`
 * for any other error. MongoDB names the index in `keyPattern`; mongo-java-server only in the
 * message ("index: email_1 dup key").
 */
export function duplicateKeyField(error: unknown): string | undefined {
  if (!(error instanceof mongo.MongoServerError) || error.code !== 11000) {
    return undefined;
  }
  const keyPattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern;
  if (keyPattern && Object.keys(keyPattern).length > 0) {
    return Object.keys(keyPattern)[0];
  }
  const indexName = /index: ([^\s]+)/.exec(error.message)?.[1];
  return indexName?.replace(/_-?1(_.*)?$/, '');
}

/**
 * For an E11000 error, the name of the unique index that refused the write (`phoneKey_1`), for a
 * log line: the error's message also quotes the duplicate value (an email, a phone), which must
 * not be logged. `undefined` for any other error or when the index is not named.
 */
export function duplicateKeyIndex(error: unknown): string | undefined {
  if (!isDuplicateKeyError(error)) {
    return undefined;
  }
  const keyPattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern;
  return (
    /index: ([^\s]+)/.exec((error as Error).message)?.[1] ??
    (keyPattern ? Object.keys(keyPattern).join('_') : undefined)
  );
}

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof mongo.MongoServerError && error.code === 11000;
}
