import { describeDuration } from '../../../config/duration.js';
import type { MailMessage } from '../../../common/mail/mail.service.js';
import { escapeHtml } from './password-reset.mail.js';

/** The link sent at sign-up (and on request) to prove the address. */
export function emailVerificationMail(input: {
  to: string;
  firstName: string;
  link: string;
  token: string;
  /** How long the link works, in ms (EMAIL_VERIFICATION_TTL). */
  ttlMs: number;
}): MailMessage {
  const { to, firstName, link, token, ttlMs } = input;
  const lifetime = describeDuration(ttlMs);
  return {
    to,
    subject: 'Confirm your email address',
    text: [
      `Hello ${firstName},`,
      '',
      'Please confirm that this is your email address by opening this link:',
      link,
      '',
      `Or enter this code in the app: ${token}`,
      '',
      `The link works once, for ${lifetime}. If you did not sign up, ignore this email.`,
    ].join('\n'),
    html: [
      `<p>Hello ${escapeHtml(firstName)},</p>`,
      '<p>Please confirm that this is your email address:</p>',
      `<p><a href="${escapeHtml(link)}">Confirm my address</a></p>`,
      `<p>Or enter this code in the app: <code>${escapeHtml(token)}</code></p>`,
      `<p>The link works once, for ${lifetime}. If you did not sign up, ignore this email.</p>`,
    ].join('\n'),
  };
}
