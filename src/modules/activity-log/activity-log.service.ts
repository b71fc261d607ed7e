import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { Clock } from '../../common/clock/clock.js';
import type { EventActor } from '../../common/events/event-actor.js';
import { RequestContext, type RequestOrigin } from '../../common/http/request-context.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { UsersService } from '../users/users.service.js';
import { entryHash, GENESIS_HASH, plainDetails } from './activity-chain.js';
import { type ActivityAction, type ActivityTargetType, SYSTEM_ROLE } from './activity-actions.js';
import {
  type ActivitySearch,
  ActivityLogRepository,
  type ChainHead,
} from './activity-log.repository.js';
import type { ActivityEntryEntity } from './schemas/activity-entry.schema.js';

/** An action to record, as a listener derives it from a domain event. */
export interface ActivityRecord {
  /**
   * The action's own identity (`<action>:<target>[:<the event's time or id>]`): recorded once,
   * however often its event is published.
   */
  key: string;
  action: ActivityAction;
  /**
   * Who did it: a person with his role; a user's id alone, whose role is then the request's
   * caller's (when it is him) or read from his account; null for the system.
   */
  actor: EventActor | { id: string } | null;
  target: { type: ActivityTargetType; id: string };
  details?: Record<string, unknown>;
}

/** Where the chain check found it broken (`GET /admin/activity-log/verify`). */
export interface ChainBreak {
  /** The place in the chain where it breaks. */
  seq: number;
  /** The entry found there; null when the entries from there on are gone. */
  id: string | null;
  reason: 'hash_mismatch' | 'chain_mismatch' | 'missing_entry' | 'head_mismatch';
  expected: string;
  actual: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Entries checked, in chain order, up to the first break. */
  checked: number;
  head: ChainHead;
  firstBreak?: ChainBreak;
}

/**
 * An append loses a round only to another append (or to a crash's leftover it then repairs):
 * this many rounds is far beyond what concurrent actions cause.
 */
const MAX_APPEND_ROUNDS = 50;

const SYSTEM_ACTOR = { id: null, role: SYSTEM_ROLE };

/**
 * The activity log (API.md "Operations"): every important action recorded once, from the
 * domain events that announce them (ActivityListener), as a hash chain that `verify` checks.
 * Anchors: WorkOS audit logs (actor, action, targets, context) and Retraced.
 */
@Injectable()
export class ActivityLogService {
  constructor(
    private readonly repository: ActivityLogRepository,
    private readonly usersService: UsersService,
    private readonly clock: Clock,
  ) {}

  /**
   * Records an action, with the IP of the request that did it (none for the system's); null
   * when it was recorded before (its event was published again).
   */
  async record(record: ActivityRecord): Promise<ActivityEntryEntity | null> {
    const origin = RequestContext.current();
    return this.append({
      key: record.key,
      actor: await this.actorOf(record.actor, origin),
      action: record.action,
      target: { type: record.target.type, id: record.target.id },
      details: plainDetails(record.details ?? {}),
      ip: record.actor === null ? null : (origin?.ip ?? null),
    });
  }

  /** `GET /admin/activity-log`: newest first, by page or after a cursor. */
  list(
    search: ActivitySearch,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<ActivityEntryEntity>> {
    return this.repository.list(search, page);
  }

  /**
   * `GET /admin/activity-log/verify`: recomputes the chain in `seq` order, streaming, and
   * reports the first place where it breaks: an entry whose content no longer gives its hash
   * (edited), one that does not follow the entry before it (replaced, reordered), a `seq`
   * missing (removed), or a head that names another end than the entries (the last ones
   * removed). The head may lag one entry behind after a crash: that is no break.
   */
  async verify(): Promise<ChainVerification> {
    const head = await this.repository.readHead();
    let previous = GENESIS_HASH;
    let checked = 0;
    const broken = (firstBreak: ChainBreak): ChainVerification => ({
      ok: false,
      checked,
      head,
      firstBreak,
    });
    for await (const entry of this.repository.streamInChainOrder()) {
      const seq = checked + 1;
      if (entry.seq !== seq) {
        return broken({
          seq,
          id: entry.id,
          reason: 'missing_entry',
          expected: `seq ${seq}`,
          actual: `seq ${entry.seq}`,
        });
      }
      if (entry.prevHash !== previous) {
        return broken({
          seq,
          id: entry.id,
          reason: 'chain_mismatch',
          expected: previous,
          actual: entry.prevHash,
        });
      }
      const recomputed = entryHash(entry.prevHash, entry);
      if (recomputed !== entry.hash) {
        return broken({
          seq,
          id: entry.id,
          reason: 'hash_mismatch',
          expected: recomputed,
          actual: entry.hash,
        });
      }
      if (seq === head.seq && entry.hash !== head.hash) {
        return broken({
          seq,
          id: entry.id,
          reason: 'head_mismatch',
          expected: entry.hash,
          actual: head.hash,
        });
      }
      previous = entry.hash;
      checked = seq;
    }
    if (head.seq > checked) {
      return broken({
        seq: checked + 1,
        id: null,
        reason: 'missing_entry',
        expected: `seq ${head.seq}`,
        actual: checked === 0 ? 'no entries' : `seq ${checked}`,
      });
    }
    return { ok: true, checked, head };
  }

  /**
   * Appends at the head without a transaction: read the head, insert the next entry (the
   * unique `seq` lets one insert win each place), then move the head with a write guarded by
   * the `seq` it had. An entry whose key is taken was recorded before: nothing is added. A
   * place taken means the head is behind: another append won it, or a crash came between an
   * insert and its head's move; the head is moved past that entry, and the round tried again.
   * Each round stamps its entry (time, id) after reading the head: an entry is never older
   * than the one before it in the chain, so newest first by time is the chain's order.
   */
  private async append(
    draft: Omit<ActivityEntryEntity, 'id' | 'createdAt' | 'seq' | 'prevHash' | 'hash'>,
  ): Promise<ActivityEntryEntity | null> {
    for (let round = 0; round < MAX_APPEND_ROUNDS; round += 1) {
      const head = await this.repository.readHead();
      const seq = head.seq + 1;
      const content = {
        ...draft,
        id: new Types.ObjectId().toHexString(),
        createdAt: this.clock.now(),
        seq,
      };
      const entry: ActivityEntryEntity = {
        ...content,
        prevHash: head.hash,
        hash: entryHash(head.hash, content),
      };
      switch (await this.repository.insert(entry)) {
        case 'inserted':
          await this.repository.advanceHead(head.seq, { seq, hash: entry.hash });
          return entry;
        case 'recorded_before':
          return null;
        case 'seq_taken':
          await this.catchUp(head);
          break;
      }
    }
    throw new Error(`Could not append ${draft.key} to the activity log: the head kept moving`);
  }

  /** Moves a head that is behind to the entry right after it. */
  private async catchUp(head: ChainHead): Promise<void> {
    const next = await this.repository.findBySeq(head.seq + 1);
    if (next) {
      await this.repository.advanceHead(head.seq, { seq: next.seq, hash: next.hash });
    }
  }

  private async actorOf(
    actor: ActivityRecord['actor'],
    origin: RequestOrigin | undefined,
  ): Promise<ActivityEntryEntity['actor']> {
    if (actor === null) {
      return SYSTEM_ACTOR;
    }
    if ('role' in actor) {
      return { id: actor.id, role: actor.role };
    }
    if (origin?.user?.id === actor.id) {
      return { id: actor.id, role: origin.user.role };
    }
    // a replay outside the request (a sweep): his account says
    const [user] = await this.usersService.findByIdsInOrder([actor.id]);
    return { id: actor.id, role: user?.role ?? 'unknown' };
  }
}
