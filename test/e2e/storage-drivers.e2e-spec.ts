import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { v2 as cloudinary } from 'cloudinary';
import { StorageDriverName } from '../../src/config/files.env.js';
import type { CloudinaryStorageConfig, S3StorageConfig } from '../../src/config/files.config.js';
import { CloudinaryStorageDriver } from '../../src/modules/files/storage/cloudinary-storage.driver.js';
import { LocalStorageDriver } from '../../src/modules/files/storage/local-storage.driver.js';
import { S3StorageDriver } from '../../src/modules/files/storage/s3-storage.driver.js';
import {
  StorageObjectNotFound,
  StorageVisibility,
} from '../../src/modules/files/storage/storage-driver.js';
import { createStorageDriver } from '../../src/modules/files/storage/storage-driver.provider.js';
import { cloudinarySignature, FakeCloudinary } from '../support/fake-cloudinary.js';
import { startS3Mock, type S3MockServer } from '../support/s3mock.js';
import { describeStorageDriverConformance } from '../support/storage-conformance.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PUBLIC = { contentType: 'image/png', visibility: StorageVisibility.Public };
const PRIVATE = { contentType: 'application/pdf', visibility: StorageVisibility.Private };

function newId(): string {
  return randomBytes(12).toString('hex');
}

function filesConfig(
  overrides: Partial<Parameters<typeof createStorageDriver>[0]>,
): Parameters<typeof createStorageDriver>[0] {
  return {
    driver: StorageDriverName.Local,
    localDir: join(tmpdir(), 'unused-uploads'),
    ...overrides,
  };
}

/** A log that keeps its lines, to assert what the provider says (and doesn't). */
function recordingLog(): { log(message: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (message: string) => void lines.push(message) };
}

// One S3Mock for the file (it takes ~5 s to start), each test group in buckets of its own.
let s3mock: Promise<S3MockServer> | undefined;
function sharedS3Mock(): Promise<S3MockServer> {
  s3mock ??= startS3Mock();
  return s3mock;
}
afterAll(async () => {
  await (await s3mock)?.stop();
});

function s3Config(endpoint: string, bucket = `uploads-${newId().slice(0, 12)}`): S3StorageConfig {
  return {
    endpoint,
    region: 'us-east-1',
    bucket,
    accessKeyId: 'test-access-key',
    secretAccessKey: `secret-${newId()}`,
  };
}

describeStorageDriverConformance(StorageDriverName.Local, async () => {
  const directory = await mkdtemp(join(tmpdir(), 'local-storage-'));
  return {
    driver: new LocalStorageDriver({ directory: join(directory, 'uploads') }),
    publicUrlsAreAbsolute: false,
    close: () => rm(directory, { recursive: true, force: true }),
  };
});

describeStorageDriverConformance(StorageDriverName.S3, async () => {
  const { endpoint } = await sharedS3Mock();
  const driver = await createStorageDriver(
    filesConfig({ driver: StorageDriverName.S3, s3: s3Config(endpoint) }),
    recordingLog(),
  );
  return {
    driver,
    publicUrlsAreAbsolute: true,
    close: () => Promise.resolve((driver as S3StorageDriver).onModuleDestroy()),
  };
});

describeStorageDriverConformance(StorageDriverName.Cloudinary, async () => {
  const fake = new FakeCloudinary();
  const { apiUrl } = await fake.start();
  const driver = new CloudinaryStorageDriver({
    cloudName: fake.cloudName,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    apiUrl,
  });
  return {
    driver,
    publicUrlsAreAbsolute: true,
    close: async () => {
      driver.onModuleDestroy();
      await fake.close();
    },
  };
});

describe(LocalStorageDriver.name, () => {
  let directory: string;
  let driver: LocalStorageDriver;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'local-storage-'));
    driver = new LocalStorageDriver({ directory: join(directory, 'uploads') });
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it.each([
    '../outside.png',
    'public/../../outside.png',
    'public/job_photo/..',
    '/etc/passwd',
    'public//job_photo/x.png',
    './public/x.png',
    'public/job photo/x.png',
    'public\\job_photo\\x.png',
    'public/job_photo/x.png\u0000',
    '',
  ])('should refuse the key %j for every operation', async (key) => {
    await expect(driver.put(key, PNG_SIGNATURE, PUBLIC)).rejects.toThrow(/Refused storage key/);
    await expect(driver.get(key)).rejects.toThrow(/Refused storage key/);
    await expect(driver.delete(key)).rejects.toThrow(/Refused storage key/);
    expect(() => driver.publicUrl(key, StorageVisibility.Public)).toThrow(/Refused storage key/);
    expect(await readdir(directory)).not.toContain('outside.png');
  });

  it('should keep files 0600 in folders 0700, with no temporary file left', async () => {
    const id = newId();

    await driver.put(`private/verification_doc/${id}.pdf`, Buffer.from('%PDF-1.7'), PRIVATE);
    await driver.put(`private/verification_doc/${id}.pdf`, Buffer.from('%PDF-1.4'), PRIVATE);

    const uploads = join(directory, 'uploads');
    expect((await stat(uploads)).mode & 0o777).toBe(0o700);
    expect((await stat(join(uploads, 'private', 'verification_doc'))).mode & 0o777).toBe(0o700);
    const file = await stat(join(uploads, 'private', 'verification_doc', `${id}.pdf`));
    expect(file.mode & 0o777).toBe(0o600);
    expect(await readdir(join(uploads, 'private', 'verification_doc'))).toEqual([`${id}.pdf`]);
  });

  it('should answer StorageObjectNotFound for a key naming a folder', async () => {
    await driver.put(`public/job_photo/${newId()}.png`, PNG_SIGNATURE, PUBLIC);

    await expect(driver.get('public/job_photo')).rejects.toBeInstanceOf(StorageObjectNotFound);
  });
});

describe(S3StorageDriver.name, () => {
  let endpoint: string;

  beforeAll(async () => {
    ({ endpoint } = await sharedS3Mock());
  });

  it('should create a missing bucket at start, find it the next time, and log no secret', async () => {
    const config = s3Config(endpoint);
    const first = recordingLog();
    const second = recordingLog();

    const created = await createStorageDriver(
      filesConfig({ driver: StorageDriverName.S3, s3: config }),
      first,
    );
    const again = await createStorageDriver(
      filesConfig({ driver: StorageDriverName.S3, s3: config }),
      second,
    );
    const key = `public/job_photo/${newId()}.png`;
    await created.put(key, PNG_SIGNATURE, PUBLIC);

    expect(created).toBeInstanceOf(S3StorageDriver);
    expect(first.lines).toEqual([
      `Storage: S3, bucket ${config.bucket} at ${endpoint} (bucket created)`,
    ]);
    expect(second.lines).toEqual([`Storage: S3, bucket ${config.bucket} at ${endpoint}`]);
    expect((await again.get(key)).equals(PNG_SIGNATURE)).toBe(true);
    expect([...first.lines, ...second.lines].join('\n')).not.toContain(config.secretAccessKey);
    (created as S3StorageDriver).onModuleDestroy();
    (again as S3StorageDriver).onModuleDestroy();
  });

  it('should report a missing bucket as an error, not as a missing object', async () => {
    const driver = new S3StorageDriver(s3Config(endpoint, `missing-${newId().slice(0, 12)}`));

    const failure = await driver.get(`public/job_photo/${newId()}.png`).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(StorageObjectNotFound);
    driver.onModuleDestroy();
  });

  it('should build path-style public URLs with an endpoint and virtual-hosted ones on AWS', () => {
    const key = `public/job_photo/${newId()}.webp`;
    const local = new S3StorageDriver({ ...s3Config(`${endpoint}/`), bucket: 'uploads' });
    const aws = new S3StorageDriver({ region: 'eu-central-1', bucket: 'craftsmen-uploads' });

    expect(local.publicUrl(key, StorageVisibility.Public)).toBe(`${endpoint}/uploads/${key}`);
    expect(aws.publicUrl(key, StorageVisibility.Public)).toBe(
      `https://craftsmen-uploads.s3.eu-central-1.amazonaws.com/${key}`,
    );
    expect(aws.publicUrl(key, StorageVisibility.Private)).toBeNull();
    local.onModuleDestroy();
    aws.onModuleDestroy();
  });
});

describe(CloudinaryStorageDriver.name, () => {
  let fake: FakeCloudinary;
  let config: CloudinaryStorageConfig;
  let driver: CloudinaryStorageDriver;

  beforeAll(async () => {
    fake = new FakeCloudinary();
    const { apiUrl } = await fake.start();
    config = { cloudName: fake.cloudName, apiKey: fake.apiKey, apiSecret: fake.apiSecret, apiUrl };
    driver = new CloudinaryStorageDriver(config);
  });

  afterAll(async () => {
    driver.onModuleDestroy();
    await fake.close();
  });

  it('should store public images as image assets, everything else as raw ones', async () => {
    const id = newId();
    const sealed = randomBytes(300);

    await driver.put(`public/job_photo/${id}.png`, PNG_SIGNATURE, PUBLIC);
    await driver.put(`private/verification_doc/${id}.pdf`, Buffer.from('%PDF-1.7'), PRIVATE);
    // a private image's bytes are an encrypted envelope: no image at all
    await driver.put(`private/dispute_evidence/${id}.jpg`, sealed, PRIVATE);

    expect(fake.asset('image', 'upload', `public/job_photo/${id}`)).toMatchObject({
      format: 'png',
    });
    expect(fake.asset('raw', 'authenticated', `private/verification_doc/${id}.pdf`)).toBeDefined();
    expect(fake.asset('raw', 'authenticated', `private/dispute_evidence/${id}.jpg`)).toMatchObject({
      bytes: sealed,
    });
  });

  it('should not serve a private asset at a delivery URL', async () => {
    const key = `private/verification_doc/${newId()}.pdf`;
    await driver.put(key, Buffer.from('%PDF-1.7'), PRIVATE);
    const unsigned = `${config.apiUrl}/${fake.cloudName}/raw/authenticated/v1/${key}`;

    const response = await fetch(unsigned);

    expect(driver.publicUrl(key, StorageVisibility.Private)).toBeNull();
    expect(response.status).toBe(401);
  });

  it('should fail every call signed with another secret, changing nothing', async () => {
    const impostor = new CloudinaryStorageDriver({ ...config, apiSecret: 'not-the-secret' });
    const stored = `private/verification_doc/${newId()}.pdf`;
    const key = `public/job_photo/${newId()}.png`;
    await driver.put(stored, Buffer.from('%PDF-1.7'), PRIVATE);

    await expect(impostor.put(key, PNG_SIGNATURE, PUBLIC)).rejects.toThrow(
      /Cloudinary upload of .* failed \(HTTP 401\): Invalid Signature/,
    );
    await expect(impostor.get(stored)).rejects.toThrow(/download of .* failed: HTTP 401/);
    await expect(impostor.delete(stored)).rejects.toThrow(/destroy of .* failed \(HTTP 401\)/);
    expect(fake.asset('image', 'upload', key.replace(/\.png$/, ''))).toBeUndefined();
    expect((await driver.get(stored)).toString()).toBe('%PDF-1.7');
    impostor.onModuleDestroy();
  });

  it("should refuse a key that doesn't begin with its visibility", async () => {
    await expect(
      driver.put(`public/job_photo/${newId()}.png`, PNG_SIGNATURE, PRIVATE),
    ).rejects.toThrow(/does not begin with its visibility/);
    await expect(driver.get(`job_photo/${newId()}.png`)).rejects.toThrow(
      /does not begin with public\/ or private\//,
    );
  });

  it("should build Cloudinary's own delivery URL when talking to Cloudinary", () => {
    const real = new CloudinaryStorageDriver({ ...config, apiUrl: 'https://api.cloudinary.com' });
    const id = newId();

    expect(real.publicUrl(`public/job_photo/${id}.webp`, StorageVisibility.Public)).toBe(
      `https://res.cloudinary.com/${fake.cloudName}/image/upload/v1/public/job_photo/${id}.webp`,
    );
    real.onModuleDestroy();
  });
});

describe(cloudinarySignature.name, () => {
  it('should sign the example of Cloudinary\'s "Generating authentication signatures"', () => {
    // https://cloudinary.com/documentation/authentication_signatures: API secret "abcd"
    const params = {
      eager: 'w_400,h_300,c_pad|w_260,h_200,c_crop',
      public_id: 'sample_image',
      timestamp: '1315060510',
    };

    expect(cloudinarySignature(params, 'abcd')).toBe('bfd09f95f331f558cbd1320e67aa8d488770583e');
  });

  it('should leave out file, cloud_name, resource_type, api_key and empty values, as the SDK does', () => {
    const params = {
      timestamp: '1315060510',
      public_id: 'public/job_photo/x',
      type: 'upload',
      overwrite: '1',
      invalidate: '1',
      folder: '',
    };
    const sent = {
      ...params,
      file: 'bytes',
      cloud_name: 'c',
      resource_type: 'image',
      api_key: '1',
    };

    expect(cloudinarySignature(sent, 'secret')).toBe(
      cloudinary.utils.api_sign_request(params, 'secret'),
    );
    expect(cloudinarySignature(params, 'secret', 'sha256')).toMatch(/^[0-9a-f]{64}$/);
  });
});
