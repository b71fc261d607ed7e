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

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof mongo.MongoServerError && error.code === 11000;
}
