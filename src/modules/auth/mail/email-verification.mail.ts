import type { MailMessage } from '../../../common/mail/mail.service.js';
import { type TokenLinkMailInput, tokenLinkMail } from './token-link.mail.js';

/** The link sent at sign-up (and on request) to prove the address; `ttlMs` is EMAIL_VERIFICATION_TTL. */
export function emailVerificationMail(input: TokenLinkMailInput): MailMessage {
  return tokenLinkMail(input, {
    subject: 'Confirm your email address',
    intro: 'Please confirm that this is your email address by opening this link:',
    htmlIntro: 'Please confirm that this is your email address:',
    linkText: 'Confirm my address',
    ifNotYou: 'If you did not sign up, ignore this email.',
  });
}
