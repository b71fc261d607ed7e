import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { toNumber } from './env-transforms.js';
import { TrustVariables } from './trust.env.js';

/** Where uploaded files are kept (DESIGN.md "Files and private data"). */
export enum StorageDriverName {
  /** Files under `DATA_DIR/uploads`; public images served by the app itself. */
  Local = 'local',
  /** Any S3-compatible store (`S3_*`). */
  S3 = 's3',
  /** Cloudinary (`CLOUDINARY_URL`). */
  Cloudinary = 'cloudinary',
}

/**
 * The environment variables of files, private data and the contact form (API.md "Files",
 * "Privacy and contact"). `EnvironmentVariables` extends this class (which extends trust's).
 */
export class FilesVariables extends TrustVariables {
  /** Which storage driver keeps uploads. */
  @IsEnum(StorageDriverName)
  STORAGE_DRIVER: StorageDriverName = StorageDriverName.Local;

  /** Largest file `POST /uploads` accepts, in bytes (bigger: 413 FILE_TOO_LARGE); the seed's 5 MB. */
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  @Transform(toNumber)
  UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

  /**
   * Most pixels (width × height) an uploaded image may declare before it is decoded (bigger:
   * 413 IMAGE_TOO_LARGE): a 20,000×20,000 PNG of a few KB would otherwise take 1.6 GB to decode.
   */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  UPLOAD_MAX_PIXELS = 40_000_000;

  /**
   * Uploads processed (decoded, resized, encrypted, stored) at once by this process; more wait
   * their turn, their bodies read. Each costs about 2.5× its size in memory while it is
   * processed (bench/RESULTS.md).
   */
  @IsInt()
  @Min(1)
  @Max(64)
  @Transform(toNumber)
  UPLOAD_CONCURRENCY = 4;

  /**
   * How long a client has to send an upload's whole body; a connection still sending after it
   * is closed, so that a stalled or trickling sender holds nothing for long (ISO-8601).
   */
  @IsString()
  UPLOAD_READ_TIMEOUT = 'PT30S';

  /** `POST /uploads`: files per user per hour (then 429), so nobody fills the disk. */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  UPLOAD_RATE_LIMIT_PER_USER = 60;

  /** An upload nothing points at is deleted once it is this old (ISO-8601). */
  @IsString()
  UPLOAD_ORPHAN_AFTER = 'PT1H';

  /** S3-compatible endpoint, e.g. `http://127.0.0.1:9090`; unset: AWS's own for S3_REGION. */
  @IsOptional()
  @IsString()
  S3_ENDPOINT?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  S3_BUCKET?: string;

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  /** `cloudinary://<api_key>:<api_secret>@<cloud_name>` (Cloudinary's own form). */
  @IsOptional()
  @IsString()
  CLOUDINARY_URL?: string;

  /**
   * Cloudinary's API base URL; only tests change it (to a fake on 127.0.0.1).
   * Default: `https://api.cloudinary.com`.
   */
  @IsOptional()
  @IsString()
  CLOUDINARY_API_URL?: string;

  /**
   * The key ring of private data at rest (verification documents, dispute evidence): comma-separated
   * `<keyId>:<base64 of 32 bytes>`, the newest first; new files use the first, older keys still
   * decrypt. Unset outside production: one is generated under DATA_DIR. Required in production.
   */
  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEY?: string;

  /** From `POST /users/me/deletion` to the anonymisation (`scheduledFor`), ISO-8601. */
  @IsString()
  DELETION_GRACE = 'P14D';

  /** Where `POST /send-email` messages go. */
  @IsEmail()
  SUPPORT_EMAIL = 'support@craftsmen.local';

  /** `POST /send-email`: messages per client IP per CONTACT_RATE_LIMIT_WINDOW (then 429). */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  CONTACT_RATE_LIMIT_PER_IP = 5;

  /** `POST /send-email`: messages per sender address per CONTACT_RATE_LIMIT_WINDOW (then 429). */
  @IsInt()
  @Min(1)
  @Transform(toNumber)
  CONTACT_RATE_LIMIT_PER_EMAIL = 3;

  /** The window of both contact limits (ISO-8601). */
  @IsString()
  CONTACT_RATE_LIMIT_WINDOW = 'PT1H';
}
