import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  type CreateBucketCommandInput,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { OnModuleDestroy } from '@nestjs/common';
import { StorageDriverName } from '../../../config/files.env.js';
import type { S3StorageConfig } from '../../../config/files.config.js';
import {
  type StorageDriver,
  StorageObjectNotFound,
  type StoragePutOptions,
  StorageVisibility,
} from './storage-driver.js';

/**
 * Objects in one bucket of an S3-compatible store (AWS S3, MinIO, Ceph, S3Mock…), under their
 * key as is. With an `endpoint` the client addresses buckets by path (`<endpoint>/<bucket>/<key>`),
 * which every non-AWS store serves, and only computes or checks checksums where the operation
 * requires them (`WHEN_REQUIRED`): the SDK's default CRC32 trailers since 3.729 are refused by
 * many of those stores. Credentials are the configured key pair, or else the SDK's default chain
 * (environment, instance role…).
 *
 * Every object is stored private (no ACL is sent): `publicUrl` of a public key is the object's
 * plain URL, which answers only if the bucket's policy lets anyone `s3:GetObject` on
 * `arn:aws:s3:::<bucket>/public/*`. That policy is set once on the bucket by its operator; it is
 * simpler and more portable than per-object ACLs, which AWS disables by default (Object
 * Ownership "bucket owner enforced") and several stores don't implement.
 */
export class S3StorageDriver implements StorageDriver, OnModuleDestroy {
  readonly name = StorageDriverName.S3;
  private readonly client: S3Client;

  constructor(private readonly config: S3StorageConfig) {
    const { accessKeyId, secretAccessKey } = config;
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /**
   * Creates the bucket unless it exists (HeadBucket, then CreateBucket; a bucket created
   * meanwhile by another instance is fine). Called once at boot by the provider.
   *
   * @returns whether this call created it
   * @throws S3ServiceException when the bucket exists but is not ours, or the store refuses
   */
  async ensureBucket(): Promise<boolean> {
    const Bucket = this.config.bucket;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket }));
      return false;
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
    }
    const input: CreateBucketCommandInput = { Bucket };
    // us-east-1 is the default location, and AWS refuses it named as a constraint
    if (this.config.region !== 'us-east-1') {
      input.CreateBucketConfiguration = {
        LocationConstraint: this.config.region as BucketLocationConstraint,
      };
    }
    try {
      await this.client.send(new CreateBucketCommand(input));
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'BucketAlreadyOwnedByYou') {
        return false;
      }
      throw error;
    }
  }

  async put(key: string, body: Buffer, options: StoragePutOptions): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        ContentLength: body.length,
      }),
    );
  }

  /** @throws StorageObjectNotFound for NoSuchKey / 404; the SDK's error otherwise */
  async get(key: string): Promise<Buffer> {
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      if (!Body) {
        throw new Error(`S3 answered GetObject ${key} without a body`);
      }
      const bytes = await Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (isNotFound(error)) {
        throw new StorageObjectNotFound(key);
      }
      throw error;
    }
  }

  /** S3's DeleteObject already answers 204 for a missing key; a 404 from a store is fine too. */
  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
    }
  }

  /**
   * `<endpoint>/<bucket>/<key>` (path style) with an endpoint, else AWS's virtual-hosted URL
   * `https://<bucket>.s3.<region>.amazonaws.com/<key>`; null for a private object. Readable by
   * anyone only under the bucket policy described on the class.
   */
  publicUrl(key: string, visibility: StorageVisibility): string | null {
    if (visibility !== StorageVisibility.Public) {
      return null;
    }
    const path = key.split('/').map(encodeURIComponent).join('/');
    const { endpoint, bucket, region } = this.config;
    if (endpoint) {
      return `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}/${path}`;
    }
    return `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
  }

  /** Where the driver stores, without credentials, for the boot log. */
  describe(): string {
    const { endpoint, bucket, region } = this.config;
    return `bucket ${bucket} at ${endpoint ?? `AWS S3 (${region})`}`;
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }
}

/**
 * A 404 answer: NoSuchKey, or HeadBucket's bodiless `NotFound`. A missing bucket (NoSuchBucket)
 * is not a missing object: it stays an error, so a misconfigured store isn't read as empty.
 */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException) || error.name === 'NoSuchBucket') {
    return false;
  }
  return error.name === 'NoSuchKey' || error.$metadata?.httpStatusCode === 404;
}
