import type { MailMessage } from '../../../common/mail/mail.service.js';
import { formatDateTimeForPerson } from '../../../common/time/dates-for-people.js';
import { escapeHtml } from '../../auth/mail/token-link.mail.js';

/** To whom: the account's address and first name, read before anything is wiped. */
export interface DeletionMailInput {
  to: string;
  firstName: string;
}

/** Sent when the owner asks for the deletion: when it happens, and how to stop it. */
export function deletionScheduledMail(
  input: DeletionMailInput & { scheduledFor: Date; timeZone: string },
): MailMessage {
  const when = formatDateTimeForPerson(input.scheduledFor, input.timeZone);
  const lines = [
    `Your account will be deleted on ${when}.`,
    'Until then you can change your mind: sign in and cancel the deletion in your settings.',
    'Your name, email, phone, pictures, documents and devices will be removed. Records the law ' +
      'requires us to keep (payments and the ledger) and your jobs and ratings stay, under an ' +
      'anonymous account.',
    'If you did not ask for this, sign in, cancel it and change your password.',
  ];
  return plainAndHtml(input, 'Your account is scheduled for deletion', lines);
}

/** Sent once the account is anonymised, to the address it had. */
export function accountDeletedMail(input: DeletionMailInput): MailMessage {
  return plainAndHtml(input, 'Your account was deleted', [
    'Your account was deleted as you asked: we no longer hold your name, email, phone, ' +
      'pictures, documents or devices.',
    'You are welcome to sign up again at any time with this address.',
  ]);
}

function plainAndHtml(input: DeletionMailInput, subject: string, lines: string[]): MailMessage {
  return {
    to: input.to,
    subject,
    text: [`Hello ${input.firstName},`, '', ...lines.flatMap((line) => [line, ''])]
      .join('\n')
      .trimEnd(),
    html: [
      `<p>Hello ${escapeHtml(input.firstName)},</p>`,
      ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ].join('\n'),
  };
}
