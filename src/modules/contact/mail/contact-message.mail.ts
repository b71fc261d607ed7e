import type { MailMessage } from '../../../common/mail/mail.service.js';
import { escapeHtml } from '../../auth/mail/token-link.mail.js';

/** What the contact form sent, validated (`SendContactMessageDto`). */
export interface ContactMessage {
  name: string;
  email: string;
  message: string;
}

/**
 * A mail to support that support answers by replying: `replyTo` is the sender, `From` stays
 * MAIL_FROM (MailService adds it). Sending it From the sender's address would fail DMARC
 * alignment (RFC 7489 §3.1) for any sender whose domain publishes a policy, and the mail would
 * be rejected or filed as spam.
 */
export interface ContactMail extends MailMessage {
  replyTo: { name: string; address: string };
}

/**
 * The same subject for every message: the deliveries collection keeps a sent mail's recipient
 * and subject (not its body), and a sender's name has no business staying there.
 */
export const CONTACT_MAIL_SUBJECT = 'Contact form message';

/** Control characters and line separators: never in a header, even encoded. */
const CONTROL = /[\p{Cc}\u2028\u2029]+/gu;

/** The sender's name as a header's display name: one line, single spaces. */
export function displayNameOf(name: string): string {
  return name.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The contact form's message as a mail to `supportEmail`. The sender's words are in the body
 * only (escaped in the HTML); the one header they reach is Reply-To's display name, on one line
 * and encoded by nodemailer, so that no newline in a name can add a header.
 */
export function contactMessageMail(supportEmail: string, input: ContactMessage): ContactMail {
  const name = displayNameOf(input.name);
  return {
    to: supportEmail,
    replyTo: { name, address: input.email },
    subject: CONTACT_MAIL_SUBJECT,
    text: [
      'A message from the contact form.',
      '',
      `Name: ${name}`,
      `Email: ${input.email}`,
      '',
      input.message,
      '',
      'Reply to this email to answer the sender.',
    ].join('\n'),
    html: [
      '<p>A message from the contact form.</p>',
      `<p>Name: ${escapeHtml(name)}<br>Email: ${escapeHtml(input.email)}</p>`,
      `<p style="white-space: pre-wrap">${escapeHtml(input.message)}</p>`,
      '<p>Reply to this email to answer the sender.</p>',
    ].join('\n'),
  };
}
