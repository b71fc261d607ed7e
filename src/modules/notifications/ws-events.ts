import type { MessageResponseDto } from '../conversations/dto/conversation-response.dto.js';
import type {
  AcceptedInvitationResponseDto,
  InvitationResponseDto,
} from '../invitations/dto/invitation-response.dto.js';
import type { DisputeResponseDto } from '../disputes/dto/dispute-response.dto.js';
import type { JobResponseDto } from '../jobs/dto/job-response.dto.js';
import type { QuoteResponseDto } from '../quotes/dto/quote-response.dto.js';
import type { PaymentResponseDto } from '../money/payments/dto/payment.dto.js';
import type { WalletBalanceResponseDto } from '../money/wallet/dto/wallet-balance-response.dto.js';
import type { NotificationResponseDto } from './dto/notification-response.dto.js';

/** What the server sends on the socket: the stored notification, and each changed resource. */
export interface ServerToClientEvents {
  notification: (notification: NotificationResponseDto) => void;
  'invitation.created': (invitation: InvitationResponseDto) => void;
  'invitation.accepted': (accepted: AcceptedInvitationResponseDto) => void;
  'invitation.rejected': (invitation: InvitationResponseDto) => void;
  'invitation.cancelled': (invitation: InvitationResponseDto) => void;
  'invitation.expired': (invitation: InvitationResponseDto) => void;
  'quote.submitted': (quote: QuoteResponseDto) => void;
  'quote.accepted': (quote: QuoteResponseDto) => void;
  'quote.confirmed': (quote: QuoteResponseDto) => void;
  'job.status_changed': (job: JobResponseDto) => void;
  /** A material edit of a job the craftsman quoted: the job as he sees it. */
  'job.updated': (job: JobResponseDto) => void;
  'message.created': (message: MessageResponseDto & { conversation: string }) => void;
  /** A craftsman's money moved (a fee, an adjustment, a withdrawal): his new balance. */
  'wallet.updated': (balance: WalletBalanceResponseDto) => void;
  /** A payment of the user's job moved (held, refunded): the payment as he sees it. */
  'payment.updated': (payment: PaymentResponseDto) => void;
  /** A dispute of the user's job opened, got evidence or was resolved: as a party sees it. */
  'dispute.updated': (dispute: DisputeResponseDto) => void;
}

export type SubscribeAck = { ok: true } | { ok: false; code: string };

/** What a client may send. */
export interface ClientToServerEvents {
  'job.subscribe': (body: { jobId: string }, ack: (result: SubscribeAck) => void) => void;
  'job.unsubscribe': (body: { jobId: string }, ack: (result: SubscribeAck) => void) => void;
}

export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
