import { Injectable } from '@nestjs/common';
import { formatEgp } from '../../../common/money.js';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../../../common/errors/domain.error.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import type { AllConfig } from '../../../config/config.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import { LedgerService } from '../ledger/ledger.service.js';

/**
 * The fee-debt limit of cash jobs (API.md "Money"): a craftsman who owes FEE_DEBT_LIMIT or more
 * in fees can't quote cash jobs and is not recommended for them until he settles (Uber restricts
 * cash trips above a debt limit; Careem blocks until settled).
 */
@Injectable()
export class FeeDebtPolicy {
  readonly limit: number;

  constructor(
    private readonly ledger: LedgerService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.limit = config.get('money', { infer: true }).feeDebtLimit;
  }

  /** What the craftsman owes in fees, piastres (≥ 0). */
  async owedBy(craftsmanId: string): Promise<number> {
    const account = LedgerAccount.feesOwed(craftsmanId);
    const balances = await this.ledger.balancesOf([account]);
    return -(balances.get(account) ?? 0);
  }

  isOverLimit(owed: number): boolean {
    return owed > 0 && owed >= this.limit;
  }

  /** @throws DomainError FEE_DEBT_LIMIT (409) when he owes the limit or more */
  async assertMayTakeCashJobs(craftsmanId: string): Promise<void> {
    const owed = await this.owedBy(craftsmanId);
    if (this.isOverLimit(owed)) {
      throw new DomainError(
        ErrorCode.FeeDebtLimit,
        `You owe ${formatEgp(owed)} in platform fees, the limit of ${formatEgp(this.limit)} or more: cash jobs are paused until they are paid (money you earn on the platform pays them first)`,
        [
          {
            field: 'feesOwed',
            message: 'at the fee-debt limit',
            feesOwed: owed,
            feeDebtLimit: this.limit,
          },
        ],
      );
    }
  }

  /**
   * For the client hiring him for a cash job (the job may have become cash after he quoted, or
   * he crossed the limit since): the same refusal, without his debt's figures.
   *
   * @throws DomainError FEE_DEBT_LIMIT (409)
   */
  async assertMayBeHiredForCash(craftsmanId: string): Promise<void> {
    if (this.isOverLimit(await this.owedBy(craftsmanId))) {
      throw new DomainError(
        ErrorCode.FeeDebtLimit,
        'This craftsman can’t take cash jobs at the moment: pay by escrow, or choose another quote',
      );
    }
  }

  /** Which of these craftsmen owe the limit or more (one read). */
  async overLimitAmong(craftsmanIds: string[]): Promise<Set<string>> {
    if (craftsmanIds.length === 0) {
      return new Set();
    }
    const balances = await this.ledger.balancesOf(craftsmanIds.map(LedgerAccount.feesOwed));
    return new Set(
      craftsmanIds.filter((id) =>
        this.isOverLimit(-(balances.get(LedgerAccount.feesOwed(id)) ?? 0)),
      ),
    );
  }
}
