import type { RateLimit } from './auth.config.js';
import type { ValidatedEnv } from './env.validation.js';
import { type FilesVariables, StorageDriverName } from './files.env.js';

/** The S3-compatible store's settings (`S3_*`); path-style addressing for non-AWS stores. */
export interface S3StorageConfig {
  /** Unset: AWS's own endpoint for `region`. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** Cloudinary's account, from `cloudinary://<apiKey>:<apiSecret>@<cloudName>`. */
export interface CloudinaryStorageConfig {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /** Cloudinary's API base URL (tests: a fake on 127.0.0.1). */
  apiUrl: string;
}

/** Files settings (API.md "Files", DESIGN.md "Files and private data"). */
export interface FilesConfig {
  driver: StorageDriverName;
  /** The local driver's directory: `<DATA_DIR>/uploads`. */
  localDir: string;
  /** Largest upload, bytes. */
  maxBytes: number;
  /** Most pixels an image may declare before it is decoded. */
  maxPixels: number;
  /** An upload nothing points at is deleted once it is this old, ms. */
  orphanAfterMs: number;
  /** `POST /uploads` per user. */
  uploadsPerUser: RateLimit;
  /** Uploads processed at once; more wait (with their bodies read). */
  concurrency: number;
  /** The time a client has to send an upload's body, ms. */
  readTimeoutMs: number;
  /** Set when `driver` is `s3`. */
  s3?: S3StorageConfig;
  /** Set when `driver` is `cloudinary`. */
  cloudinary?: CloudinaryStorageConfig;
}

/** Privacy and contact settings (API.md "Privacy and contact"). */
export interface PrivacyConfig {
  /** From a deletion request to the anonymisation, ms. */
  deletionGraceMs: number;
  supportEmail: string;
  contactPerIp: RateLimit;
  contactPerEmail: RateLimit;
}

export const DEFAULT_CLOUDINARY_API_URL = 'https://api.cloudinary.com';

/** `cloudinary://key:secret@cloud` → its parts; undefined when it isn't of that form. */
export function parseCloudinaryUrl(
  value: string,
  apiUrl = DEFAULT_CLOUDINARY_API_URL,
): CloudinaryStorageConfig | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'cloudinary:' || !url.username || !url.password || !url.hostname) {
    return undefined;
  }
  return {
    cloudName: url.hostname,
    apiKey: decodeURIComponent(url.username),
    apiSecret: decodeURIComponent(url.password),
    apiUrl,
  };
}

/** Why the storage variables can't work together; empty when they can. */
export function storageProblems(env: FilesVariables): string[] {
  switch (env.STORAGE_DRIVER) {
    case StorageDriverName.Local:
      return [];
    case StorageDriverName.S3:
      return env.S3_BUCKET ? [] : ['STORAGE_DRIVER=s3 needs S3_BUCKET'];
    case StorageDriverName.Cloudinary:
      return env.CLOUDINARY_URL && parseCloudinaryUrl(env.CLOUDINARY_URL)
        ? []
        : [
            'STORAGE_DRIVER=cloudinary needs CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>',
          ];
  }
}

export function filesConfigFromEnv(env: ValidatedEnv): FilesConfig {
  return {
    driver: env.STORAGE_DRIVER,
    localDir: `${env.DATA_DIR}/uploads`,
    maxBytes: env.UPLOAD_MAX_BYTES,
    maxPixels: env.UPLOAD_MAX_PIXELS,
    orphanAfterMs: env.timeSpans.UPLOAD_ORPHAN_AFTER,
    uploadsPerUser: { points: env.UPLOAD_RATE_LIMIT_PER_USER, windowSeconds: 3600 },
    concurrency: env.UPLOAD_CONCURRENCY,
    readTimeoutMs: env.timeSpans.UPLOAD_READ_TIMEOUT,
    s3: env.S3_BUCKET
      ? {
          endpoint: env.S3_ENDPOINT,
          region: env.S3_REGION,
          bucket: env.S3_BUCKET,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        }
      : undefined,
    cloudinary: env.CLOUDINARY_URL
      ? parseCloudinaryUrl(env.CLOUDINARY_URL, env.CLOUDINARY_API_URL ?? DEFAULT_CLOUDINARY_API_URL)
      : undefined,
  };
}

export function privacyConfigFromEnv(env: ValidatedEnv): PrivacyConfig {
  const windowSeconds = Math.round(env.timeSpans.CONTACT_RATE_LIMIT_WINDOW / 1000);
  return {
    deletionGraceMs: env.timeSpans.DELETION_GRACE,
    supportEmail: env.SUPPORT_EMAIL,
    contactPerIp: { points: env.CONTACT_RATE_LIMIT_PER_IP, windowSeconds },
    contactPerEmail: { points: env.CONTACT_RATE_LIMIT_PER_EMAIL, windowSeconds },
  };
}
