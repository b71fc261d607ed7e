import { createApp } from '../../src/bootstrap.js';
import { ConfigValidationError } from '../../src/config/env.validation.js';
import { FakeClock } from '../support/fake-clock.js';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman } from '../support/session.js';
import { type ReceivedMail, TestMailbox } from '../support/smtp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const isResetMail = (mail: ReceivedMail) => mail.subject === 'Reset your password';

/** The claims of a JWT, read as any client could (no signature check). */
function claimsOf(token: string): { iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
    iat: number;
    exp: number;
  };
}

/** API.md, Conventions: every time span in configuration is an ISO-8601 duration. */
describe('Configuration: time spans as ISO-8601 durations', () => {
  let t: TestApp;
  const clock = new FakeClock();
  const mailbox = new TestMailbox();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      clock,
      env: {
        SMTP_URL: mailbox.url,
        INVITATION_TTL: 'PT30S',
        INVITATION_REMINDER_BEFORE: 'PT10S',
        PASSWORD_RESET_TTL: 'PT45S',
        JWT_EXPIRES_IN: 'PT90S',
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  it('INVITATION_TTL=PT30S: an invitation expires 30 seconds after it was sent', async () => {
    const client = await newClient(t);
    const craftsman = await newCraftsman(t);
    const job = await postJob(t, client);
    const sentFrom = clock.now().getTime();
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    const sentBy = clock.now().getTime();
    const read = () =>
      t.http
        .get(`/api/invitations/${invitation.id}`)
        .set('Authorization', craftsman.bearer)
        .expect(200);

    // sent at some instant of the app's clock between the two readings
    const expiresAt = Date.parse(invitation.expiresAt as string);
    expect(expiresAt).toBeGreaterThanOrEqual(sentFrom + 30_000);
    expect(expiresAt).toBeLessThanOrEqual(sentBy + 30_000);
    expect((await read()).body.status).toBe('pending');
    clock.advance(31_000);
    expect((await read()).body.status).toBe('expired');
    const accept = await t.http
      .post(`/api/invitations/${invitation.id}/accept`)
      .set('Authorization', craftsman.bearer)
      .expect(409);
    expect(accept.body.code).toBe('INVITATION_EXPIRED');
  });

  it('PASSWORD_RESET_TTL=PT45S: the email says 45 seconds, and the link is refused after them', async () => {
    await newClient(t, { email: 'short-reset@example.com' });

    await t.http
      .post('/api/auth/forgot-password')
      .send({ email: 'short-reset@example.com' })
      .expect(200);
    const mail = await mailbox.waitFor('short-reset@example.com', isResetMail);
    const token = /token=([\w-]+)/.exec(mail.text)?.[1];
    clock.advance(46_000);
    const reset = await t.http
      .post('/api/auth/reset-password')
      .send({ token, password: 'new-password-1' })
      .expect(400);

    expect(mail.text).toContain('The link works once, for 45 seconds.');
    expect(mail.html).toContain('The link works once, for 45 seconds.');
    expect(reset.body.code).toBe('INVALID_TOKEN');
  });

  it('JWT_EXPIRES_IN=PT90S: an access token is valid for 90 seconds', async () => {
    const session = await newClient(t);

    const { iat, exp } = claimsOf(session.accessToken);

    expect(exp - iat).toBe(90);
  });

  it('should refuse to boot, naming both variables, when the two forms of a span disagree', async () => {
    const boot = createApp({ NODE_ENV: 'test', INVITATION_TTL: 'P14D', INVITATION_TTL_DAYS: '30' });

    await expect(boot).rejects.toThrow(ConfigValidationError);
    await expect(boot).rejects.toThrow(
      /INVITATION_TTL="P14D" \(14 days\) and INVITATION_TTL_DAYS="30" \(30 days\) disagree/,
    );
  });

  it('should refuse to boot on a duration that is not one, naming the variable', async () => {
    await expect(createApp({ NODE_ENV: 'test', PASSWORD_RESET_TTL: 'P1M' })).rejects.toThrow(
      /PASSWORD_RESET_TTL="P1M": years and months have no fixed length/,
    );
  });
});
