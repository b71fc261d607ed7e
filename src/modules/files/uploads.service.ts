import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Types } from 'mongoose';
import pLimit, { type LimitFunction } from 'p-limit';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CommonErrors } from '../../common/errors/domain.error.js';
import { Role, STAFF_ROLES } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { DataEncryption, EncryptionPurpose } from '../../common/crypto/data-encryption.service.js';
import type { AllConfig } from '../../config/config.js';
import type { FilesConfig } from '../../config/files.config.js';
import { FilesErrors } from './files.errors.js';
import {
  STORAGE_DRIVER,
  type StorageDriver,
  StorageObjectNotFound,
  StorageVisibility,
} from './storage/storage-driver.js';
import { extensionOf, processUpload } from './upload-content.js';
import { UploadsRepository } from './uploads.repository.js';
import { PRIVATE_PURPOSES, type UploadEntity, UploadPurpose } from './schemas/upload.schema.js';

/** Uploads one user may have on their way at once (an app sending a few photos in parallel). */
const IN_FLIGHT_PER_USER = 3;
/** The most uploads the data export lists. */
const EXPORT_LIMIT = 1000;
/** Uploads the sweep deletes per run. */
const SWEEP_BATCH = 200;

/** A private file's bytes as `GET /uploads/:id/content` serves them. */
export interface UploadContent {
  upload: UploadEntity;
  body: Buffer;
}

/** What a user's upload ids resolved to (jobs' photos, portfolio images, documents, evidence). */
export interface ResolvedUploads {
  uploads: UploadEntity[];
  /** Their public URLs, in the order asked (private purposes: none). */
  urls: string[];
}

/**
 * A list of images as a job or portfolio keeps it: entries that are upload ids replaced by their
 * URLs, the ids kept beside, and what changed since the list it replaces.
 */
export interface ImageList {
  /** What the API shows: the upload's URL for an id, the entry itself for a URL. */
  urls: string[];
  /** The uploads behind `urls` (to release them when they leave the list). */
  uploadIds: string[];
  /** Uploads new to the list: attach them (`attach`) before writing the list. */
  added: UploadEntity[];
  /** Uploads that left the list: release them (`release`) after writing it. */
  removed: string[];
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * A URL of one of our public uploads, whatever the store (`/api/files/public/job_photo/<id>.png`,
 * `<s3>/<bucket>/public/job_photo/<id>.png`, Cloudinary's `.../upload/public/job_photo/<id>`):
 * its upload id, so that the URL is checked as the id would be (owner, purpose, not deleted).
 */
const OUR_PUBLIC_URL = /\/public\/[a-z_]+\/([0-9a-f]{24})(?:\.[a-z]{3,4})?(?:[?#].*)?$/;

/** The upload id an image reference names: an id itself, or a URL of one of our uploads. */
export function uploadIdOf(reference: string): string | undefined {
  return OBJECT_ID.test(reference) ? reference : OUR_PUBLIC_URL.exec(reference)?.[1];
}

/**
 * Uploads (API.md "Files"): stores a user's file after deciding its type from its bytes and
 * processing it, keeps private ones encrypted, answers who may read what, and deletes what
 * nothing points at any more.
 */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);
  private readonly config: FilesConfig;
  private readonly slots: LimitFunction;
  /** Uploads of each user on their way (being read or processed) in this process. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly uploads: UploadsRepository,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly encryption: DataEncryption,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('files', { infer: true });
    this.slots = pLimit(this.config.concurrency);
  }

  /**
   * Receives an upload of `userId`'s: `read` its body (outside the slots, so a slow sender
   * holds none: UPLOAD_READ_TIMEOUT ends it), then `process` it when one of UPLOAD_CONCURRENCY
   * slots is free, so the memory decoding and encryption take is bounded by the slots. A user
   * has at most IN_FLIGHT_PER_USER uploads on their way at once in this process.
   *
   * @throws RATE_LIMITED (429) past that
   */
  async receive<F, T>(
    userId: string,
    read: () => Promise<F>,
    process: (form: F) => Promise<T>,
  ): Promise<T> {
    const count = this.inFlight.get(userId) ?? 0;
    if (count >= IN_FLIGHT_PER_USER) {
      throw CommonErrors.rateLimited('Too many uploads on their way at once: wait for one', {
        retryAfterSeconds: 1,
      });
    }
    this.inFlight.set(userId, count + 1);
    try {
      const form = await read();
      return await this.slots(() => process(form));
    } finally {
      const left = (this.inFlight.get(userId) ?? 1) - 1;
      if (left > 0) {
        this.inFlight.set(userId, left);
      } else {
        this.inFlight.delete(userId);
      }
    }
  }

  /**
   * Stores `file` for `purpose`: the record first, then the bytes (so a crash leaves a record
   * the orphan sweep finds), and if storing fails the record goes too. The upload is pending
   * until something points at it (`attach`).
   *
   * @throws UNSUPPORTED_MEDIA_TYPE (415), IMAGE_TOO_LARGE (413): see `processUpload`
   */
  async upload(owner: string, purpose: UploadPurpose, file: Buffer): Promise<UploadEntity> {
    const content = await processUpload(purpose, file, this.config.maxPixels);
    const id = new Types.ObjectId();
    const isPrivate = PRIVATE_PURPOSES.has(purpose);
    const visibility = isPrivate ? StorageVisibility.Private : StorageVisibility.Public;
    const key = `${visibility}/${purpose}/${id.toHexString()}.${extensionOf(content.contentType)}`;
    const upload = await this.uploads.create({
      id,
      owner,
      purpose,
      key,
      contentType: content.contentType,
      size: content.body.length,
      width: content.width,
      height: content.height,
      encrypted: isPrivate,
      url: this.storage.publicUrl(key, visibility),
    });
    const stored = isPrivate
      ? this.encryption.seal(encryptionPurposeOf(purpose), content.body)
      : content.body;
    try {
      await this.storage.put(key, stored, { contentType: content.contentType, visibility });
    } catch (error) {
      await this.uploads.remove(upload.id);
      throw error;
    }
    this.logger.log(
      `Stored upload ${upload.id} (${purpose}, ${content.contentType}, ${content.body.length} bytes) for user ${owner}`,
    );
    return upload;
  }

  /**
   * The bytes of an upload, for its owner, staff (admins only for verification documents) and
   * its other readers (the other party of a dispute, for evidence); public files to anyone
   * signed in.
   *
   * @throws NOT_FOUND when it doesn't exist (or its bytes are gone); FORBIDDEN when the caller
   *   may not read it
   */
  async readContent(id: string, reader: AuthUser): Promise<UploadContent> {
    const upload = await this.uploads.findById(id);
    if (!upload || upload.releasedAt) {
      throw FilesErrors.notFound();
    }
    if (!mayRead(upload, reader)) {
      throw FilesErrors.notAllowedToRead();
    }
    let stored: Buffer;
    try {
      stored = await this.storage.get(upload.key);
    } catch (error) {
      if (error instanceof StorageObjectNotFound) {
        throw FilesErrors.notFound();
      }
      throw error;
    }
    const body = upload.encrypted
      ? this.encryption.open(encryptionPurposeOf(upload.purpose), stored)
      : stored;
    return { upload, body };
  }

  /**
   * A public object's bytes, by its key (the local store's `GET /files/public/...`).
   *
   * @throws NOT_FOUND when there is none
   */
  async readPublic(key: string): Promise<Buffer> {
    try {
      return await this.storage.get(key);
    } catch (error) {
      if (error instanceof StorageObjectNotFound) {
        throw FilesErrors.notFound();
      }
      throw error;
    }
  }

  /**
   * The uploads named by `ids`, checked for use as `purpose` by `owner` (in the order given,
   * duplicates removed). Already attached ones are accepted when `alreadyMine` holds them (a job
   * saved again with the photos it has).
   *
   * @throws NOT_FOUND (unknown or deleted), FORBIDDEN (someone else's), UPLOAD_PURPOSE_MISMATCH
   *   (400: a verification document as a job photo, say), UPLOAD_IN_USE (409: attached elsewhere)
   */
  async resolve(input: {
    owner: string;
    purpose: UploadPurpose;
    ids: string[];
    alreadyMine?: readonly string[];
  }): Promise<ResolvedUploads> {
    const ids = [...new Set(input.ids)];
    if (ids.length === 0) {
      return { uploads: [], urls: [] };
    }
    const found = new Map((await this.uploads.findByIds(ids)).map((u) => [u.id, u]));
    const uploads = ids.map((id) => {
      const upload = found.get(id);
      if (!upload || upload.releasedAt) {
        throw FilesErrors.notFound();
      }
      if (upload.owner !== input.owner) {
        throw FilesErrors.notYours();
      }
      if (upload.purpose !== input.purpose) {
        throw FilesErrors.purposeMismatch(id, input.purpose, upload.purpose);
      }
      if (upload.attachedAt && !input.alreadyMine?.includes(id)) {
        throw FilesErrors.inUse(id);
      }
      return upload;
    });
    return { uploads, urls: uploads.flatMap((upload) => (upload.url ? [upload.url] : [])) };
  }

  /**
   * A list of images from the API (`photos`, `portfolioImageUrls`): each entry an upload id of
   * the caller's (24 hex digits) or, for apps still sending them, a URL. A URL of one of our
   * uploads counts as its id: someone else's is refused, a deleted one is not found. `current` is the list
   * it replaces (its upload ids), so keeping a photo is not "using it elsewhere".
   *
   * @throws as `resolve`
   */
  async resolveImageList(input: {
    owner: string;
    purpose: UploadPurpose;
    entries: string[];
    current?: readonly string[];
  }): Promise<ImageList> {
    const current = input.current ?? [];
    // an app saving the list it was shown sends the URLs of the uploads it already has
    const idOfUrl = new Map<string, string>();
    if (current.length > 0) {
      for (const upload of await this.uploads.findByIds([...current])) {
        if (upload.url) {
          idOfUrl.set(upload.url, upload.id);
        }
      }
    }
    const entries = input.entries.map((entry) => idOfUrl.get(entry) ?? uploadIdOf(entry) ?? entry);
    const { uploads } = await this.resolve({
      owner: input.owner,
      purpose: input.purpose,
      ids: entries.filter((entry) => OBJECT_ID.test(entry)),
      alreadyMine: current,
    });
    const byId = new Map(uploads.map((upload) => [upload.id, upload]));
    return {
      urls: entries.map((entry) => byId.get(entry)?.url ?? entry),
      uploadIds: uploads.map((upload) => upload.id),
      added: uploads.filter((upload) => !current.includes(upload.id)),
      removed: current.filter((id) => !byId.has(id)),
    };
  }

  /**
   * Marks resolved uploads attached, one guarded write each (before the pointer to them is
   * committed: a crash in between leaves a file nothing shows, never a pointer to a deleted
   * file), adding `readers`. Answers how to take it back. When one was attached or released
   * meanwhile (a concurrent request), those this call attached are detached again first.
   *
   * @throws UPLOAD_IN_USE
   */
  async attach(input: {
    owner: string;
    uploads: UploadEntity[];
    readers?: string[];
  }): Promise<{ undo(): Promise<void> }> {
    const at = this.clock.now();
    const attached: string[] = [];
    const undo = () => this.uploads.detach(attached, at, input.readers);
    for (const upload of input.uploads.filter((candidate) => !candidate.attachedAt)) {
      const moved = await this.uploads.attachOne({
        id: upload.id,
        owner: input.owner,
        at,
        readers: input.readers,
      });
      if (!moved) {
        await undo();
        throw FilesErrors.inUse(upload.id);
      }
      attached.push(upload.id);
    }
    return { undo };
  }

  /**
   * `attach`, then `write` (the pointer to the uploads): when the write throws or answers null
   * (a guard refused it), the attachments are taken back, so the uploads stay usable (and are
   * swept if nothing ever points at them). Answers what `write` answered.
   */
  async attachWhile<T>(
    input: { owner: string; uploads: UploadEntity[]; readers?: string[] },
    write: () => Promise<T>,
  ): Promise<T> {
    const attachment = await this.attach(input);
    let written: T;
    try {
      written = await write();
    } catch (error) {
      await attachment.undo();
      throw error;
    }
    if (written === null) {
      await attachment.undo();
    }
    return written;
  }

  /** Marks uploads released (nothing points at them now); the sweep deletes them. */
  async release(ids: string[]): Promise<void> {
    await this.uploads.release(ids, this.clock.now());
  }

  /**
   * Deletes an upload now (its bytes, then its record): a replaced profile picture, or a new one
   * whose pointer couldn't be committed. A failure leaves it released, for the sweep.
   */
  async deleteNow(upload: UploadEntity): Promise<void> {
    await this.uploads.release([upload.id], this.clock.now());
    try {
      await this.storage.delete(upload.key);
      await this.uploads.remove(upload.id);
    } catch (error) {
      this.logger.warn(
        `Could not delete upload ${upload.id} now (${(error as Error).message}); the sweep will`,
      );
    }
  }

  /** `deleteNow` of the upload with this id, if it still exists. */
  async deleteNowById(id: string): Promise<void> {
    const upload = await this.uploads.findById(id);
    if (upload) {
      await this.deleteNow(upload);
    }
  }

  /** Every upload of `owner` released, for the sweep to delete (account deletion); how many. */
  async deleteAllOwnedBy(owner: string): Promise<number> {
    const released = await this.uploads.releaseAllOf(owner, this.clock.now());
    await this.sweep();
    return released;
  }

  /** The metadata of the owner's uploads, newest first (the data export). */
  async listOwnedBy(
    owner: string,
  ): Promise<
    Array<Pick<UploadEntity, 'id' | 'purpose' | 'contentType' | 'size' | 'url' | 'createdAt'>>
  > {
    const uploads = await this.uploads.findOwnedBy(owner, EXPORT_LIMIT);
    return uploads.map(({ id, purpose, contentType, size, url, createdAt }) => ({
      id,
      purpose,
      contentType,
      size,
      url,
      createdAt,
    }));
  }

  /**
   * The orphan sweep: releases uploads pending longer than UPLOAD_ORPHAN_AFTER, then deletes the
   * bytes and records of released ones (bytes first: a record left behind is retried). Returns
   * how many it deleted.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    await this.uploads.releaseOrphans(new Date(now.getTime() - this.config.orphanAfterMs), now);
    let deleted = 0;
    for (const upload of await this.uploads.findReleased(SWEEP_BATCH)) {
      try {
        await this.storage.delete(upload.key);
        await this.uploads.remove(upload.id);
        deleted += 1;
      } catch (error) {
        this.logger.warn(`Could not delete upload ${upload.id}: ${(error as Error).message}`);
      }
    }
    if (deleted > 0) {
      this.logger.log(`Deleted ${deleted} released or orphaned upload(s)`);
    }
    return deleted;
  }
}

function encryptionPurposeOf(purpose: UploadPurpose): EncryptionPurpose {
  return purpose === UploadPurpose.DisputeEvidence
    ? EncryptionPurpose.DisputeEvidence
    : EncryptionPurpose.VerificationDocument;
}

/** API.md "Files": owner, staff (verification documents: admins only), readers; public: all. */
function mayRead(upload: UploadEntity, reader: AuthUser): boolean {
  if (!PRIVATE_PURPOSES.has(upload.purpose) || upload.owner === reader.id) {
    return true;
  }
  if (upload.purpose === UploadPurpose.VerificationDoc) {
    return reader.role === Role.Admin;
  }
  return STAFF_ROLES.includes(reader.role) || upload.readers.includes(reader.id);
}
