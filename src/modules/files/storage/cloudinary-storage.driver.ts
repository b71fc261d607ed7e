import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { OnModuleDestroy } from '@nestjs/common';
import { type ConfigAndUrlOptions, type UploadApiResponse, v2 as cloudinary } from 'cloudinary';
import { StorageDriverName } from '../../../config/files.env.js';
import type { CloudinaryStorageConfig } from '../../../config/files.config.js';
import {
  type StorageDriver,
  StorageObjectNotFound,
  type StoragePutOptions,
  StorageVisibility,
} from './storage-driver.js';

/** Extensions of public keys Cloudinary stores as `image` assets; anything else is `raw`. */
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp']);

/** How long a download may take before `get` gives up, ms (a 5 MB file, a slow link). */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** Cloudinary's "delivery type": who may fetch the original by URL. */
type DeliveryType = 'upload' | 'authenticated';

/** How Cloudinary names one of our keys (https://cloudinary.com/documentation/upload_parameters). */
interface CloudinaryAsset {
  resourceType: 'image' | 'raw';
  type: DeliveryType;
  /** Images: the key without its extension; raw: the whole key. */
  publicId: string;
  /** Images: the key's extension, the format delivered; raw: undefined. */
  format?: string;
}

/** What the SDK rejects with: a plain object (`{ message, http_code }`), not an Error. */
interface CloudinaryFailure {
  message?: string;
  http_code?: number;
  error?: { message?: string; http_code?: number };
}

/**
 * Objects in a Cloudinary account (the `cloudinary` v2 SDK). Keys begin with their visibility
 * (`public/job_photo/<id>.webp`, `private/verification_doc/<id>.pdf`), and Cloudinary names an
 * asset by (resource type, delivery type, public id), so all three are derived from the key:
 * - public images (`jpg jpeg png gif webp`) are `image` assets with the key without its
 *   extension as public id (Cloudinary keeps the format apart); every other object is a `raw`
 *   asset with the whole key as public id: private objects always, since their bytes are
 *   encrypted envelopes that Cloudinary would refuse as images whatever the key's extension;
 * - public keys are `upload` assets (anyone may fetch them at `publicUrl`), private keys
 *   `authenticated` ones (no URL works without a signature).
 * `get` downloads the original through the signed download API (`private_download_url`) for
 * both, so it sees an overwrite or a delete at once instead of a CDN's cached copy.
 *
 * The account is passed on every call instead of the SDK's global `cloudinary.config`, and so is
 * `config.apiUrl` (`upload_prefix`): tests point the driver at a fake on 127.0.0.1. The SDK picks
 * its HTTP module once, from the global config, so each call also gets an agent of the API URL's
 * protocol; for an API host outside cloudinary.com, delivery URLs use that host too.
 *
 * @throws Error from `put` when the key's visibility prefix and `options.visibility` disagree
 */
export class CloudinaryStorageDriver implements StorageDriver, OnModuleDestroy {
  readonly name = StorageDriverName.Cloudinary;
  private readonly agent: HttpAgent;
  private readonly delivery: ConfigAndUrlOptions;

  constructor(private readonly config: CloudinaryStorageConfig) {
    const apiUrl = new URL(config.apiUrl);
    this.agent =
      apiUrl.protocol === 'http:'
        ? new HttpAgent({ keepAlive: true })
        : new HttpsAgent({ keepAlive: true });
    this.delivery = deliveryHost(apiUrl);
  }

  async put(key: string, body: Buffer, options: StoragePutOptions): Promise<void> {
    const asset = assetOf(key);
    if (asset.type !== deliveryTypeOf(options.visibility)) {
      throw new Error(
        `Storage key ${key} does not begin with its visibility (${options.visibility}/)`,
      );
    }
    await new Promise<UploadApiResponse>((resolve, reject) => {
      const upload = cloudinary.uploader.upload_stream(
        {
          ...this.account(),
          resource_type: asset.resourceType,
          type: asset.type,
          public_id: asset.publicId,
          overwrite: true,
          invalidate: true,
        },
        (error, result) => {
          if (error || !result) {
            reject(failure('upload', key, error));
          } else {
            resolve(result);
          }
        },
      );
      upload.on('error', (error: unknown) => reject(failure('upload', key, error)));
      upload.end(body);
    });
  }

  /** @throws StorageObjectNotFound when the download API answers 404; Error otherwise */
  async get(key: string): Promise<Buffer> {
    const asset = assetOf(key);
    const url = cloudinary.utils.private_download_url(asset.publicId, asset.format ?? '', {
      ...this.account(),
      resource_type: asset.resourceType,
      type: asset.type,
    });
    const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new StorageObjectNotFound(key);
    }
    if (!response.ok) {
      const text = await response.text();
      throw new Error(`Cloudinary download of ${key} failed: HTTP ${response.status} ${text}`);
    }
    return Buffer.from(await response.arrayBuffer());
  }

  /** Cloudinary answers `{ result: 'not found' }` (not an error) for a missing asset. */
  async delete(key: string): Promise<void> {
    const asset = assetOf(key);
    try {
      await cloudinary.uploader.destroy(asset.publicId, {
        ...this.account(),
        resource_type: asset.resourceType,
        type: asset.type,
        invalidate: true,
      });
    } catch (error) {
      throw failure('destroy', key, error);
    }
  }

  /**
   * The delivery URL the SDK builds (`cloudinary.url`), e.g.
   * `https://res.cloudinary.com/<cloud>/image/upload/v1/public/job_photo/<id>.webp`; null for a
   * private object. `v1` is the SDK's default version for public ids with folders (it tells them
   * apart from transformations); our keys are never reused, so no other version is needed.
   */
  publicUrl(key: string, visibility: StorageVisibility): string | null {
    if (visibility !== StorageVisibility.Public) {
      return null;
    }
    const asset = assetOf(key);
    return cloudinary.url(asset.publicId, {
      cloud_name: this.config.cloudName,
      resource_type: asset.resourceType,
      type: asset.type,
      format: asset.format,
      secure: true,
      urlAnalytics: false,
      ...this.delivery,
    });
  }

  /** The account, for the boot log (no secret). */
  describe(): string {
    return `cloud ${this.config.cloudName} via ${this.config.apiUrl}`;
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }

  /** The options every SDK call takes instead of the global config. */
  private account(): Record<string, unknown> {
    return {
      cloud_name: this.config.cloudName,
      api_key: this.config.apiKey,
      api_secret: this.config.apiSecret,
      upload_prefix: this.config.apiUrl.replace(/\/+$/, ''),
      agent: this.agent,
    };
  }
}

function deliveryTypeOf(visibility: StorageVisibility): DeliveryType {
  return visibility === StorageVisibility.Public ? 'upload' : 'authenticated';
}

/** @throws Error for a key that doesn't begin with `public/` or `private/` */
function assetOf(key: string): CloudinaryAsset {
  const visibility = key.startsWith('public/')
    ? StorageVisibility.Public
    : key.startsWith('private/')
      ? StorageVisibility.Private
      : undefined;
  if (!visibility) {
    throw new Error(`Storage key ${key} does not begin with public/ or private/`);
  }
  const type = deliveryTypeOf(visibility);
  const dot = key.lastIndexOf('.');
  const extension = dot > key.lastIndexOf('/') ? key.slice(dot + 1).toLowerCase() : '';
  if (visibility === StorageVisibility.Public && IMAGE_EXTENSIONS.has(extension)) {
    return { resourceType: 'image', type, publicId: key.slice(0, dot), format: extension };
  }
  return { resourceType: 'raw', type, publicId: key };
}

/**
 * Delivery URLs on `res.cloudinary.com` (the SDK's default) when the API is Cloudinary's own
 * (`api.cloudinary.com`, `api-eu.cloudinary.com`…); on the API's host otherwise (a fake, a proxy).
 */
function deliveryHost(apiUrl: URL): ConfigAndUrlOptions {
  if (apiUrl.hostname === 'cloudinary.com' || apiUrl.hostname.endsWith('.cloudinary.com')) {
    return {};
  }
  return apiUrl.protocol === 'http:'
    ? { secure: false, cname: apiUrl.host }
    : { secure: true, secure_distribution: apiUrl.host };
}

/** The SDK's rejection as an Error, with Cloudinary's message and HTTP status. */
function failure(action: string, key: string, error: unknown): Error {
  const found = (error ?? {}) as CloudinaryFailure;
  const detail = found.error ?? found;
  const status = detail.http_code === undefined ? '' : ` (HTTP ${detail.http_code})`;
  const message = detail.message ?? (error instanceof Error ? error.message : String(error));
  return new Error(`Cloudinary ${action} of ${key} failed${status}: ${message}`, { cause: error });
}
