import { randomUUID } from 'node:crypto';
import { formatEgp } from '../../../common/money.js';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock/clock.js';
import { isDuplicateKeyError } from '../../../common/database/duplicate-key.js';
import { DomainError } from '../../../common/errors/domain.error.js';
import { DomainEvents } from '../../../common/events/domain-events.js';
import type { EventActor } from '../../../common/events/event-actor.js';
import { toE164 } from '../../../common/identity/phone.js';
import type { PageRequest, Paginated } from '../../../common/pagination/paginated.js';
import { addBusinessDays } from '../../../common/time/business-days.js';
import type { AllConfig } from '../../../config/config.js';
import type { MoneyConfig } from '../../../config/money.config.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { LedgerEntriesRepository } from '../ledger/ledger-entries.repository.js';
import {
  LedgerEntryKind,
  LedgerEntryState,
  WalletTransactionStatus,
  WalletTransactionType,
} from '../ledger/schemas/ledger-entry.schema.js';
import type { RequestWithdrawalDto, WithdrawalDestinationDto } from './dto/withdrawal.dto.js';
import { WithdrawalSettledEvent } from './events/withdrawal-settled.event.js';
import { PAYOUT_PROVIDER, type PayoutProvider, type PayoutResult } from './payout-provider.js';
import {
  type Destination,
  OPEN_WITHDRAWAL_STATUSES,
  type WithdrawalEntity,
  WithdrawalStatus,
} from './schemas/withdrawal.schema.js';
import { WalletErrors } from './wallet.errors.js';
import { requestHashOf, walletView, WalletService } from './wallet.service.js';
import { WithdrawalsRepository } from './withdrawals.repository.js';

/** How long one instance holds a payout it is sending or asking about. */
const SEND_CLAIM_MS = 5 * 60_000;
/** A withdrawal left `requesting` this long was abandoned by a crash. */
const STALE_REQUESTING_MS = 60_000;
const SWEEP_BATCH = 100;

/** The ledger entries of a withdrawal, by what they record. */
const keys = {
  request: (id: string) => `withdrawal:${id}:request`,
  outcome: (id: string, outcome: 'paid' | 'failed') => `withdrawal:${id}:${outcome}`,
};

/**
 * Withdrawals (API.md "Money"): the money moves to pending payout at once, then the payout
 * provider sends it (`manual`: an admin transfers and marks it; `paymob`: its payout API).
 * Paid: it leaves through the gateway's account; failed: it returns to the wallet.
 */
@Injectable()
export class WithdrawalsService implements OnApplicationShutdown {
  private readonly logger = new Logger(WithdrawalsService.name);
  private readonly settings: MoneyConfig;
  /** Payouts being sent right after a request (`kick`), awaited at shutdown. */
  private sending: Promise<unknown> | null = null;

  constructor(
    private readonly withdrawals: WithdrawalsRepository,
    private readonly entries: LedgerEntriesRepository,
    private readonly wallet: WalletService,
    private readonly ledger: LedgerService,
    @Inject(PAYOUT_PROVIDER) private readonly provider: PayoutProvider,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    config: ConfigService<AllConfig, true>,
  ) {
    this.settings = config.get('money', { infer: true });
  }

  /**
   * `POST /wallet/withdraw`. With an Idempotency-Key, a retry with the same body answers the
   * same withdrawal.
   *
   * @throws DomainError AMOUNT_BELOW_MINIMUM (400), VALIDATION_FAILED (400, a destination without
   *   its IBAN or number), IDEMPOTENCY_KEY_REUSED (409), INSUFFICIENT_FUNDS (409; nothing is kept),
   *   SERVICE_UNAVAILABLE (503: the ledger did not settle in time; the same request again finishes)
   */
  async request(
    craftsmanId: string,
    input: RequestWithdrawalDto,
    idempotencyKey: string | undefined,
  ): Promise<WithdrawalEntity> {
    if (input.amount < this.settings.withdrawMin) {
      throw WalletErrors.belowMinimum(this.settings.withdrawMin);
    }
    const destination = destinationOf(input.destination, this.provider.name);
    const requestHash = requestHashOf({ amount: input.amount, destination });
    const now = this.clock.now();
    let withdrawal: WithdrawalEntity;
    try {
      withdrawal = await this.withdrawals.create({
        craftsman: craftsmanId,
        amount: input.amount,
        destination,
        idempotencyKey: `${craftsmanId}:${idempotencyKey ?? randomUUID()}`,
        requestHash,
        provider: this.provider.name,
        expectedBy: addBusinessDays(
          now,
          this.settings.payoutBusinessDays,
          this.settings.businessCalendar,
        ),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
      const earlier = await this.withdrawals.findByKey(`${craftsmanId}:${idempotencyKey}`);
      if (!earlier) {
        throw error;
      }
      if (earlier.requestHash !== requestHash) {
        throw WalletErrors.keyReused();
      }
      if (earlier.status !== WithdrawalStatus.Requesting) {
        return earlier;
      }
      withdrawal = earlier;
    }
    return this.takeMoney(withdrawal);
  }

  /**
   * The ledger moves the amount from available to pending payout (guarded: never more than he
   * has), then the withdrawal is `requested`. Refused: the withdrawal is deleted.
   */
  private async takeMoney(withdrawal: WithdrawalEntity): Promise<WithdrawalEntity> {
    const { id, craftsman, amount } = withdrawal;
    await this.wallet.settleFees(craftsman, keys.request(id));
    const { entry, replayed } = await this.ledger.post({
      idempotencyKey: keys.request(id),
      kind: LedgerEntryKind.WithdrawalRequest,
      postings: [
        { account: LedgerAccount.available(craftsman), amount: -amount },
        { account: LedgerAccount.pendingPayout(craftsman), amount },
      ],
      links: { withdrawal: id },
      wallet: walletView(craftsman, WalletTransactionType.Withdrawal, -amount, {
        status: WalletTransactionStatus.Pending,
        gateway: withdrawal.provider,
      }),
    });
    if (entry.state === LedgerEntryState.Voided) {
      await this.withdrawals.deleteRequesting(id);
      throw WalletErrors.insufficientFunds(
        (await this.wallet.balance(craftsman)).withdrawableBalance,
      );
    }
    if (entry.state !== LedgerEntryState.Posted) {
      // not finished in time: a retry with the same key, or the sweep, completes it
      throw WalletErrors.ledgerBusy();
    }
    if (!replayed) {
      this.logger.log(`Withdrawal ${id} requested: ${amount} piastres via ${withdrawal.provider}`);
    }
    // before the status moves: a crash in between is finished by a retry or the sweep
    await this.wallet.changed(
      craftsman,
      entry,
      `Your withdrawal of ${formatEgp(amount)} was requested; expect it by ${withdrawal.expectedBy.toISOString().slice(0, 10)}`,
    );
    const requested =
      (await this.withdrawals.markRequested(id)) ?? (await this.withdrawals.findById(id))!;
    this.kick();
    return requested;
  }

  listMine(craftsmanId: string, page: PageRequest): Promise<Paginated<WithdrawalEntity>> {
    return this.withdrawals.listForCraftsman(craftsmanId, page);
  }

  /** Every withdrawal of the craftsman, newest first (his data export). */
  allOf(craftsmanId: string): Promise<WithdrawalEntity[]> {
    return this.withdrawals.findAllForCraftsman(craftsmanId);
  }

  /** The withdrawal, or null when there is none (the reports read its `expectedBy`). */
  findById(id: string): Promise<WithdrawalEntity | null> {
    return this.withdrawals.findById(id);
  }

  list(
    status: WithdrawalStatus | undefined,
    page: PageRequest,
  ): Promise<Paginated<WithdrawalEntity>> {
    return this.withdrawals.list(status, page);
  }

  /**
   * `POST /admin/withdrawals/:id/mark-paid` (the manual provider): the money left.
   * @throws DomainError NOT_FOUND, WITHDRAWAL_NOT_OPEN (409, paid or failed already),
   *   SERVICE_UNAVAILABLE (503, retry)
   */
  markPaid(id: string, reference: string, admin: EventActor): Promise<WithdrawalEntity> {
    return this.end(id, { outcome: 'paid', reference }, { admin });
  }

  /**
   * `POST /admin/withdrawals/:id/mark-failed`: the money returns to the wallet.
   * @throws DomainError NOT_FOUND, WITHDRAWAL_NOT_OPEN (409), SERVICE_UNAVAILABLE (503, retry)
   */
  markFailed(id: string, reason: string, admin: EventActor): Promise<WithdrawalEntity> {
    return this.end(id, { outcome: 'failed', reason }, { admin });
  }

  /**
   * Money the craftsman now owes (a payment released to him was refunded to its client) is
   * taken from his withdrawals not paid out yet before anyone pays them: each manual one still
   * `requested` fails back to his wallet, oldest first, while he owes, and the wallet pays the
   * debt from it. A payout a gateway is already sending can't be stopped: what it can't cover
   * stays owed (`feesOwed`). Safe to run again: each withdrawal ends once.
   *
   * @returns how many withdrawals it returned
   */
  async returnForDebt(craftsmanId: string, reason: string): Promise<number> {
    let returned = 0;
    for (const withdrawal of await this.withdrawals.findUnsentManual(craftsmanId)) {
      if ((await this.wallet.balance(craftsmanId)).feesOwed <= 0) {
        break;
      }
      const decided = await this.withdrawals.decide(
        withdrawal.id,
        { outcome: 'failed', reason },
        'manual',
      );
      if (!decided) {
        continue; // an admin decided it meanwhile
      }
      await this.settle(decided);
      await this.wallet.settleFees(craftsmanId, keys.outcome(withdrawal.id, 'failed'));
      returned += 1;
    }
    return returned;
  }

  /**
   * Ends an open withdrawal: decides its outcome once, moves the money in the ledger, then
   * settles its status. The same decision again (a retry) answers the withdrawal as it ends;
   * another is refused. An admin decides only for the manual provider: a gateway's payout ends
   * as the gateway says (else he could mark failed a payout the gateway is paying: paid twice).
   */
  private async end(
    id: string,
    decision: { outcome: 'paid'; reference: string } | { outcome: 'failed'; reason: string },
    { admin }: { admin?: EventActor } = {},
  ): Promise<WithdrawalEntity> {
    const byAdmin = admin !== undefined;
    const decided = await this.withdrawals.decide(id, decision, byAdmin ? 'manual' : undefined);
    if (decided) {
      return this.settle(decided, admin);
    }
    const current = await this.withdrawals.findById(id);
    if (!current || current.status === WithdrawalStatus.Requesting) {
      throw WalletErrors.withdrawalNotFound();
    }
    if (byAdmin && current.provider !== 'manual') {
      throw WalletErrors.notManual(current.provider);
    }
    if (!sameDecision(current, decision)) {
      throw WalletErrors.withdrawalNotOpen(current.status);
    }
    // a retry: finish what a crash between deciding and settling left, or answer it as it is
    return OPEN_WITHDRAWAL_STATUSES.includes(current.status)
      ? this.settle(current, admin)
      : current;
  }

  /**
   * Moves the money of a decided withdrawal (once, by its key) and settles its status.
   *
   * @param admin who marked it (the manual provider); undefined when a gateway or the system did
   */
  private async settle(
    withdrawal: WithdrawalEntity,
    admin?: EventActor,
  ): Promise<WithdrawalEntity> {
    const { id, craftsman, amount } = withdrawal;
    const outcome = withdrawal.outcome!;
    const paid = outcome === 'paid';
    const { entry, replayed } = await this.ledger.post({
      idempotencyKey: keys.outcome(id, outcome),
      kind: paid ? LedgerEntryKind.PayoutPaid : LedgerEntryKind.PayoutFailed,
      postings: [
        { account: LedgerAccount.pendingPayout(craftsman), amount: -amount },
        paid
          ? { account: LedgerAccount.gateway(withdrawal.provider), amount }
          : { account: LedgerAccount.available(craftsman), amount },
      ],
      links: { withdrawal: id },
    });
    if (entry.state !== LedgerEntryState.Posted) {
      // not finished in time: the decision stands, a retry or the sweep settles it
      throw WalletErrors.ledgerBusy();
    }
    // the wallet's view and the notice before the status: a crash in between leaves the
    // withdrawal decided and open, which a retry or the sweep settles again
    await this.entries.setWalletStatus(
      keys.request(id),
      paid ? WalletTransactionStatus.Completed : WalletTransactionStatus.Failed,
      paid ? (withdrawal.reference ?? undefined) : undefined,
    );
    if (!replayed) {
      this.logger.log(`Withdrawal ${id} ${outcome}`);
    }
    await this.wallet.changed(
      craftsman,
      entry,
      paid
        ? `Your withdrawal of ${formatEgp(amount)} was paid out`
        : `Your withdrawal of ${formatEgp(amount)} failed (${withdrawal.failureReason ?? 'no reason given'}); the money is back in your wallet`,
    );
    const settled =
      (await this.withdrawals.settle(id, outcome, this.clock.now())) ??
      (await this.withdrawals.findById(id))!;
    await this.events.publish(
      new WithdrawalSettledEvent(
        id,
        craftsman,
        outcome,
        amount,
        withdrawal.provider,
        (paid ? withdrawal.reference : withdrawal.failureReason) ?? null,
        admin ?? null,
      ),
    );
    return settled;
  }

  /**
   * Sends requested payouts through the provider and asks it about those in processing
   * (`paymob`; the manual provider waits for an admin), then finishes what a crash left: a
   * withdrawal stuck `requesting`, or decided but not settled. Safe with many instances.
   *
   * @returns how many withdrawals it moved
   */
  async sweep(): Promise<number> {
    let moved = 0;
    const now = this.clock.now();
    for (const stale of await this.withdrawals.findStaleRequesting(
      new Date(now.getTime() - STALE_REQUESTING_MS),
      SWEEP_BATCH,
    )) {
      // refused (not enough money): takeMoney deleted it, as the request would have
      await this.takeMoney(stale).catch((error: unknown) => {
        if (!(error instanceof DomainError)) {
          throw error;
        }
      });
      moved += 1;
    }
    for (const decided of await this.withdrawals.findDecidedOpen(SWEEP_BATCH)) {
      await this.settle(decided);
      moved += 1;
    }
    if (this.provider.name === 'paymob') {
      moved += await this.sendPayouts();
    }
    return moved;
  }

  /**
   * Sends requested payouts soon, after the request that made them has answered (a provider
   * that answers itself, `paymob`; the manual one waits for an admin).
   */
  private kick(): void {
    if (this.provider.name !== 'paymob' || this.sending) {
      return;
    }
    this.sending = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.sendPayouts())
      .catch((error: unknown) => this.logger.error(`Sending payouts failed: ${String(error)}`))
      .finally(() => {
        this.sending = null;
      });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sending;
  }

  private async sendPayouts(): Promise<number> {
    let moved = 0;
    for (const status of [WithdrawalStatus.Requested, WithdrawalStatus.Processing] as const) {
      for (let count = 0; count < SWEEP_BATCH; count += 1) {
        const now = this.clock.now();
        const claimed = await this.withdrawals.claimToSend(
          status,
          'paymob',
          now,
          new Date(now.getTime() + SEND_CLAIM_MS),
        );
        if (!claimed) {
          break;
        }
        if (await this.askProvider(claimed)) {
          moved += 1;
        }
      }
    }
    return moved;
  }

  /** One call to the provider for the withdrawal, and what its answer means. */
  private async askProvider(withdrawal: WithdrawalEntity): Promise<boolean> {
    let result: PayoutResult;
    try {
      result =
        withdrawal.status === WithdrawalStatus.Processing && withdrawal.reference
          ? await this.provider.status(withdrawal.reference)
          : await this.provider.send({
              withdrawalId: withdrawal.id,
              amount: withdrawal.amount,
              currency: 'EGP',
              destination: withdrawal.destination,
            });
    } catch (error) {
      // unreachable or 5xx: its claim runs out and a later sweep asks again
      this.logger.warn(
        `Payout of withdrawal ${withdrawal.id} not sent: ${(error as Error).message}`,
      );
      return false;
    }
    switch (result.status) {
      case 'paid':
        await this.end(withdrawal.id, { outcome: 'paid', reference: result.reference });
        return true;
      case 'failed':
        await this.end(withdrawal.id, { outcome: 'failed', reason: result.reason });
        return true;
      case 'pending':
        if (withdrawal.status === WithdrawalStatus.Requested) {
          await this.withdrawals.markProcessing(withdrawal.id, result.reference ?? null);
          return true;
        }
        return false;
    }
  }
}

/** Whether the withdrawal was decided as `decision` says (the same outcome and details). */
function sameDecision(
  withdrawal: WithdrawalEntity,
  decision: { outcome: 'paid'; reference: string } | { outcome: 'failed'; reason: string },
): boolean {
  return decision.outcome === 'paid'
    ? withdrawal.outcome === 'paid' && withdrawal.reference === decision.reference
    : withdrawal.outcome === 'failed' && withdrawal.failureReason === decision.reason;
}

/** Egypt's IBANs: EG, 2 check digits, then 25 digits (bank, branch, account). */
const EGYPTIAN_IBAN = /^EG\d{27}$/;
/** Mobile numbers Paymob pays to (Vodafone 010, Etisalat 011, Orange 012); WE's 015 is not. */
const PAYMOB_WALLET_PREFIXES = /^\+201[012]\d{8}$/;

/**
 * The destination as stored: a bank account needs an Egyptian IBAN (spaces and hyphens dropped,
 * upper case), a mobile wallet an Egyptian mobile number (kept in E.164) that the payout provider
 * can pay; the other kind's fields are refused, not dropped.
 *
 * @throws DomainError VALIDATION_FAILED naming the missing or bad field
 */
export function destinationOf(
  input: WithdrawalDestinationDto,
  provider: PayoutProvider['name'],
): Destination {
  if (input.type === 'bank_account') {
    if (input.msisdn !== undefined) {
      throw WalletErrors.badDestination('msisdn', 'a bank account takes no msisdn');
    }
    const iban = input.iban?.replace(/[\s-]+/g, '').toUpperCase();
    if (!iban || !EGYPTIAN_IBAN.test(iban)) {
      throw WalletErrors.badDestination(
        'iban',
        'a bank account needs an Egyptian IBAN (EG + 27 digits)',
      );
    }
    if (provider === 'paymob' && !input.bankCode) {
      throw WalletErrors.badDestination('bankCode', 'a bank payout needs the bank’s code');
    }
    return {
      type: 'bank_account',
      accountName: input.accountName,
      iban,
      ...(input.bankCode ? { bankCode: input.bankCode } : {}),
    };
  }
  if (input.iban !== undefined || input.bankCode !== undefined) {
    throw WalletErrors.badDestination(
      input.iban !== undefined ? 'iban' : 'bankCode',
      'a mobile wallet takes no bank details',
    );
  }
  const msisdn = input.msisdn ? toE164(input.msisdn, 'EG') : null;
  if (!msisdn || !/^\+201[0125]\d{8}$/.test(msisdn)) {
    throw WalletErrors.badDestination(
      'msisdn',
      'a mobile wallet needs an Egyptian mobile number (010, 011, 012 or 015)',
    );
  }
  if (provider === 'paymob' && !PAYMOB_WALLET_PREFIXES.test(msisdn)) {
    throw WalletErrors.badDestination(
      'msisdn',
      'wallets on 010, 011 or 012 numbers only can be paid out at the moment',
    );
  }
  return { type: 'mobile_wallet', accountName: input.accountName, msisdn };
}
