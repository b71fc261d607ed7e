import { createHash, randomUUID } from 'node:crypto';
import { formatEgp } from '../../../common/money.js';
import { Injectable } from '@nestjs/common';
import type { TimelineRead } from '../../../common/database/timeline.js';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import { Role } from '../../../common/auth/role.js';
import { DomainEvents } from '../../../common/events/domain-events.js';
import { actorOf } from '../../../common/events/event-actor.js';
import {
  type CursorPageRequest,
  type CursorPaginated,
  mapPage,
} from '../../../common/pagination/paginated.js';
import { UsersService } from '../../users/users.service.js';
import { FeeDebtPolicy } from '../fees/fee-debt.policy.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import {
  LedgerEntriesRepository,
  type WalletTransactionFilter,
} from '../ledger/ledger-entries.repository.js';
import { LedgerService } from '../ledger/ledger.service.js';
import {
  type Gateway,
  LedgerEntryKind,
  type LedgerEntryEntity,
  LedgerEntryState,
  WalletTransactionStatus,
  WalletTransactionType,
} from '../ledger/schemas/ledger-entry.schema.js';
import type { WalletBalanceResponseDto } from './dto/wallet-balance-response.dto.js';
import type { WalletTransactionResponseDto } from './dto/wallet-transaction.dto.js';
import { WalletAdjustedEvent } from './events/wallet-adjusted.event.js';
import { WalletChangedEvent } from './events/wallet-changed.event.js';
import { WalletErrors } from './wallet.errors.js';

/** A hash of what a request asked for, to tell a retry from a reuse of its Idempotency-Key. */
export function requestHashOf(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * How an entry shows in its craftsman's wallet (`GET /wallet/transactions`): `amount` is signed
 * piastres, what it did to his money; completed and moved by the system unless said otherwise.
 */
export function walletView(
  holder: string,
  type: WalletTransactionType,
  amount: number,
  {
    status = WalletTransactionStatus.Completed,
    gateway = 'system',
  }: { status?: WalletTransactionStatus; gateway?: Gateway } = {},
): NonNullable<LedgerEntryEntity['wallet']> {
  return { holder, type, amount, status, gateway, gatewayTransactionId: null };
}

/**
 * The craftsman's wallet (API.md "Money"): balances as projections of the ledger, his
 * transactions, admins' adjustments, and the netting of fees he owes against money he gets.
 */
@Injectable()
export class WalletService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly entries: LedgerEntriesRepository,
    private readonly feeDebts: FeeDebtPolicy,
    private readonly usersService: UsersService,
    private readonly events: DomainEvents,
  ) {}

  /** `GET /wallet/balance`: one read of the craftsman's three accounts. */
  async balance(craftsmanId: string): Promise<WalletBalanceResponseDto> {
    const accounts = [
      LedgerAccount.available(craftsmanId),
      LedgerAccount.pendingPayout(craftsmanId),
      LedgerAccount.feesOwed(craftsmanId),
    ];
    const balances = await this.ledger.balancesOf(accounts);
    const [available, pending, feesBalance] = accounts.map((account) => balances.get(account) ?? 0);
    const feesOwed = -feesBalance;
    const withdrawable = Math.max(0, available - feesOwed);
    return {
      currency: 'EGP',
      balance: available + pending - feesOwed,
      withdrawableBalance: withdrawable,
      pending,
      feesOwed,
      feeDebtLimit: this.feeDebts.limit,
      cashJobsBlocked: this.feeDebts.isOverLimit(feesOwed),
    };
  }

  /** `GET /wallet/transactions`: newest first, by page or cursor. */
  async transactions(
    craftsmanId: string,
    filter: WalletTransactionFilter,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<WalletTransactionResponseDto>> {
    const found = await this.entries.listForHolder(craftsmanId, filter, page);
    return mapPage(found, (entry) => this.toTransaction(entry));
  }

  /** Every transaction of his wallet, newest first (his data export). */
  async allTransactionsOf(craftsmanId: string): Promise<WalletTransactionResponseDto[]> {
    const entries = await this.entries.findPostedForHolder(craftsmanId);
    return entries.map((entry) => this.toTransaction(entry));
  }

  /** A page of the craftsman's wallet transactions, for his history (see TimelineRead). */
  async historyOf(read: TimelineRead): Promise<WalletTransactionResponseDto[]> {
    const entries = await this.entries.findForHistory(read);
    return entries.map((entry) => this.toTransaction(entry));
  }

  private toTransaction(entry: LedgerEntryEntity): WalletTransactionResponseDto {
    const view = entry.wallet!;
    return {
      id: entry.id,
      type: view.type,
      amount: view.amount,
      currency: 'EGP',
      status: view.status,
      gateway: view.gateway,
      gatewayTransactionId: view.gatewayTransactionId,
      job: entry.links?.job ?? null,
      withdrawal: entry.links?.withdrawal ?? null,
      createdAt: entry.createdAt,
    };
  }

  /**
   * `POST /admin/wallets/:userId/adjustments`: a signed correction or goodwill credit, one entry
   * against `platform:adjustments`. A credit first pays the fees he owes.
   *
   * @param idempotencyKey the admin's `Idempotency-Key`; a retry answers the same entry
   * @throws DomainError NOT_FOUND (no such user), NOT_A_CRAFTSMAN (422),
   *   IDEMPOTENCY_KEY_REUSED (409, the key was used with another body),
   *   INSUFFICIENT_FUNDS (409, a debit larger than his available money), SERVICE_UNAVAILABLE
   *   (503: the ledger did not settle in time; the same request again finishes it)
   */
  async adjust(
    admin: AuthUser,
    userId: string,
    input: { amount: number; reason: string },
    idempotencyKey: string | undefined,
  ): Promise<LedgerEntryEntity> {
    const user = await this.usersService.getById(userId);
    if (user.role !== Role.Craftsman) {
      throw WalletErrors.notACraftsman();
    }
    const available = LedgerAccount.available(userId);
    const { amount, reason } = input;
    const requestHash = requestHashOf({ amount, reason });
    const { entry, replayed } = await this.ledger.post({
      idempotencyKey: `adjustment:${userId}:${idempotencyKey ?? randomUUID()}`,
      kind: LedgerEntryKind.Adjustment,
      postings: [
        { account: available, amount },
        { account: LedgerAccount.platformAdjustments, amount: -amount },
      ],
      wallet: walletView(userId, WalletTransactionType.Adjustment, amount),
      requestHash,
      reason,
      actor: admin.id,
    });
    if (replayed && entry.requestHash !== requestHash) {
      throw WalletErrors.keyReused();
    }
    if (entry.state === LedgerEntryState.Voided) {
      throw WalletErrors.insufficientFunds((await this.balance(userId)).withdrawableBalance);
    }
    if (entry.state !== LedgerEntryState.Posted) {
      throw WalletErrors.ledgerBusy();
    }
    // also on a replay: what a crash after the posting left undone (both are once-only)
    await this.settleFees(userId, entry.idempotencyKey);
    await this.changed(
      userId,
      entry,
      amount > 0
        ? `${formatEgp(amount)} was added to your wallet: ${reason}`
        : `${formatEgp(amount)} was taken from your wallet: ${reason}`,
    );
    await this.events.publish(
      new WalletAdjustedEvent(userId, entry.id, amount, reason, actorOf(admin)),
    );
    return entry;
  }

  /**
   * Pays the fees the craftsman owes from his available money, as far as it goes (API.md: later
   * money owed to him nets his fee debt first). One `fee_settlement` entry per trigger.
   */
  async settleFees(craftsmanId: string, trigger: string): Promise<void> {
    const available = LedgerAccount.available(craftsmanId);
    const feesOwed = LedgerAccount.feesOwed(craftsmanId);
    const balances = await this.ledger.balancesOf([available, feesOwed]);
    const settled = Math.min(balances.get(available) ?? 0, -(balances.get(feesOwed) ?? 0));
    if (settled <= 0) {
      return;
    }
    const { entry } = await this.ledger.post({
      idempotencyKey: `fee_settlement:${trigger}`,
      kind: LedgerEntryKind.FeeSettlement,
      postings: [
        { account: available, amount: -settled },
        { account: feesOwed, amount: settled },
      ],
      wallet: walletView(craftsmanId, WalletTransactionType.FeeSettlement, -settled),
    });
    // voided: a concurrent move changed a balance; the next money in settles again
    if (entry.state === LedgerEntryState.Posted) {
      await this.changed(
        craftsmanId,
        entry,
        `${formatEgp(settled)} of your wallet paid the fees you owed`,
      );
    }
  }

  /**
   * Tells the craftsman (in-app, push, email, socket) that his money moved: once per entry
   * however often it is called (the notification's dedupe key is the entry's id).
   */
  async changed(craftsmanId: string, entry: LedgerEntryEntity, description: string): Promise<void> {
    await this.events.publish(new WalletChangedEvent(craftsmanId, entry.id, description));
  }
}
