import { Injectable } from '@nestjs/common';
import { Role } from '../../common/auth/role.js';
import { invalidCursor, MAX_CURSOR_LENGTH } from '../../common/database/cursor.js';
import type { TimelineBound, TimelineRead } from '../../common/database/timeline.js';
import { DisputesService } from '../disputes/disputes.service.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { PaymentsService } from '../money/payments/payments.service.js';
import { WalletService } from '../money/wallet/wallet.service.js';
import { QuotesService } from '../quotes/quotes.service.js';
import { ReviewsService } from '../reviews/reviews.service.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { UsersService } from '../users/users.service.js';
import { ActivityLogRepository } from './activity-log.repository.js';
import {
  HistoryItemType,
  type UserHistoryItemDto,
  type UserHistoryResponseDto,
} from './dto/user-history.dto.js';

/** Where a page of the timeline ends: its last item's time, type and id. */
interface HistoryPosition {
  at: Date;
  type: HistoryItemType;
  id: string;
}

/** One kind of record of the user, read a page at a time in the timeline's order. */
interface HistorySource {
  type: HistoryItemType;
  read(read: TimelineRead): Promise<UserHistoryItemDto[]>;
}

const HISTORY_TYPES = new Set<string>(Object.values(HistoryItemType));

/**
 * A user's history for staff (`GET /admin/users/:userId/history`, API.md "Operations"): his
 * jobs, quotes, invitations, reviews, disputes, money and what the activity log recorded of
 * him (bans, verification decisions, deletion, and what he did as staff), as one timeline,
 * newest first, by cursor.
 *
 * Each kind of record is read from its own module, on an index that starts with the user's
 * field and sorts by time: a page reads `limit + 1` items of each source after the cursor,
 * merges them, and keeps `limit`. The order is total: time, then type, then id, all newest
 * (greatest) first; the cursor is the last item's three, so the next page starts exactly after
 * it in every source (TimelineBound).
 */
@Injectable()
export class UserHistoryService {
  constructor(
    private readonly usersService: UsersService,
    private readonly jobsService: JobsService,
    private readonly quotesService: QuotesService,
    private readonly invitationsService: InvitationsService,
    private readonly reviewsService: ReviewsService,
    private readonly disputesService: DisputesService,
    private readonly walletService: WalletService,
    private readonly paymentsService: PaymentsService,
    private readonly activity: ActivityLogRepository,
  ) {}

  /**
   * A page of the user's timeline after `page.after`.
   *
   * @throws 404 NOT_FOUND (no such user), 400 VALIDATION_FAILED (a cursor not of this list)
   */
  async historyOf(
    userId: string,
    page: { limit: number; after?: string },
  ): Promise<UserHistoryResponseDto> {
    const user = await this.usersService.getById(userId);
    const position = page.after === undefined ? null : decodePosition(page.after);
    const reads = await Promise.all(
      this.sourcesOf(user).map((source) =>
        source.read({ userId, before: boundIn(source.type, position), limit: page.limit + 1 }),
      ),
    );
    const merged = withoutDuplicates(reads.flat()).sort(newestFirst);
    const data = merged.slice(0, page.limit);
    const last = data.at(-1);
    // a source cut at limit + 1 may hold more, even when duplicates made the merge short
    const more = merged.length > page.limit || reads.some((items) => items.length > page.limit);
    return {
      data,
      pagination: {
        limit: page.limit,
        nextCursor: more && last ? encodePosition(last) : null,
      },
    };
  }

  /** What the user's role can have: a client's jobs and payments, a craftsman's quotes and wallet. */
  private sourcesOf(user: UserEntity): HistorySource[] {
    const activity: HistorySource[] = [
      { type: HistoryItemType.Activity, read: (read) => this.activityAbout(read) },
      { type: HistoryItemType.Activity, read: (read) => this.activityBy(read) },
    ];
    switch (user.role) {
      case Role.Client:
        return [
          { type: HistoryItemType.Job, read: (read) => this.jobs('client', read) },
          { type: HistoryItemType.Invitation, read: (read) => this.invitations('client', read) },
          ...this.shared(),
          { type: HistoryItemType.Payment, read: (read) => this.payments(read) },
          ...activity,
        ];
      case Role.Craftsman:
        return [
          { type: HistoryItemType.Job, read: (read) => this.jobs('craftsman', read) },
          { type: HistoryItemType.Quote, read: (read) => this.quotes(read) },
          {
            type: HistoryItemType.Invitation,
            read: (read) => this.invitations('craftsman', read),
          },
          ...this.shared(),
          { type: HistoryItemType.Money, read: (read) => this.money(read) },
          ...activity,
        ];
      case Role.Admin:
      case Role.Moderator:
        return activity;
    }
  }

  /** What both sides of the marketplace have: reviews both ways, disputes. */
  private shared(): HistorySource[] {
    return [
      { type: HistoryItemType.Review, read: (read) => this.reviews('reviewer', read) },
      { type: HistoryItemType.Review, read: (read) => this.reviews('reviewee', read) },
      { type: HistoryItemType.Dispute, read: (read) => this.disputes(read) },
    ];
  }

  private async jobs(side: 'client' | 'craftsman', read: TimelineRead) {
    return (await this.jobsService.historyOf(side, read)).map((job) => ({
      type: HistoryItemType.Job,
      action: side === 'client' ? 'job.posted' : 'job.hired',
      at: job.createdAt,
      id: job.id,
      details: {
        title: job.title,
        category: job.category,
        status: job.status,
        paymentType: job.paymentType,
        ...(side === 'client' ? { craftsman: job.craftsman } : { client: job.client }),
      },
    }));
  }

  private async quotes(read: TimelineRead) {
    return (await this.quotesService.historyOf(read)).map((quote) => ({
      type: HistoryItemType.Quote,
      action: 'quote.submitted',
      at: quote.createdAt,
      id: quote.id,
      details: { job: quote.job, price: quote.price, status: quote.status },
    }));
  }

  private async invitations(side: 'client' | 'craftsman', read: TimelineRead) {
    return (await this.invitationsService.historyOf(side, read)).map((invitation) => ({
      type: HistoryItemType.Invitation,
      action: side === 'client' ? 'invitation.sent' : 'invitation.received',
      at: invitation.createdAt,
      id: invitation.id,
      details: {
        job: invitation.job,
        status: invitation.status,
        ...(side === 'client'
          ? { craftsman: invitation.craftsman }
          : { client: invitation.client }),
      },
    }));
  }

  private async reviews(side: 'reviewer' | 'reviewee', read: TimelineRead) {
    return (await this.reviewsService.historyOf(side, read)).map((review) => ({
      type: HistoryItemType.Review,
      action: side === 'reviewer' ? 'review.written' : 'review.received',
      at: review.createdAt,
      id: review.id,
      details: {
        job: review.job,
        rating: review.rating,
        status: review.status,
        ...(side === 'reviewer' ? { reviewee: review.reviewee } : { reviewer: review.reviewer }),
      },
    }));
  }

  private async disputes(read: TimelineRead) {
    return (await this.disputesService.historyOf(read)).map((dispute) => ({
      type: HistoryItemType.Dispute,
      action: dispute.openedBy === read.userId ? 'dispute.opened' : 'dispute.opened_against',
      at: dispute.createdAt,
      id: dispute.id,
      details: {
        job: dispute.job,
        reason: dispute.reason,
        status: dispute.status,
        outcome: dispute.decision?.outcome ?? null,
      },
    }));
  }

  private async money(read: TimelineRead) {
    return (await this.walletService.historyOf(read)).map((transaction) => ({
      type: HistoryItemType.Money,
      action: `wallet.${transaction.type}`,
      at: transaction.createdAt,
      id: transaction.id,
      details: {
        amount: transaction.amount,
        status: transaction.status,
        gateway: transaction.gateway,
        job: transaction.job,
        withdrawal: transaction.withdrawal,
      },
    }));
  }

  private async payments(read: TimelineRead) {
    return (await this.paymentsService.historyOf(read)).map((payment) => ({
      type: HistoryItemType.Payment,
      action: 'payment.made',
      at: payment.createdAt,
      id: payment.id,
      details: {
        job: payment.job,
        amount: payment.amount,
        status: payment.status,
        provider: payment.provider,
        purpose: payment.purpose,
      },
    }));
  }

  /** What was done to him (a ban, a verification decision, his deletion). */
  private async activityAbout(read: TimelineRead) {
    return (await this.activity.findForHistory('target.id', read)).map(activityItem);
  }

  /** What he did that the log records (as staff: bans, resolutions, ...; his own requests). */
  private async activityBy(read: TimelineRead) {
    return (await this.activity.findForHistory('actor.id', read)).map(activityItem);
  }
}

function activityItem(entry: {
  id: string;
  action: string;
  createdAt: Date;
  actor: { id: string | null; role: string };
  target: { type: string; id: string };
  details: Record<string, unknown>;
}): UserHistoryItemDto {
  return {
    type: HistoryItemType.Activity,
    action: entry.action,
    at: entry.createdAt,
    id: entry.id,
    details: { actor: entry.actor, target: entry.target, ...entry.details },
  };
}

/**
 * The part of a source after `position` in the timeline's order (time, type, id; all
 * descending): at the same time, a source of a lesser type comes wholly after it, one of a
 * greater type wholly before, and the position's own type continues below its id.
 */
function boundIn(type: HistoryItemType, position: HistoryPosition | null): TimelineBound | null {
  if (!position) {
    return null;
  }
  if (type < position.type) {
    return { at: position.at, sameTime: 'all' };
  }
  if (type > position.type) {
    return { at: position.at, sameTime: 'none' };
  }
  return { at: position.at, sameTime: { idBelow: position.id } };
}

function newestFirst(a: UserHistoryItemDto, b: UserHistoryItemDto): number {
  return b.at.getTime() - a.at.getTime() || compare(b.type, a.type) || compare(b.id, a.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The activity entries both about and by him (his own requests) come from two reads. */
function withoutDuplicates(items: UserHistoryItemDto[]): UserHistoryItemDto[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.type}:${item.id}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** The cursor: base64url of `{t: ms, k: type, i: id}`, opaque to clients. */
function encodePosition(item: UserHistoryItemDto): string {
  const json = JSON.stringify({ t: item.at.getTime(), k: item.type, i: item.id });
  return Buffer.from(json, 'utf8').toString('base64url');
}

function decodePosition(text: string): HistoryPosition {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw invalidCursor();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const { t, k, i } = (parsed ?? {}) as { t?: unknown; k?: unknown; i?: unknown };
  if (
    typeof t !== 'number' ||
    !Number.isSafeInteger(t) ||
    // past ±8.64e15 ms a Date is invalid
    Number.isNaN(new Date(t).getTime()) ||
    typeof k !== 'string' ||
    !HISTORY_TYPES.has(k) ||
    typeof i !== 'string' ||
    !/^[0-9a-f]{24}$/.test(i)
  ) {
    throw invalidCursor();
  }
  return { at: new Date(t), type: k as HistoryItemType, id: i };
}
