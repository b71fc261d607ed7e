import { ApiProperty } from '@nestjs/swagger';
import {
  LedgerEntryKind,
  type LedgerEntryEntity,
  LedgerEntryState,
} from '../schemas/ledger-entry.schema.js';

export class PostingDto {
  /** The account's name, e.g. `craftsman:<id>:available`, `platform:adjustments`. */
  account!: string;
  /** Signed integer piastres. */
  amount!: number;
}

export class EntryLinksDto {
  job?: string;
  withdrawal?: string;
  payment?: string;
  dispute?: string;
}

/** A ledger entry as admins see it (`POST /admin/wallets/:userId/adjustments`). */
export class LedgerEntryResponseDto {
  id!: string;
  @ApiProperty({ enum: LedgerEntryKind })
  kind!: LedgerEntryKind;
  /** `posted` once applied to every account; `voided` when a balance guard refused it. */
  @ApiProperty({ enum: LedgerEntryState })
  state!: LedgerEntryState;
  /** The trigger's identity: one entry per key, however often it is replayed. */
  idempotencyKey!: string;
  postings!: PostingDto[];
  links!: EntryLinksDto;
  currency!: 'EGP';
  reason!: string | null;
  /** The admin who asked for it; null when the system did. */
  actor!: string | null;
  createdAt!: Date;

  static from(entry: LedgerEntryEntity): LedgerEntryResponseDto {
    return {
      id: entry.id,
      kind: entry.kind,
      state: entry.state,
      idempotencyKey: entry.idempotencyKey,
      postings: entry.postings.map(({ account, amount }) => ({ account, amount })),
      links: entry.links ?? {},
      currency: 'EGP',
      reason: entry.reason,
      actor: entry.actor,
      createdAt: entry.createdAt,
    };
  }
}

export class BalanceMismatchDto {
  account!: string;
  /** The balance the account caches, piastres. */
  cached!: number;
  /** The sum of its postings, piastres. */
  expected!: number;
}

/** `GET /admin/ledger/check`. */
export class LedgerCheckResponseDto {
  /** Σ of all posted postings is 0 and every posted entry sums to 0. */
  balanced!: boolean;
  /** How many entries exist (any state). */
  entries!: number;
  /** How many accounts exist. */
  accounts!: number;
  /** Accounts whose cached balance is not the sum of their postings. */
  mismatches!: BalanceMismatchDto[];
  /** Ids of posted entries whose postings don't sum to 0. */
  unbalancedEntries!: string[];
}
