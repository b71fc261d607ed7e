import type { MailMessage } from '../../../common/mail/mail.service.js';
import { type TokenLinkMailInput, tokenLinkMail } from './token-link.mail.js';

/** The reset link; `ttlMs` is PASSWORD_RESET_TTL. */
export function passwordResetMail(input: TokenLinkMailInput): MailMessage {
  return tokenLinkMail(input, {
    subject: 'Reset your password',
    intro: 'Someone asked to reset the password of your account. If it was you, open this link:',
    htmlIntro: 'Someone asked to reset the password of your account. If it was you:',
    linkText: 'Choose a new password',
    ifNotYou: 'If you did not ask for it, ignore this email.',
  });
}
