import { formatEgp } from '../../../common/money.js';
import { formatDateTimeForPerson } from '../../../common/time/dates-for-people.js';
import { codePointLength, truncateText } from '../../../common/validation/text-length.js';
import { escapeHtml } from '../../auth/mail/token-link.mail.js';

/** Every type of notification, by the name of the event it tells about. */
export const NOTIFICATION_TYPES = [
  'invitation.created',
  'invitation.accepted',
  'invitation.rejected',
  'invitation.cancelled',
  'invitation.expired',
  'invitation.reminder',
  'invitation.claimed',
  'quote.submitted',
  'quote.accepted',
  'quote.declined',
  'quote.confirmed',
  'quote.withdrawn',
  'job.status_changed',
  'job.updated',
  'job.completion_requested',
  'job.auto_complete_reminder',
  'payment.held',
  'payment.refunded',
  'message.created',
  'user.registered',
  'user.verification_approved',
  'user.verification_rejected',
  'wallet.updated',
  'wallet.fee_reminder',
  'wallet.fee_debt_limit',
  'review.received',
  'reviews.published',
  'review.reminder',
  'dispute.opened',
  'dispute.evidence',
  'dispute.response_reminder',
  'dispute.resolved',
  'dispute.sla_alert',
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * What a template knows: names and titles looked up by the listener. Dates are instants; the
 * template writes them in the reader's time zone (see `renderNotification`).
 */
export interface TemplateContext {
  jobTitle?: string;
  clientName?: string;
  craftsmanName?: string;
  senderName?: string;
  status?: string;
  reason?: string | null;
  price?: number;
  previousPrice?: number;
  /** Fields that changed (a job's material edit). */
  fields?: string[];
  text?: string;
  firstName?: string;
  /** Invitation emails: the link with the token (only for the email channel). */
  respondLink?: string;
  expiresAt?: Date;
  /** The fee-debt limit (piastres). */
  limit?: number;
}

export interface RenderedNotification {
  title: string;
  message: string;
  email: { subject: string; text: string; html: string };
}

const quoted = (text = '') =>
  codePointLength(text) > 140 ? `${truncateText(text, 137)}...` : text;
const STATUS_WORDS: Record<string, string> = {
  posted: 'posted',
  quoted: 'quoted',
  hired: 'hired',
  on_the_way: 'on the way',
  in_progress: 'in progress',
  completed: 'completed',
  disputed: 'disputed',
  cancelled: 'cancelled',
};

/** Title and one-line message of each type; email bodies are built from them below. */
const TEXTS: Record<
  NotificationType,
  (c: TemplateContext, when: (date?: Date) => string) => { title: string; message: string }
> = {
  'invitation.created': (c) => ({
    title: 'New job invitation',
    message: `${c.clientName} invites you to "${c.jobTitle}".`,
  }),
  'invitation.accepted': (c) => ({
    title: 'Invitation accepted',
    message: `${c.craftsmanName} accepted your invitation to "${c.jobTitle}". You can chat now.`,
  }),
  'invitation.rejected': (c) => ({
    title: 'Invitation declined',
    message: `${c.craftsmanName ?? 'The invitee'} declined your invitation to "${c.jobTitle}"${c.reason ? `: ${c.reason}` : '.'}`,
  }),
  'invitation.cancelled': (c) => ({
    title: 'Invitation withdrawn',
    message: `The invitation to "${c.jobTitle}" is no longer open${c.reason ? ` (${c.reason})` : ''}.`,
  }),
  'invitation.expired': (c) => ({
    title: 'Invitation expired',
    message: `The invitation to "${c.jobTitle}" expired without an answer.`,
  }),
  'invitation.reminder': (c, when) => ({
    title: 'Invitation about to expire',
    message: `Your invitation to "${c.jobTitle}" expires on ${when(c.expiresAt)}. Accept or decline it before then.`,
  }),
  'invitation.claimed': (c) => ({
    title: 'Your invitee joined',
    message: `${c.craftsmanName} joined and can now answer your invitation to "${c.jobTitle}".`,
  }),
  'quote.submitted': (c) => ({
    title: 'New quote',
    message: `${c.craftsmanName} quoted ${formatEgp(c.price)} for "${c.jobTitle}".`,
  }),
  'quote.accepted': (c) => ({
    title: 'You are hired',
    message: `${c.clientName} accepted your quote of ${formatEgp(c.price)} for "${c.jobTitle}".`,
  }),
  'quote.declined': (c) => ({
    title: 'Quote not chosen',
    message: `Your quote for "${c.jobTitle}" was not chosen${c.reason ? ` (${c.reason})` : ''}.`,
  }),
  'quote.confirmed': (c) => ({
    title: 'Quote confirmed',
    message:
      c.previousPrice !== undefined && c.previousPrice !== c.price
        ? `${c.craftsmanName} confirmed his quote for "${c.jobTitle}" at a new price: ${formatEgp(c.price)} (was ${formatEgp(c.previousPrice)}).`
        : `${c.craftsmanName} confirmed his quote of ${formatEgp(c.price)} for "${c.jobTitle}".`,
  }),
  'quote.withdrawn': (c) => ({
    title: 'Quote withdrawn',
    message: `The quote of ${c.craftsmanName} for "${c.jobTitle}" was withdrawn${c.reason ? ` (${c.reason})` : ''}.`,
  }),
  'job.updated': (c) => ({
    title: 'A job you quoted changed',
    message: `The client changed the ${(c.fields ?? []).join(', ')} of "${c.jobTitle}". Confirm your quote (or change its price) so that it can be accepted.`,
  }),
  'job.status_changed': (c) => ({
    title: 'Job update',
    message: `"${c.jobTitle}" is now ${STATUS_WORDS[c.status ?? ''] ?? c.status}.`,
  }),
  'job.completion_requested': (c, when) => ({
    title: 'Work done: please confirm',
    message: `${c.craftsmanName} says "${c.jobTitle}" is done. Complete the job, or open a dispute, before ${when(c.expiresAt)}; after that it completes by itself and the payment is released.`,
  }),
  'job.auto_complete_reminder': (c, when) => ({
    title: 'Job completes soon',
    message: `"${c.jobTitle}" completes by itself on ${when(c.expiresAt)} and its payment goes to the craftsman. If something is wrong, open a dispute before then.`,
  }),
  'payment.held': (c) => ({
    title: 'Payment held',
    message: `${formatEgp(c.price)} for "${c.jobTitle}" is paid and held until the job is done.`,
  }),
  'payment.refunded': (c) => ({
    title: 'Payment refunded',
    message: `${formatEgp(c.price)} paid for "${c.jobTitle}" is being refunded to you${c.reason ? ` (${c.reason})` : ''}.`,
  }),
  'message.created': (c) => ({
    title: `Message from ${c.senderName}`,
    message: quoted(c.text),
  }),
  'user.registered': (c) => ({
    title: 'Welcome',
    message: `Welcome, ${c.firstName}! Your account is ready.`,
  }),
  'user.verification_approved': () => ({
    title: 'You are verified',
    message: 'Your documents were approved: clients now see you as a verified craftsman.',
  }),
  'user.verification_rejected': (c) => ({
    title: 'Verification not approved',
    message: `Your documents were not approved${c.reason ? `: ${c.reason}` : '.'} You can submit them again.`,
  }),
  'wallet.updated': (c) => ({
    title: 'Your wallet changed',
    message: `${c.text}.`,
  }),
  'wallet.fee_reminder': (c) => ({
    title: 'Platform fees to pay',
    message: `You owe ${formatEgp(c.price)} in platform fees for cash jobs. Top up your wallet to pay them; at ${formatEgp(c.limit)} you can no longer take cash jobs.`,
  }),
  'wallet.fee_debt_limit': (c) => ({
    title: 'Cash jobs paused',
    message: `You owe ${formatEgp(c.price)} in platform fees, the limit of ${formatEgp(c.limit)} or more: you can't quote cash jobs or be recommended for them until you top up your wallet to pay them.`,
  }),
  // never a score: a hidden review's rating is not shown to its reviewee before publication
  'review.received': (c, when) => ({
    title: 'You were reviewed',
    message: `${c.senderName} reviewed you for "${c.jobTitle}". You will see it once you review them too, or on ${when(c.expiresAt)}.`,
  }),
  'reviews.published': (c) => ({
    title: 'Reviews published',
    message: `The reviews of "${c.jobTitle}" are published: you can read what was said about you.`,
  }),
  'review.reminder': (c, when) => ({
    title: 'Review your job',
    message: `You have until ${when(c.expiresAt)} to review "${c.jobTitle}".`,
  }),
  'dispute.opened': (c, when) => ({
    title: 'A dispute was opened',
    message: `A dispute (${c.reason ?? 'other'}) was opened about "${c.jobTitle}". Its payment and reviews wait for the decision; give your side before ${when(c.expiresAt)}.`,
  }),
  'dispute.evidence': (c, when) => ({
    title: 'New evidence in your dispute',
    message: `The other side submitted evidence about "${c.jobTitle}". Answer before ${when(c.expiresAt)}.`,
  }),
  'dispute.response_reminder': (c, when) => ({
    title: 'Your answer to the dispute is due',
    message: `Your answer in the dispute about "${c.jobTitle}" is due on ${when(c.expiresAt)}.`,
  }),
  'dispute.resolved': (c) => ({
    title: 'Dispute resolved',
    message: `The dispute about "${c.jobTitle}" is resolved: ${c.status}.${c.text ? ` ${quoted(c.text)}` : ''}`,
  }),
  'dispute.sla_alert': (c) => ({
    title: 'Dispute needs attention',
    message: `The dispute about "${c.jobTitle}" is ${c.status}.`,
  }),
};

/**
 * The notification of `type` in every form: in-app and push (title, message) and email (plain
 * text and HTML, with a link into the app). Dates are written in `timeZone`, the reader's (an
 * IANA name, already validated: an unknown one throws RangeError).
 */
export function renderNotification(
  type: NotificationType,
  context: TemplateContext,
  appLink: string,
  timeZone: string,
): RenderedNotification {
  const when = (date?: Date) => (date ? formatDateTimeForPerson(date, timeZone) : '');
  const { title, message } = TEXTS[type](context, when);
  const link = context.respondLink ?? appLink;
  const action = context.respondLink ? 'Answer the invitation' : 'Open in the app';
  return {
    title,
    message,
    email: {
      subject: title === 'New job invitation' ? `${title}: ${context.jobTitle}` : title,
      text: `${message}\n\n${action}: ${link}\n`,
      html: `<p>${escapeHtml(message)}</p>\n<p><a href="${escapeHtml(link)}">${action}</a></p>`,
    },
  };
}

export function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}
