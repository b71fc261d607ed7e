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
        `You owe ${formatEgp(owed)} in platform fees (the limit is ${formatEgp(this.limit)}): settle them by a top-up to take cash jobs again`,
        { feesOwed: owed, feeDebtLimit: this.limit },
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
