import nodemailer from 'nodemailer';
import PostalMime from 'postal-mime';
import { CONTACT_MAIL_SUBJECT, contactMessageMail, displayNameOf } from './contact-message.mail.js';

const FROM = 'Craftsmen <no-reply@craftsmen.local>';
const SUPPORT = 'support@craftsmen.local';

/** The mail as nodemailer writes it to the wire (From added as MailService adds it). */
async function rawOf(mail: ReturnType<typeof contactMessageMail>): Promise<string> {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  const info = await transport.sendMail({ from: FROM, ...mail });
  return (info.message as Buffer).toString('utf8');
}

/** The header lines (unfolded) of a raw mail. */
function headersOf(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf('\n\n'));
  return head.replace(/\n[ \t]+/g, ' ').split('\n');
}

describe(contactMessageMail.name, () => {
  it('should go to support, From ours and Reply-To the sender, the message in the body only', async () => {
    const mail = contactMessageMail(SUPPORT, {
      name: 'Mona Adel',
      email: 'mona@example.com',
      message: 'Hello,\nhow do I become a craftsman?',
    });

    const headers = headersOf(await rawOf(mail));

    expect(mail.subject).toBe(CONTACT_MAIL_SUBJECT);
    expect(headers).toEqual(
      expect.arrayContaining([
        `From: ${FROM}`,
        `To: ${SUPPORT}`,
        'Reply-To: Mona Adel <mona@example.com>',
        `Subject: ${CONTACT_MAIL_SUBJECT}`,
      ]),
    );
    expect(mail.text).toContain('Name: Mona Adel\nEmail: mona@example.com');
    expect(mail.text).toContain('Hello,\nhow do I become a craftsman?');
  });

  it('should add no header for a name with line breaks, and keep the sender the only Reply-To', async () => {
    const mail = contactMessageMail(SUPPORT, {
      name: 'Eve\r\nBcc: victim@example.com\r\nX-Injected: 1',
      email: 'eve@example.com',
      message: 'hi\r\nBcc: other@example.com',
    });

    const headers = headersOf(await rawOf(mail));

    expect(mail.replyTo).toEqual({
      name: 'Eve Bcc: victim@example.com X-Injected: 1',
      address: 'eve@example.com',
    });
    expect(headers.filter((line) => /^(bcc|cc|x-injected):/i.test(line))).toEqual([]);
    expect(headers.filter((line) => /^reply-to:/i.test(line))).toEqual([
      expect.stringMatching(/<eve@example\.com>$/),
    ]);
  });

  it('should quote a name that looks like an address list, so that it names no other address', async () => {
    const mail = contactMessageMail(SUPPORT, {
      name: 'Eve" <attacker@evil.example>, "x',
      email: 'eve@example.com',
      message: 'hi',
    });
    const parsed = await PostalMime.parse(await rawOf(mail));

    expect(parsed.replyTo).toEqual([
      { name: 'Eve" <attacker@evil.example>, "x', address: 'eve@example.com' },
    ]);
  });

  it('should escape the sender’s words in the HTML', () => {
    const mail = contactMessageMail(SUPPORT, {
      name: '<b>Mona</b>',
      email: 'mona@example.com',
      message: '<script>alert(1)</script>',
    });

    expect(mail.html).not.toMatch(/<script>|<b>/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe(displayNameOf.name, () => {
  it('should put a name on one line with single spaces', () => {
    expect(displayNameOf(' Mona\u2028Adel\t\u0007 Saleh\n')).toBe('Mona Adel Saleh');
  });
});
