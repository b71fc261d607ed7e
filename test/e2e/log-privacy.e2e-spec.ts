import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invite, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 11, item 7: what the app logs holds no secret and no personal datum. */
describe('Logs: no secrets, no personal data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'craftsmen-log-privacy-'));
  const outbox = join(dataDir, 'outbox');
  let t: TestApp;

  beforeAll(async () => {
    // no SMTP_URL: mail goes to $DATA_DIR/outbox, as on a developer's machine
    t = await createTestApp({
      env: { DATA_DIR: dataDir, DELIVERY_POLL_MS: '100', DELIVERY_POLL_MAX_INTERVAL: 'PT0.1S' },
    });
  });

  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The first outbox mail that mentions `needle` and carries a token; waits for it. */
  async function tokenFromOutbox(needle: string): Promise<{ token: string; file: string }> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      for (const name of readdirSync(outbox, { withFileTypes: true }).map((e) => e.name)) {
        const file = join(outbox, name);
        const text = readFileSync(file, 'utf8');
        const token = /token=([\w-]+)/.exec(text)?.[1];
        if (text.includes(needle) && token) {
          return { token, file };
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no mail mentioning ${needle} in ${outbox}`);
  }

  /** Both log files, as written. */
  const logText = async () => {
    await t.flushLogs();
    return ['combined.log', 'error.log']
      .map((file) => readFileSync(join(t.logDir, file), 'utf8'))
      .join('\n');
  };
  const requestUrls = async () =>
    (await t.readLog('combined.log'))
      .filter((line) => line.msg === 'request completed')
      .map((line) => `${String(line.method)} ${String(line.url)}`);

  it('should log request paths, mail, duplicates and errors without tokens, emails or phones', async () => {
    const clientPhone = '+201001234567';
    const craftsmanPhone = '+201009876543';
    const client = await newClient(t, { phone: clientPhone, password: 'client-password-1' });
    const craftsman = await newCraftsman(t, {
      phone: craftsmanPhone,
      password: 'craftsman-password-1',
    });
    const inviteeEmail = `invitee-${randomBytes(3).toString('hex')}@example.com`;
    const deviceToken = `fcm-${randomBytes(60).toString('base64url')}`;
    const job = await postJob(t, client);

    // a duplicate phone and a duplicate email
    await t.http
      .put('/api/users/me')
      .set('Authorization', craftsman.bearer)
      .send({ phone: clientPhone })
      .expect(409);
    await t.http
      .post('/api/auth/register')
      .send({
        email: client.user.email,
        password: 'another-password-1',
        role: 'client',
        firstName: 'Copy',
        lastName: 'Cat',
        phone: craftsmanPhone,
      })
      .expect(409);
    // an invite link, used
    const link = await t.http
      .post(`/api/jobs/${job.id}/invite-links`)
      .set('Authorization', client.bearer)
      .send({})
      .expect(201);
    await t.http
      .post(`/api/invite-links/${link.body.token}/accept`)
      .set('Authorization', craftsman.bearer)
      .expect(201);
    // an email invitation, previewed through its link
    await invite(t, client, job.id, { email: inviteeEmail }).expect(201);
    const invitation = await tokenFromOutbox(inviteeEmail);
    await t.http.get(`/api/invitations/by-token/${invitation.token}`).expect(200);
    // a push device, registered and removed
    await t.http
      .post('/api/notifications/devices')
      .set('Authorization', craftsman.bearer)
      .send({ token: deviceToken, platform: 'android' })
      .expect(201);
    await t.http
      .delete(`/api/notifications/devices/${encodeURIComponent(deviceToken)}`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    // a password reset through the emailed link
    await t.http.post('/api/auth/forgot-password').send({ email: client.user.email }).expect(200);
    const reset = await tokenFromOutbox('Reset your password');
    await t.http
      .post('/api/auth/reset-password')
      .send({ token: reset.token, password: 'brand-new-password-1' })
      .expect(200);
    // a path no route matches, carrying a token
    await t.http.get(`/api/invitations/by-token/${invitation.token}/extra`).expect(404);

    const logs = await logText();
    const secrets = {
      inviteLinkToken: link.body.token as string,
      invitationToken: invitation.token,
      deviceToken,
      resetToken: reset.token,
      clientAccessToken: client.accessToken,
      craftsmanAccessToken: craftsman.accessToken,
      clientEmail: client.user.email,
      craftsmanEmail: craftsman.user.email,
      inviteeEmail,
      clientPhone,
      craftsmanPhone,
      clientPhoneDigits: clientPhone.slice(1),
      password: 'brand-new-password-1',
    };
    expect(Object.entries(secrets).filter(([, secret]) => logs.includes(secret))).toEqual([]);
    expect(await requestUrls()).toEqual(
      expect.arrayContaining([
        'POST /api/invite-links/<redacted>/accept',
        'GET /api/invitations/by-token/<redacted>',
        'DELETE /api/notifications/devices/<redacted>',
        'GET /api/invitations/by-token/<redacted>/extra',
        `POST /api/jobs/${job.id}/invite-links`,
      ]),
    );
    // the mail itself is there for the developer, readable by its owner only
    expect(readFileSync(reset.file, 'utf8')).toContain(`reset-password?token=${reset.token}`);
    expect(statSync(reset.file).mode & 0o777).toBe(0o600);
    expect(statSync(outbox).mode & 0o777).toBe(0o700);
  });
});
