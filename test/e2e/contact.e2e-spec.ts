import { TestMailbox } from '../support/smtp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SUPPORT_EMAIL = 'help-desk@craftsmen.test';
const MAIL_FROM = 'Craftsmen <no-reply@craftsmen.test>';
const PER_IP = 5;
const PER_EMAIL = 3;

/** A unique TEST-NET address (RFC 5737) per call: each test is a client of its own. */
let lastOctet = 0;
const newClientIp = () => `198.51.100.${++lastOctet}`;

/** A unique sender address. */
let senders = 0;
const newSender = () => `sender${++senders}@example.com`;

describe('Contact form (POST /api/send-email)', () => {
  let t: TestApp;
  const mailbox = new TestMailbox();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      env: {
        SMTP_URL: mailbox.url,
        MAIL_FROM,
        SUPPORT_EMAIL,
        CONTACT_RATE_LIMIT_PER_IP: String(PER_IP),
        CONTACT_RATE_LIMIT_PER_EMAIL: String(PER_EMAIL),
        CONTACT_RATE_LIMIT_WINDOW: 'PT1H',
        // the requests come through a proxy on 127.0.0.1 that names the client's address
        TRUST_PROXY: '127.0.0.1',
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  function send(body: Record<string, unknown>, clientIp = newClientIp()) {
    return t.http.post('/api/send-email').set('X-Forwarded-For', clientIp).send(body);
  }

  it('should mail support, From our address and Reply-To the sender, and answer 200', async () => {
    const email = newSender();
    const message = 'Hello,\nhow do I list my carpentry services?\n\nThanks';

    const response = await send({ name: '  Mona Adel ', email, message }).expect(200);
    const [mail] = await mailbox.waitForReplyTo(email);

    expect(response.body).toEqual({ message: 'Email sent successfully.' });
    expect(mail.to).toEqual([SUPPORT_EMAIL]);
    expect(mail.parsed.from).toEqual({ name: 'Craftsmen', address: 'no-reply@craftsmen.test' });
    expect(mail.parsed.replyTo).toEqual([{ name: 'Mona Adel', address: email }]);
    expect(mail.parsed.text).toContain(message);
    expect(mail.parsed.text).toContain(`Email: ${email}`);
  });

  it('should keep the sender’s address as normalized, and reply to that', async () => {
    await send({ name: 'Karim', email: '  Karim.Adel@Example.COM ', message: 'Hi' }).expect(200);

    const [mail] = await mailbox.waitForReplyTo('karim.adel@example.com');

    expect(mail.parsed.replyTo).toEqual([{ name: 'Karim', address: 'karim.adel@example.com' }]);
  });

  it('should keep neither the message nor the sender in the logs, nor in the sent delivery', async () => {
    const email = newSender();
    const message = `A sentence only this test wrote ${Date.now()}`;

    await send({ name: 'Rana Private', email, message }).expect(200);
    await mailbox.waitForReplyTo(email);
    const lines = (await t.readLog('combined.log')).map((line) => JSON.stringify(line));
    const deliveries = await t.connection
      .collection('deliveries')
      .find({ 'payload.to': SUPPORT_EMAIL, status: 'sent' })
      .toArray();

    expect(lines.filter((line) => line.includes('Contact message queued'))).not.toEqual([]);
    expect(lines.filter((line) => /Rana Private|A sentence only this test/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.includes(email))).toEqual([]);
    expect(deliveries).not.toEqual([]);
    expect(JSON.stringify(deliveries)).not.toMatch(/Rana Private|A sentence only this test/);
    expect(JSON.stringify(deliveries)).not.toContain(email);
  });

  describe('validation', () => {
    it('should answer 400 VALIDATION_FAILED with one detail per bad field, and send nothing', async () => {
      const sent = mailbox.received.length;

      const response = await send({
        name: '',
        email: 'not-an-address',
        message: 'x'.repeat(5001),
      }).expect(400);

      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(
        (response.body.details as Array<{ field: string }>).map((d) => d.field).sort(),
      ).toEqual(['email', 'message', 'name']);
      expect(mailbox.received).toHaveLength(sent);
    });

    it('should take a name of 100 characters and a message of 5,000, and not one more', async () => {
      const email = newSender();

      await send({ name: 'n'.repeat(100), email, message: '😀'.repeat(5000) }).expect(200);
      const [mail] = await mailbox.waitForReplyTo(email);
      const longName = await send({ name: 'n'.repeat(101), email, message: 'Hi' }).expect(400);
      const missing = await send({ email }).expect(400);

      expect(mail.parsed.text).toContain('😀'.repeat(5000));
      expect(longName.body.details).toEqual([
        { field: 'name', message: 'name must be 1 to 100 characters long' },
      ]);
      expect((missing.body.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(
        ['message', 'name'],
      );
    });

    it('should refuse fields it does not know', async () => {
      const response = await send({
        name: 'Mona',
        email: newSender(),
        message: 'Hi',
        cc: 'someone@example.com',
      }).expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(response.body.details)).toContain('cc');
    });
  });

  describe('header injection', () => {
    it('should refuse a name with line breaks (400) and send no mail, to no one', async () => {
      const email = newSender();
      const after = newSender();

      const response = await send({
        name: 'Eve\r\nBcc: victim@example.com\r\nX-Injected: yes',
        email,
        message: 'Hi',
      }).expect(400);
      // mails go out in the order they were queued: one queued before would be here by now
      await send({ name: 'After', email: after, message: 'Hi' }).expect(200);
      await mailbox.waitForReplyTo(after);

      expect(response.body.details).toEqual([
        { field: 'name', message: 'name must be one line, without control characters' },
      ]);
      expect(mailbox.repliesTo(email)).toEqual([]);
      expect(mailbox.received.filter((mail) => mail.to.join() !== SUPPORT_EMAIL)).toEqual([]);
    });

    it('should add no header and no recipient for a name written like an address list', async () => {
      const email = newSender();
      const name = 'Eve" <attacker@evil.example>, Bcc: victim@example.com';

      await send({ name, email, message: 'Line one\r\nBcc: other@example.com' }).expect(200);
      const [mail] = await mailbox.waitForReplyTo(email);

      expect(mail.to).toEqual([SUPPORT_EMAIL]);
      expect(mail.parsed.replyTo).toEqual([{ name, address: email }]);
      expect(mail.parsed.headers.map((header) => header.key)).not.toEqual(
        expect.arrayContaining(['bcc']),
      );
      expect(mail.parsed.headers.filter((header) => header.key === 'reply-to')).toHaveLength(1);
      expect(mail.parsed.text).toContain('Line one\nBcc: other@example.com');
    });
  });

  describe('rate limits', () => {
    it(`should answer the ${PER_IP + 1}th message from one client address with 429, and still take other addresses'`, async () => {
      const clientIp = newClientIp();
      for (let index = 0; index < PER_IP; index += 1) {
        await send(
          { name: 'Busy', email: newSender(), message: `Message ${index}` },
          clientIp,
        ).expect(200);
      }

      const limited = await send(
        { name: 'Busy', email: newSender(), message: 'One more' },
        clientIp,
      );
      const otherClient = await send({ name: 'Other', email: newSender(), message: 'Hi' });

      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({
        code: 'RATE_LIMITED',
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(limited.body.details.retryAfterSeconds).toBeGreaterThan(3500);
      expect(otherClient.status).toBe(200);
    });

    it(`should answer the ${PER_EMAIL + 1}th message from one sender address with 429, from any client address and in any spelling`, async () => {
      const email = newSender();
      const spellings = [email, email.toUpperCase(), ` ${email}`];
      for (const spelling of spellings) {
        await send({ name: 'Mona', email: spelling, message: 'Hi' }).expect(200);
      }

      const limited = await send({ name: 'Mona', email, message: 'Hi again' });
      const otherSender = await send({ name: 'Mona', email: newSender(), message: 'Hi' });
      await mailbox.waitForReplyTo(email, PER_EMAIL);

      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(otherSender.status).toBe(200);
      expect(mailbox.repliesTo(email)).toHaveLength(PER_EMAIL);
    });
  });
});
