import { ApiProperty } from '@nestjs/swagger';

/** The end of the chain, as the head document records it. */
export class ChainHeadDto {
  seq!: number;
  /** The last entry's `digest` (the chain's sha256, hex). */
  digest!: string;
}

/** The first place where the chain does not hold. */
export class ChainBreakDto {
  /** The place in the chain where it breaks. */
  seq!: number;
  /** The entry found there; null when the entries from there on are gone. */
  id!: string | null;
  /**
   * `hash_mismatch`: the entry's content no longer gives its hash (edited); `chain_mismatch`:
   * it does not follow the entry before it; `missing_entry`: a `seq` is gone; `head_mismatch`:
   * the head names another end.
   */
  @ApiProperty({ enum: ['hash_mismatch', 'chain_mismatch', 'missing_entry', 'head_mismatch'] })
  reason!: 'hash_mismatch' | 'chain_mismatch' | 'missing_entry' | 'head_mismatch';
  /** What the chain says should be there (a hash, or a `seq`). */
  expected!: string;
  /** What is there. */
  actual!: string;
}

/** `GET /admin/activity-log/verify`. */
export class ChainVerificationResponseDto {
  /** True when every entry hashes to its stored hash, in order, without gaps, up to the head. */
  ok!: boolean;
  /** Entries checked in chain order (up to the first break). */
  checked!: number;
  head!: ChainHeadDto;
  firstBreak?: ChainBreakDto;
}
