import type { MailMessage } from '../../../common/mail/mail.service.js';
import { describeDuration } from '../../../config/duration.js';

/** Who gets a single-use link, the link, its token (typed in the app instead) and its lifetime. */
export interface TokenLinkMailInput {
  to: string;
  firstName: string;
  link: string;
  token: string;
  /** How long the link works, in ms. */
  ttlMs: number;
}

/** What one kind of single-use link mail says around the link. */
export interface TokenLinkWording {
  subject: string;
  /** The sentence before the link in the plain text (ends with a colon). */
  intro: string;
  /** The same sentence in HTML, before a link named `linkText`. */
  htmlIntro: string;
  linkText: string;
  /** The closing advice to whoever did not ask for the mail. */
  ifNotYou: string;
}

/** A mail carrying a single-use link and its code, in plain text and HTML alike. */
export function tokenLinkMail(input: TokenLinkMailInput, wording: TokenLinkWording): MailMessage {
  const { to, firstName, link, token, ttlMs } = input;
  const closing = `The link works once, for ${describeDuration(ttlMs)}. ${wording.ifNotYou}`;
  return {
    to,
    subject: wording.subject,
    text: [
      `Hello ${firstName},`,
      '',
      wording.intro,
      link,
      '',
      `Or enter this code in the app: ${token}`,
      '',
      closing,
    ].join('\n'),
    html: [
      `<p>Hello ${escapeHtml(firstName)},</p>`,
      `<p>${wording.htmlIntro}</p>`,
      `<p><a href="${escapeHtml(link)}">${wording.linkText}</a></p>`,
      `<p>Or enter this code in the app: <code>${escapeHtml(token)}</code></p>`,
      `<p>${closing}</p>`,
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
