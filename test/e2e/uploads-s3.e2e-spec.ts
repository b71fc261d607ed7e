import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startS3Mock, type S3MockServer } from '../support/s3mock.js';
import { newCraftsman } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bytesAt, pdf, png, uploaded } from '../support/uploads.js';

const BUCKET = 'craftsmen-uploads';
const CREDENTIALS = { accessKeyId: 'test-access-key', secretAccessKey: 'test-secret-key' };

/** A key ring entry `<id>:<32 random bytes, base64>`. */
function key(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * The app on STORAGE_DRIVER=s3 against a real S3-compatible server (Adobe S3Mock), and the key
 * ring's rotation: files written under an older key stay readable after a newer one is put
 * first (API.md "Files"; issue 17).
 */
describe('Uploads on S3, and the rotation of DATA_ENCRYPTION_KEY', () => {
  let s3mock: S3MockServer;
  let s3: S3Client;
  const apps: TestApp[] = [];
  const k1 = key('k1');
  const k2 = key('k2');

  beforeAll(async () => {
    s3mock = await startS3Mock();
    s3 = new S3Client({
      endpoint: s3mock.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
  });

  afterAll(async () => {
    for (const app of apps.reverse()) {
      await app.close();
    }
    s3.destroy();
    await s3mock?.stop();
  });

  /** An app on the S3 store with this key ring; `sameDatabaseAs`: a restart of that one. */
  async function appWith(ring: string, sameDatabaseAs?: TestApp): Promise<TestApp> {
    const app = await createTestApp({
      sameDatabaseAs,
      env: {
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: s3mock.endpoint,
        S3_BUCKET: BUCKET,
        S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        DATA_ENCRYPTION_KEY: ring,
      },
    });
    apps.push(app);
    return app;
  }

  async function stored(key: string): Promise<Buffer> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  it('should keep public images at the store’s URL and private documents encrypted in it', async () => {
    const t = await appWith(k1);
    const craftsman = await newCraftsman(t);
    const photo = await t.http
      .post('/api/uploads')
      .set('Authorization', craftsman.bearer)
      .field('purpose', 'portfolio')
      .attach('file', await png(40, 40), { filename: 'door.png', contentType: 'image/png' })
      .expect(201);
    expect(photo.body.url).toBe(
      `${s3mock.endpoint}/${BUCKET}/public/portfolio/${photo.body.id as string}.png`,
    );
    const served = await fetch(photo.body.url as string);
    expect(served.status).toBe(200);
    expect(
      Buffer.from(await served.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    const marker = 'ID-CARD-29001011234567';
    const document = pdf(marker);
    const fileId = await uploaded(t, craftsman, {
      purpose: 'verification_doc',
      bytes: document,
      filename: 'id.pdf',
      contentType: 'application/pdf',
    });
    const atRest = await stored(`private/verification_doc/${fileId}.pdf`);
    expect(atRest.includes(marker)).toBe(false);
    expect(atRest.includes('%PDF')).toBe(false);
    const read = await bytesAt(t, `/api/uploads/${fileId}/content`, craftsman).expect(200);
    expect((read.body as Buffer).equals(document)).toBe(true);
  });

  it('should read files of the older key after a newer one is put first, and write with the newer', async () => {
    const before = await appWith(k1);
    const craftsman = await newCraftsman(before);
    const old = pdf('sealed under k1');
    const oldId = await uploaded(before, craftsman, {
      purpose: 'verification_doc',
      bytes: old,
      filename: 'old.pdf',
      contentType: 'application/pdf',
    });

    // the same database and store, restarted with the rotated ring
    const after = await appWith(`${k2},${k1}`, before);
    const readOld = await bytesAt(after, `/api/uploads/${oldId}/content`, craftsman).expect(200);
    expect((readOld.body as Buffer).equals(old)).toBe(true);

    const fresh = pdf('sealed under k2');
    const freshId = await uploaded(after, craftsman, {
      purpose: 'verification_doc',
      bytes: fresh,
      filename: 'new.pdf',
      contentType: 'application/pdf',
    });
    const readFresh = await bytesAt(after, `/api/uploads/${freshId}/content`, craftsman).expect(
      200,
    );
    expect((readFresh.body as Buffer).equals(fresh)).toBe(true);
    // each envelope names its key: the old one k1, the new one k2
    const header = (bytes: Buffer) => bytes.subarray(0, 16).toString('latin1');
    expect(header(await stored(`private/verification_doc/${oldId}.pdf`))).toContain('k1');
    expect(header(await stored(`private/verification_doc/${freshId}.pdf`))).toContain('k2');

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'private/' }));
    expect(listed.KeyCount).toBeGreaterThanOrEqual(2);
  });
});
