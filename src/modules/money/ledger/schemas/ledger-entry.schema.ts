import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/** What moved the money; the trigger's identity is in the entry's `idempotencyKey`. */
export enum LedgerEntryKind {
  /** An admin's signed correction or goodwill credit (`adjustment:<userId>:<key>`). */
  Adjustment = 'adjustment',
  /** The platform fee of a completed cash job, owed by the craftsman (`fee:<jobId>`). */
  CashJobFee = 'cash_job_fee',
  /** Money the craftsman has moves to pay the fees he owes (`fee_settlement:<trigger>`). */
  FeeSettlement = 'fee_settlement',
  /** A withdrawal is requested: available → pending payout (`withdrawal:<id>:request`). */
  WithdrawalRequest = 'withdrawal_request',
  /** The payout left through its gateway (`withdrawal:<id>:paid`). */
  PayoutPaid = 'payout_paid',
  /** The payout failed or was returned: back to available (`withdrawal:<id>:failed`). */
  PayoutFailed = 'payout_failed',
  /** A client's payment came in: gateway → the job's escrow (`payment:<id>:hold`). */
  EscrowHold = 'escrow_hold',
  /**
   * The job completed: escrow → the craftsman's wallet (price − fee) and the platform's revenue
   * (the fee) (`release:<jobId>`).
   */
  EscrowRelease = 'escrow_release',
  /** Escrow given back to the client through the gateway (`payment:<id>:refund`). */
  EscrowRefund = 'escrow_refund',
  /**
   * A payment refunded after its release (at the gateway, or by a dispute): the gateway gets it
   * back from the craftsman, who owes it (`fees_owed`), and from the platform's fee
   * (`payment:<id>:clawback`).
   */
  PaymentClawback = 'payment_clawback',
  /** A craftsman's top-up came in: gateway → his wallet (`payment:<id>:hold`). */
  TopUp = 'top_up',
  /**
   * A dispute split the job's payment: the client's share back to the gateway, the craftsman's
   * share minus its fee to him, the fee to the platform; from the escrow, or taken back after a
   * release (`dispute:<disputeId>:split`).
   */
  DisputeSplit = 'dispute_split',
  /**
   * A cash job's fee given back: a dispute decided the craftsman was not paid (platform's
   * revenue → his wallet, `fee:<jobId>:reversal`).
   */
  FeeReversal = 'fee_reversal',
}

/**
 * Where an entry is in being applied to its accounts (MongoDB's two-phase commit):
 * `pending` (written, being applied) → `posted`; or, when an account's guard refuses a posting,
 * `pending` → `voiding` (what was applied is being taken back) → `voided`. Only `posted`
 * entries count in balances once settled; a sweeper finishes what a crash left pending or voiding.
 */
export enum LedgerEntryState {
  Pending = 'pending',
  Voiding = 'voiding',
  Posted = 'posted',
  Voided = 'voided',
}

/** The wallet transaction types of API.md ("Money", `GET /wallet/transactions`). */
export enum WalletTransactionType {
  Deposit = 'deposit',
  Withdrawal = 'withdrawal',
  Payout = 'payout',
  Fee = 'fee',
  Refund = 'refund',
  EscrowRelease = 'escrow_release',
  FeeSettlement = 'fee_settlement',
  Adjustment = 'adjustment',
}

export enum WalletTransactionStatus {
  Pending = 'pending',
  Completed = 'completed',
  Failed = 'failed',
}

export type Gateway = 'stripe' | 'fawry' | 'paymob' | 'manual' | 'system';
export const GATEWAYS: readonly Gateway[] = ['stripe', 'fawry', 'paymob', 'manual', 'system'];

@Schema({ _id: false })
export class Posting {
  /** An account name (`ledger-accounts.ts`). */
  @Prop({ required: true })
  account!: string;

  /** Signed integer piastres, never 0. */
  @Prop({ required: true })
  amount!: number;
}
const PostingSchema = SchemaFactory.createForClass(Posting);

/**
 * How an entry shows in its craftsman's wallet (`GET /wallet/transactions`): a view kept on the
 * entry so that the list is one indexed read. `status` of a withdrawal follows its payout; the
 * postings never change.
 */
@Schema({ _id: false })
export class WalletView {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  holder!: Types.ObjectId;

  @Prop({ required: true, enum: WalletTransactionType })
  type!: WalletTransactionType;

  /** Signed piastres: what it did to the craftsman's money. */
  @Prop({ required: true })
  amount!: number;

  @Prop({ required: true, enum: WalletTransactionStatus })
  status!: WalletTransactionStatus;

  @Prop({ required: true, enum: GATEWAYS })
  gateway!: Gateway;

  @Prop({ type: String, default: null })
  gatewayTransactionId!: string | null;
}
const WalletViewSchema = SchemaFactory.createForClass(WalletView);

/** One journal entry: all its postings, summing to zero, applied exactly once. */
@Schema({ collection: 'ledger_entries', timestamps: { createdAt: true, updatedAt: false } })
export class LedgerEntry {
  /** The trigger's identity (`fee:<jobId>`, `withdrawal:<id>:request`): a replay inserts nothing. */
  @Prop({ required: true, unique: true })
  idempotencyKey!: string;

  @Prop({ required: true, enum: LedgerEntryKind })
  kind!: LedgerEntryKind;

  @Prop({ type: [PostingSchema], required: true })
  postings!: Posting[];

  @Prop({ required: true, enum: LedgerEntryState, default: LedgerEntryState.Pending })
  state!: LedgerEntryState;

  /** What it is about; each is an ObjectId hex string. */
  @Prop({ type: SchemaTypes.Mixed, default: {} })
  links!: EntryLinks;

  @Prop({ type: WalletViewSchema, default: null })
  wallet!: WalletView | null;

  /** A hash of the request that asked for it (Idempotency-Key reused with another body: 409). */
  @Prop({ type: String, default: null })
  requestHash!: string | null;

  /** Why, in words (adjustments). */
  @Prop({ type: String, default: null })
  reason!: string | null;

  /** Who asked for it (an admin's id for adjustments); null for the system. */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  actor!: Types.ObjectId | null;

  /** Until when the instance that wrote it is applying it; after, the sweeper may take over. */
  @Prop({ required: true })
  leaseUntil!: Date;

  /** When it became posted or voided. */
  @Prop({ type: Date, default: null })
  settledAt!: Date | null;

  /** Why a guard refused it (voided entries). */
  @Prop({ type: String, default: null })
  voidReason!: string | null;

  /** Its id was removed from its accounts' `pendingEntries` after settling. */
  @Prop({ default: false })
  compacted!: boolean;
}

export interface EntryLinks {
  job?: string;
  withdrawal?: string;
  payment?: string;
  dispute?: string;
}

export type LedgerEntryDocument = HydratedDocument<LedgerEntry>;
export const LedgerEntrySchema = SchemaFactory.createForClass(LedgerEntry);
// the sweeper: entries a crash left pending or voiding, once their lease ended
LedgerEntrySchema.index({ state: 1, leaseUntil: 1 });
// compaction: settled entries whose ids still sit on their accounts
LedgerEntrySchema.index({ compacted: 1, settledAt: 1 });
// a craftsman's wallet transactions, newest first (the tie-break `_id` ends the index)
LedgerEntrySchema.index({ 'wallet.holder': 1, state: 1, createdAt: -1, _id: -1 });

export interface LedgerEntryEntity {
  id: string;
  idempotencyKey: string;
  kind: LedgerEntryKind;
  postings: Posting[];
  state: LedgerEntryState;
  links: EntryLinks;
  wallet: {
    holder: string;
    type: WalletTransactionType;
    amount: number;
    status: WalletTransactionStatus;
    gateway: Gateway;
    gatewayTransactionId: string | null;
  } | null;
  requestHash: string | null;
  reason: string | null;
  actor: string | null;
  leaseUntil: Date;
  settledAt: Date | null;
  voidReason: string | null;
  compacted: boolean;
  createdAt: Date;
}
