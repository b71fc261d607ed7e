import type { StorageDriverName } from '../../../config/files.env.js';

/** Who may read a stored object without the API: anyone with its URL, or nobody. */
export enum StorageVisibility {
  /** Profile pictures, job photos, portfolio images: served at `publicUrl`. */
  Public = 'public',
  /** Verification documents, dispute evidence: only through `GET /uploads/:id/content`. */
  Private = 'private',
}

/** What `put` is told about the bytes. */
export interface StoragePutOptions {
  /** The type decided from the bytes, e.g. `image/webp`, `application/pdf`. */
  contentType: string;
  visibility: StorageVisibility;
}

/** Thrown by `get` when no object has that key. */
export class StorageObjectNotFound extends Error {
  constructor(readonly key: string) {
    super(`No stored object under ${key}`);
    this.name = 'StorageObjectNotFound';
  }
}

/**
 * The port every store implements (DESIGN.md "Files and private data"). Keys are
 * `<purpose>/<uploadId>.<ext>`: never reused, so a key's URL is versioned by construction and a
 * cache never shows an older file under it. The same conformance suite runs against every driver
 * (`test/support/storage-conformance.ts`).
 */
export interface StorageDriver {
  readonly name: StorageDriverName;
  /** Stores `body` under `key` (replacing what was there); resolves once it is durable. */
  put(key: string, body: Buffer, options: StoragePutOptions): Promise<void>;
  /** The bytes under `key`. @throws StorageObjectNotFound */
  get(key: string): Promise<Buffer>;
  /** Removes `key`; absent already is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Where anyone can fetch a public object: an absolute URL, or for the local driver a path
   * under `/api/files/` that the app serves. Private objects have none (null).
   */
  publicUrl(key: string, visibility: StorageVisibility): string | null;
}

/** The Nest token of the configured `StorageDriver`. */
export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');
