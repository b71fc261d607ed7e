import type { MailMessage } from '../../../common/mail/mail.service.js';
import { describeDuration } from '../../../config/duration.js';

export function passwordResetMail(input: {
  to: string;
  firstName: string;
  link: string;
  token: string;
  /** How long the link works, in ms (PASSWORD_RESET_TTL). */
  ttlMs: number;
}): MailMessage {
  const { to, firstName, link, token, ttlMs } = input;
  const lifetime = describeDuration(ttlMs);
  return {
    to,
    subject: 'Reset your password',
    text: [
      `Hello ${firstName},`,
      '',
      'Someone asked to reset the password of your account. If it was you, open this link:',
      link,
      '',
      `Or enter this code in the app: ${token}`,
      '',
      `The link works once, for ${lifetime}. If you did not ask for it, ignore this email.`,
    ].join('\n'),
    html: [
      `<p>Hello ${escapeHtml(firstName)},</p>`,
      '<p>Someone asked to reset the password of your account. If it was you:</p>',
      `<p><a href="${escapeHtml(link)}">Choose a new password</a></p>`,
      `<p>Or enter this code in the app: <code>${escapeHtml(token)}</code></p>`,
      `<p>The link works once, for ${lifetime}. If you did not ask for it, ignore this email.</p>`,
    ].join('\n'),
  };
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
