import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { FeeDebtPolicy } from './fee-debt.policy.js';

/** The fee-debt limit, for the features that refuse or skip indebted craftsmen (quotes, recommendations). */
@Module({
  imports: [LedgerModule],
  providers: [FeeDebtPolicy],
  exports: [FeeDebtPolicy],
})
export class FeesModule {}
