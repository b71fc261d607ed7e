import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { UploadsService } from '../../src/modules/files/uploads.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { hire, postJob } from '../support/marketplace.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import {
  bytesAt,
  EXIF_MARKER,
  jpegWithExif,
  pdf,
  png,
  pngBomb,
  upload,
  uploaded,
} from '../support/uploads.js';

const MB = 1024 * 1024;

interface UploadBody {
  id: string;
  purpose: string;
  url: string | null;
  contentType: string;
  size: number;
  width?: number;
  height?: number;
  createdAt: string;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('Uploads (API.md "Files")', () => {
  const clock = new FakeClock();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { UPLOAD_RATE_LIMIT_PER_USER: '10000' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  describe('POST /uploads', () => {
    it('should store a photo without its EXIF, upright, at a public URL the app serves', async () => {
      const client = await newClient(t);
      const response = await upload(t, client, {
        purpose: 'job_photo',
        bytes: await jpegWithExif(300, 200, 6),
      }).expect(201);
      const body = response.body as UploadBody;
      expect(body).toMatchObject({
        purpose: 'job_photo',
        contentType: 'image/jpeg',
        // orientation 6 applied: the landscape bytes show as portrait
        width: 200,
        height: 300,
      });
      expect(body.url).toMatch(new RegExp(`^/api/files/public/job_photo/${body.id}\\.jpg$`));
      const served = await bytesAt(t, body.url ?? '').expect(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(served.headers['cache-control']).toContain('immutable');
      const stored = served.body as Buffer;
      expect(stored.length).toBe(body.size);
      expect(stored.includes(EXIF_MARKER)).toBe(false);
      const metadata = await sharp(stored).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
    });

    it('should answer the seed’s POST /services/uploads the same way', async () => {
      const client = await newClient(t);
      const response = await t.http
        .post('/api/services/uploads')
        .set('Authorization', client.bearer)
        .field('purpose', 'portfolio')
        .attach('file', await png(64, 48), { filename: 'door.png', contentType: 'image/png' })
        .expect(201);
      expect(response.body).toMatchObject({ purpose: 'portfolio', contentType: 'image/png' });
    });

    it('should refuse 5 MB + 1 byte with 413 FILE_TOO_LARGE', async () => {
      const client = await newClient(t);
      const bytes = Buffer.concat([await jpegWithExif(10, 10), Buffer.alloc(5 * MB + 1)]);
      const response = await upload(t, client, {
        purpose: 'job_photo',
        bytes: bytes.subarray(0, 5 * MB + 1),
      });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ statusCode: 413, code: 'FILE_TOO_LARGE' });
    });

    it('should take exactly 5 MB', async () => {
      const craftsman = await newCraftsman(t);
      const document = pdf('exactly five megabytes');
      const padded = Buffer.concat([document, Buffer.alloc(5 * MB - document.length, 0x20)]);
      const response = await upload(t, craftsman, {
        purpose: 'verification_doc',
        bytes: padded,
        filename: 'id.pdf',
        contentType: 'application/pdf',
      });
      expect(response.status).toBe(201);
    });

    it.each([
      ['an HTML page named .png', Buffer.from('<!doctype html><script>alert(1)</script>')],
      [
        'an SVG named .png',
        Buffer.from(
          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
      ],
      ['random bytes', Buffer.from('not an image at all, just text')],
    ])('should refuse %s with 415 UNSUPPORTED_MEDIA_TYPE', async (_name, bytes) => {
      const client = await newClient(t);
      const response = await upload(t, client, {
        purpose: 'job_photo',
        bytes,
        filename: 'cat.png',
        contentType: 'image/png',
      });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('should refuse a PDF as a job photo but take it as a verification document', async () => {
      const craftsman = await newCraftsman(t);
      const document = pdf('national id 29001011234567');
      await upload(t, craftsman, {
        purpose: 'job_photo',
        bytes: document,
        filename: 'id.pdf',
        contentType: 'application/pdf',
      }).expect(415);
      const response = await upload(t, craftsman, {
        purpose: 'verification_doc',
        bytes: document,
        filename: 'id.pdf',
        contentType: 'application/pdf',
      }).expect(201);
      expect(response.body).toMatchObject({ contentType: 'application/pdf', url: null });
    });

    it('should refuse a 20,000×20,000 PNG bomb with 413 IMAGE_TOO_LARGE, without decoding it', async () => {
      const client = await newClient(t);
      const bomb = pngBomb();
      expect(bomb.length).toBeLessThan(64 * 1024);
      const rssBefore = process.memoryUsage().rss;
      const response = await upload(t, client, {
        purpose: 'job_photo',
        bytes: bomb,
        filename: 'bomb.png',
        contentType: 'image/png',
      });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
      // decoding would have taken 1.6 GB (20,000 × 20,000 × 4 bytes)
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * MB);
    });

    it('should answer 400 for a missing or unknown purpose and a missing file', async () => {
      const client = await newClient(t);
      const image = await png(8, 8);
      const noPurpose = await t.http
        .post('/api/uploads')
        .set('Authorization', client.bearer)
        .attach('file', image, { filename: 'a.png', contentType: 'image/png' })
        .expect(400);
      expect(noPurpose.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(noPurpose.body.details).toEqual([expect.objectContaining({ field: 'purpose' })]);
      await upload(t, client, { purpose: 'selfie', bytes: image }).expect(400);
      const noFile = await t.http
        .post('/api/uploads')
        .set('Authorization', client.bearer)
        .field('purpose', 'job_photo')
        .expect(400);
      expect(noFile.body.details).toEqual([expect.objectContaining({ field: 'file' })]);
    });

    it('should answer 415 for JSON, and refuse multipart on routes that take JSON', async () => {
      const client = await newClient(t);
      await t.http
        .post('/api/uploads')
        .set('Authorization', client.bearer)
        .send({ purpose: 'job_photo' })
        .expect(415);
      const response = await t.http
        .post('/api/jobs')
        .set('Authorization', client.bearer)
        .field('title', 'Fix the sink')
        .expect(415);
      expect(response.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('should answer 401 without a token', async () => {
      await t.http
        .post('/api/uploads')
        .field('purpose', 'job_photo')
        .attach('file', await png(8, 8), { filename: 'a.png', contentType: 'image/png' })
        .expect(401);
    });
  });

  describe('PUT /users/me/profile-picture', () => {
    it('should crop the picture to 400×400, and delete the one it replaces', async () => {
      const client = await newClient(t);
      const first = await t.http
        .put('/api/users/me/profile-picture')
        .set('Authorization', client.bearer)
        .attach('file', await jpegWithExif(1200, 800), {
          filename: 'me.jpg',
          contentType: 'image/jpeg',
        })
        .expect(200);
      const firstUrl = first.body.profilePicture as string;
      const served = (await bytesAt(t, firstUrl).expect(200)).body as Buffer;
      const metadata = await sharp(served).metadata();
      expect([metadata.width, metadata.height]).toEqual([400, 400]);
      expect(served.includes(EXIF_MARKER)).toBe(false);

      const second = await t.http
        .put('/api/users/me/profile-picture')
        .set('Authorization', client.bearer)
        .attach('file', await png(500, 500), { filename: 'me.png', contentType: 'image/png' })
        .expect(200);
      const secondUrl = second.body.profilePicture as string;
      // a new URL for a new picture: no cache shows the old one under it
      expect(secondUrl).not.toBe(firstUrl);
      await bytesAt(t, secondUrl).expect(200);
      await bytesAt(t, firstUrl).expect(404);
      const profile = await t.http
        .get(`/api/users/${client.user.id}`)
        .set('Authorization', client.bearer)
        .expect(200);
      expect(profile.body.profilePicture).toBe(secondUrl);
      expect(filesUnder(join(t.config.files.localDir, 'public', 'profile_picture'))).toHaveLength(
        1,
      );
    });

    it('should keep the old picture when the new file is refused', async () => {
      const client = await newClient(t);
      const first = await t.http
        .put('/api/users/me/profile-picture')
        .set('Authorization', client.bearer)
        .attach('file', await png(50, 50), { filename: 'me.png', contentType: 'image/png' })
        .expect(200);
      await t.http
        .put('/api/users/me/profile-picture')
        .set('Authorization', client.bearer)
        .attach('file', Buffer.from('<svg/>'), { filename: 'me.png', contentType: 'image/png' })
        .expect(415);
      const me = await t.http.get('/api/users/me').set('Authorization', client.bearer).expect(200);
      expect(me.body.profilePicture).toBe(first.body.profilePicture);
      await bytesAt(t, first.body.profilePicture as string).expect(200);
    });
  });

  describe('upload ids in jobs, profiles and verification', () => {
    it('should take one’s own job photos by id, and refuse others’ and other purposes', async () => {
      const client = await newClient(t);
      const postWithPhotos = (who: Session, photos: string[]) =>
        t.http.post('/api/jobs').set('Authorization', who.bearer).send({
          title: 'Paint a door',
          description: 'One door, white.',
          category: 'Plumbing',
          photos,
        });
      const other = await newClient(t);
      const photo = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(40, 30) });
      const job = await postJob(t, client, { photos: [photo, 'https://img.example.com/old.jpg'] });
      expect(job.photos).toEqual([
        `/api/files/public/job_photo/${photo}.png`,
        'https://img.example.com/old.jpg',
      ]);

      const theirs = await uploaded(t, other, { purpose: 'job_photo', bytes: await png(8, 8) });
      const forbidden = await postWithPhotos(client, [theirs]).expect(403);
      expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN' });

      const portfolio = await uploaded(t, client, { purpose: 'portfolio', bytes: await png(8, 8) });
      const mismatch = await postWithPhotos(client, [portfolio]).expect(400);
      expect(mismatch.body).toMatchObject({ code: 'UPLOAD_PURPOSE_MISMATCH' });

      const inUse = await postWithPhotos(client, [photo]).expect(409);
      expect(inUse.body).toMatchObject({ code: 'UPLOAD_IN_USE' });

      await postWithPhotos(client, ['0123456789abcdef01234567']).expect(404);
    });

    it('should keep a job’s photos saved back by URL, and delete one removed from it', async () => {
      const client = await newClient(t);
      const kept = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(20, 20) });
      const removed = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(21, 21) });
      const job = await postJob(t, client, { photos: [kept, removed] });
      const [keptUrl, removedUrl] = job.photos as string[];
      // the app saves the list it was shown (URLs), minus one photo
      const edited = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', client.bearer)
        .send({ photos: [keptUrl] })
        .expect(200);
      expect(edited.body.photos).toEqual([keptUrl]);
      await t.app.get(UploadsService).sweep();
      await bytesAt(t, keptUrl ?? '').expect(200);
      await bytesAt(t, removedUrl ?? '').expect(404);
    });

    it('should take portfolio images and a profile picture by id in PUT /users/me', async () => {
      const craftsman = await newCraftsman(t);
      const image = await uploaded(t, craftsman, {
        purpose: 'portfolio',
        bytes: await png(30, 30),
      });
      const picture = await uploaded(t, craftsman, {
        purpose: 'profile_picture',
        bytes: await png(900, 600),
      });
      const me = await t.http
        .put('/api/users/me')
        .set('Authorization', craftsman.bearer)
        .send({ profilePicture: picture, craftsmanInfo: { portfolioImageUrls: [image] } })
        .expect(200);
      expect(me.body.profilePicture).toBe(`/api/files/public/profile_picture/${picture}.png`);
      expect(me.body.craftsmanInfo.portfolioImageUrls).toEqual([
        `/api/files/public/portfolio/${image}.png`,
      ]);
      const served = (await bytesAt(t, me.body.profilePicture as string).expect(200))
        .body as Buffer;
      expect((await sharp(served).metadata()).width).toBe(400);
    });

    it('should keep verification documents private and encrypted: owner and admins only', async () => {
      const craftsman = await newCraftsman(t);
      const stranger = await newCraftsman(t);
      const moderator = await newModerator(t);
      const admin = await loginAsAdmin(t);
      const marker = 'NATIONAL-ID-29001011234567';
      const document = pdf(marker);
      const fileId = await uploaded(t, craftsman, {
        purpose: 'verification_doc',
        bytes: document,
        filename: 'id.pdf',
        contentType: 'application/pdf',
      });
      const submitted = await t.http
        .post('/api/users/craftsman/verification')
        .set('Authorization', craftsman.bearer)
        .send({ docs: [{ docType: 'national_id', fileId }] })
        .expect(201);
      expect(submitted.body.craftsmanInfo.verificationDocs).toEqual([
        { docType: 'national_id', docUrl: null, fileId },
      ]);

      // the bytes at rest hold no plaintext
      const atRest = readFileSync(
        join(t.config.files.localDir, 'private', 'verification_doc', `${fileId}.pdf`),
      );
      expect(atRest.includes(marker)).toBe(false);
      expect(atRest.includes('%PDF')).toBe(false);

      const content = `/api/uploads/${fileId}/content`;
      const own = await bytesAt(t, content, craftsman).expect(200);
      expect(own.headers['content-type']).toBe('application/pdf');
      expect((own.body as Buffer).equals(document)).toBe(true);
      expect(((await bytesAt(t, content, admin).expect(200)).body as Buffer).equals(document)).toBe(
        true,
      );
      await bytesAt(t, content, stranger).expect(403);
      await bytesAt(t, content, moderator).expect(403);
      await t.http.get(content).expect(401);

      // a URL is no longer taken for a document
      await t.http
        .post('/api/users/craftsman/verification')
        .set('Authorization', craftsman.bearer)
        .send({ docs: [{ docType: 'national_id', docUrl: 'https://files.example.com/id.png' }] })
        .expect(400);
    });

    it('should let the other party of a dispute and staff read its evidence, and nobody else', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const stranger = await newClient(t);
      const moderator = await newModerator(t);
      const job = await postJob(t, client);
      await hire(t, client, job.id, craftsman);
      for (const status of ['on_the_way', 'in_progress']) {
        await t.http
          .patch(`/api/jobs/${job.id}/status`)
          .set('Authorization', craftsman.bearer)
          .send({ status })
          .expect(200);
      }
      const dispute = await t.http
        .post('/api/disputes')
        .set('Authorization', client.bearer)
        .send({ jobId: job.id, reason: 'poor_quality', description: 'The tap still leaks.' })
        .expect(201);
      const photo = await uploaded(t, client, {
        purpose: 'dispute_evidence',
        bytes: await jpegWithExif(64, 64),
      });
      const withEvidence = await t.http
        .post(`/api/disputes/${dispute.body.id}/evidence`)
        .set('Authorization', client.bearer)
        .send({ fileIds: [photo] })
        .expect(201);
      expect(withEvidence.body.evidence.at(-1)).toMatchObject({
        by: client.user.id,
        fileIds: [photo],
      });

      const content = `/api/uploads/${photo}/content`;
      await bytesAt(t, content, client).expect(200);
      await bytesAt(t, content, craftsman).expect(200);
      await bytesAt(t, content, moderator).expect(200);
      await bytesAt(t, content, stranger).expect(403);

      // someone else's upload as one's evidence
      const strangers = await uploaded(t, stranger, {
        purpose: 'dispute_evidence',
        bytes: await png(8, 8),
      });
      await t.http
        .post(`/api/disputes/${dispute.body.id}/evidence`)
        .set('Authorization', craftsman.bearer)
        .send({ fileIds: [strangers] })
        .expect(403);
    });
  });

  describe('the orphan sweep', () => {
    it('should delete uploads nothing points at after UPLOAD_ORPHAN_AFTER, and keep attached ones', async () => {
      const client = await newClient(t);
      const orphan = await upload(t, client, {
        purpose: 'job_photo',
        bytes: await png(10, 10),
      }).expect(201);
      const usedId = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(11, 11) });
      const job = await postJob(t, client, { photos: [usedId] });
      const sweep = () => t.app.get(UploadsService).sweep();

      expect(await sweep()).toBe(0);
      await bytesAt(t, orphan.body.url as string).expect(200);
      clock.advance(61 * 60 * 1000);
      expect(await sweep()).toBe(1);
      await bytesAt(t, orphan.body.url as string).expect(404);
      await bytesAt(t, (job.photos as string[])[0] ?? '').expect(200);
      const stored = filesUnder(join(t.config.files.localDir, 'public', 'job_photo'));
      expect(stored).toContain(
        join(t.config.files.localDir, 'public', 'job_photo', `${usedId}.png`),
      );
      expect(stored.some((file) => file.includes(orphan.body.id as string))).toBe(false);
    });
  });
});
