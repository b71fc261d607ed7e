import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import type { StorageDriverName } from '../../src/config/files.env.js';
import {
  type StorageDriver,
  StorageObjectNotFound,
  StorageVisibility,
} from '../../src/modules/files/storage/storage-driver.js';

/** What the suite needs of one driver and the store behind it. */
export interface StorageHarness {
  driver: StorageDriver;
  /**
   * Whether `publicUrl` is an absolute URL anyone can fetch (S3, Cloudinary), or a path the app
   * itself serves (local: `/api/files/<key>`, checked by its form only).
   */
  publicUrlsAreAbsolute: boolean;
  close(): Promise<void>;
}

/** Our upload ids are Mongo ObjectIds: 24 hex digits, fresh for every object here. */
function newId(): string {
  return randomBytes(12).toString('hex');
}

function publicImageKey(): string {
  return `public/job_photo/${newId()}.png`;
}

function privateDocumentKey(): string {
  return `private/verification_doc/${newId()}.pdf`;
}

/**
 * A real PNG of random pixels (so every byte value occurs, and a store that checks images
 * accepts it), `width`×`height`, uncompressed: about width × height × 3 bytes.
 */
async function noisePng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** A PDF-shaped file: the header, random bytes (all 256 values), the trailer. */
function pdfLike(size: number): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
    randomBytes(size),
    Buffer.from('\n%%EOF\n'),
  ]);
}

/**
 * The behaviour every `StorageDriver` shares, run against its store (a real server over HTTP,
 * or the disk) through `open`, called once for the whole suite; each test uses fresh keys of
 * the app's form (`public/job_photo/<id>.png`, `private/verification_doc/<id>.pdf`).
 *
 * Asserted:
 * - `put` then `get` gives the same bytes back: a small PNG, a ~5 MB one (the upload limit), a
 *   private PDF-like file with every byte value, random bytes under a private `.jpg` key (the
 *   app stores private uploads encrypted);
 * - `put` on a key replaces what was there;
 * - `get` of a key never stored, or deleted, throws `StorageObjectNotFound` naming the key;
 * - `delete` is idempotent: a deleted key, or one never stored, resolves;
 * - a public object's `publicUrl` answers its bytes to an anonymous HTTP GET (absolute URLs), or
 *   is `/api/files/<key>` (local); a private object's is null.
 */
export function describeStorageDriverConformance(
  name: StorageDriverName,
  open: () => Promise<StorageHarness>,
): void {
  describe(`StorageDriver conformance: ${name}`, () => {
    let harness: StorageHarness;
    let driver: StorageDriver;
    let smallImage: Buffer;
    let largeImage: Buffer;

    beforeAll(async () => {
      [harness, smallImage, largeImage] = await Promise.all([
        open(),
        noisePng(48, 32),
        // 1280 × 1365 × 3 bytes of pixels: 5,241,600, a PNG of about 5 MB
        noisePng(1280, 1365),
      ]);
      driver = harness.driver;
    });

    afterAll(async () => {
      await harness?.close();
    });

    it('should be named', () => {
      expect(driver.name).toBe(name);
    });

    it('should give back the bytes it stored', async () => {
      const key = publicImageKey();

      await driver.put(key, smallImage, {
        contentType: 'image/png',
        visibility: StorageVisibility.Public,
      });

      expect((await driver.get(key)).equals(smallImage)).toBe(true);
    });

    it('should give back a 5 MB object byte for byte', async () => {
      const key = publicImageKey();
      expect(largeImage.length).toBeGreaterThan(5_000_000);

      await driver.put(key, largeImage, {
        contentType: 'image/png',
        visibility: StorageVisibility.Public,
      });
      const stored = await driver.get(key);

      expect(stored.length).toBe(largeImage.length);
      expect(stored.equals(largeImage)).toBe(true);
    });

    it('should give back a private document with every byte value', async () => {
      const key = privateDocumentKey();
      const document = pdfLike(64 * 1024);

      await driver.put(key, document, {
        contentType: 'application/pdf',
        visibility: StorageVisibility.Private,
      });

      expect((await driver.get(key)).equals(document)).toBe(true);
    });

    it("should keep a private object's bytes as they are, whatever its key's extension", async () => {
      // private uploads are stored encrypted: opaque bytes under an image's key
      const key = `private/dispute_evidence/${newId()}.jpg`;
      const sealed = randomBytes(4096);

      await driver.put(key, sealed, {
        contentType: 'image/jpeg',
        visibility: StorageVisibility.Private,
      });

      expect((await driver.get(key)).equals(sealed)).toBe(true);
    });

    it('should replace an object put again under its key', async () => {
      const key = privateDocumentKey();
      const first = pdfLike(2048);
      const second = pdfLike(1024);
      const options = { contentType: 'application/pdf', visibility: StorageVisibility.Private };

      await driver.put(key, first, options);
      await driver.put(key, second, options);

      expect((await driver.get(key)).equals(second)).toBe(true);
    });

    it('should throw StorageObjectNotFound for a key never stored', async () => {
      const key = publicImageKey();

      const failure = await driver.get(key).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(StorageObjectNotFound);
      expect(failure).toMatchObject({ key });
      await expect(driver.get(privateDocumentKey())).rejects.toBeInstanceOf(StorageObjectNotFound);
    });

    it('should delete an object, and take a second delete or one of a key never stored', async () => {
      const kept = publicImageKey();
      const deleted = privateDocumentKey();
      await driver.put(kept, smallImage, {
        contentType: 'image/png',
        visibility: StorageVisibility.Public,
      });
      await driver.put(deleted, pdfLike(512), {
        contentType: 'application/pdf',
        visibility: StorageVisibility.Private,
      });

      await driver.delete(deleted);

      await expect(driver.get(deleted)).rejects.toBeInstanceOf(StorageObjectNotFound);
      await expect(driver.delete(deleted)).resolves.toBeUndefined();
      await expect(driver.delete(privateDocumentKey())).resolves.toBeUndefined();
      expect((await driver.get(kept)).equals(smallImage)).toBe(true);
    });

    it('should serve a public object at its public URL', async () => {
      const key = publicImageKey();
      await driver.put(key, largeImage, {
        contentType: 'image/png',
        visibility: StorageVisibility.Public,
      });

      const url = driver.publicUrl(key, StorageVisibility.Public);

      expect(url).toEqual(expect.any(String));
      if (!harness.publicUrlsAreAbsolute) {
        expect(url).toBe(`/api/files/${key}`);
        return;
      }
      const response = await fetch(url!);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(largeImage)).toBe(true);
    });

    it('should give a private object no public URL', async () => {
      const key = privateDocumentKey();
      await driver.put(key, pdfLike(256), {
        contentType: 'application/pdf',
        visibility: StorageVisibility.Private,
      });

      expect(driver.publicUrl(key, StorageVisibility.Private)).toBeNull();
    });
  });
}
