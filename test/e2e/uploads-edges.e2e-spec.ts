import { connect, type Socket } from 'node:net';
import { FakeClock } from '../support/fake-clock.js';
import { hire, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bytesAt, pdf, png, upload, uploaded, verificationDocs } from '../support/uploads.js';

/**
 * Uploads at their edges (what a breaker pass found): senders that stall, writes that fail after
 * their uploads were attached, two requests racing for one upload, URLs of uploads that aren't
 * the caller's, and forms with fields nobody asked for.
 */
describe('Uploads at their edges', () => {
  const clock = new FakeClock();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { UPLOAD_READ_TIMEOUT: 'PT2S' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  const job = (who: Session, photos: string[]) =>
    t.http.post('/api/jobs').set('Authorization', who.bearer).send({
      title: 'Paint a door',
      description: 'One door, white.',
      category: 'Plumbing',
      photos,
    });

  /** A raw upload that sends its headers and the start of its body, then nothing more. */
  function stalledUpload(who: Session): Promise<Socket> {
    const { port } = new URL(t.baseUrl);
    const boundary = '----stall';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\njob_photo\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n` +
      'Content-Type: image/png\r\n\r\n\x89PNG';
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${who.bearer}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
            `Content-Length: 100000\r\n\r\n${head}`,
        );
        resolve(socket);
      });
      socket.on('error', reject);
    });
  }

  it('should keep taking uploads while senders stall, and close a stalled sender at UPLOAD_READ_TIMEOUT', async () => {
    const stallers = [await newClient(t), await newClient(t)];
    const sockets: Socket[] = [];
    for (const staller of stallers) {
      sockets.push(await stalledUpload(staller), await stalledUpload(staller));
    }
    const closed = sockets.map(
      (socket) => new Promise<void>((resolve) => socket.on('close', () => resolve())),
    );
    // more stalled uploads than UPLOAD_CONCURRENCY (4): the slots are for processing, not reading
    const other = await newClient(t);
    const started = Date.now();
    await upload(t, other, { purpose: 'job_photo', bytes: await png(20, 20) }).expect(201);
    expect(Date.now() - started).toBeLessThan(1500);

    await Promise.all(closed);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('should refuse a fourth upload of one user on its way with 429', async () => {
    const staller = await newClient(t);
    const sockets = [
      await stalledUpload(staller),
      await stalledUpload(staller),
      await stalledUpload(staller),
    ];
    // the three are being read once their handler runs
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await upload(t, staller, { purpose: 'job_photo', bytes: await png(8, 8) });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    sockets.forEach((socket) => socket.destroy());
  });

  it('should leave a photo usable when the job edit it came with is refused', async () => {
    const client = await newClient(t);
    const craftsman = await newCraftsman(t);
    const hired = await postJob(t, client);
    await hire(t, client, hired.id, craftsman);
    const photo = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(10, 10) });
    await t.http
      .put(`/api/jobs/${hired.id}`)
      .set('Authorization', client.bearer)
      .send({ photos: [photo] })
      .expect(409);
    await job(client, [photo]).expect(201);
  });

  it('should refuse the same document twice in one verification, and take it once', async () => {
    const craftsman = await newCraftsman(t);
    const docs = await verificationDocs(t, craftsman);
    // the same document twice: refused before anything is attached
    await t.http
      .post('/api/users/craftsman/verification')
      .set('Authorization', craftsman.bearer)
      .send({ docs: [...docs, ...docs] })
      .expect(400);
    await t.http
      .post('/api/users/craftsman/verification')
      .set('Authorization', craftsman.bearer)
      .send({ docs })
      .expect(201);
  });

  it('should leave the loser of a race for one upload with none of its uploads taken', async () => {
    const client = await newClient(t);
    const a = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(11, 11) });
    const b = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(12, 12) });
    const [both, onlyB] = await Promise.all([job(client, [a, b]), job(client, [b])]);
    expect([both.status, onlyB.status].sort()).toEqual([201, 409]);
    // when B went to the other job, A must still be free; else A is that job's, rightly
    await job(client, [a]).expect(both.status === 201 ? 409 : 201);
  });

  it('should check a URL of one of our uploads as its id: someone else’s 403, a deleted one 404', async () => {
    const client = await newClient(t);
    const other = await newClient(t);
    const theirs = await upload(t, other, { purpose: 'job_photo', bytes: await png(9, 9) }).expect(
      201,
    );
    await job(client, [theirs.body.url as string]).expect(403);
    await job(client, ['/api/files/public/verification_doc/0123456789abcdef01234567.pdf']).expect(
      404,
    );

    const kept = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(13, 13) });
    const removed = await uploaded(t, client, { purpose: 'job_photo', bytes: await png(14, 14) });
    const posted = await postJob(t, client, { photos: [kept, removed] });
    const [keptUrl, removedUrl] = posted.photos as string[];
    await t.http
      .put(`/api/jobs/${posted.id}`)
      .set('Authorization', client.bearer)
      .send({ photos: [keptUrl] })
      .expect(200);
    // the removed photo is gone: its URL can't come back
    await t.http
      .put(`/api/jobs/${posted.id}`)
      .set('Authorization', client.bearer)
      .send({ photos: [keptUrl, removedUrl] })
      .expect(404);
    await bytesAt(t, keptUrl ?? '').expect(200);
  });

  it('should refuse fields nobody asked for, a field twice and a field too long', async () => {
    const client = await newClient(t);
    const image = await png(8, 8);
    const form = () =>
      t.http.post('/api/uploads').set('Authorization', client.bearer).field('purpose', 'job_photo');
    const attach = (request: ReturnType<typeof form>) =>
      request.attach('file', image, { filename: 'a.png', contentType: 'image/png' });
    for (const request of [
      attach(form().field('extra', 'v')),
      attach(form().field('purpose', 'verification_doc')),
      attach(
        t.http
          .post('/api/uploads')
          .set('Authorization', client.bearer)
          .field('purpose', `job_photo${'x'.repeat(1000)}`),
      ),
    ]) {
      const response = await request;
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    // a document as a PDF is still fine
    await upload(t, client, {
      purpose: 'verification_doc',
      bytes: pdf('ok'),
      filename: 'a.pdf',
      contentType: 'application/pdf',
    }).expect(201);
  });
});
