import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import type { AllConfig } from '../../../config/config.js';
import { JobsModule } from '../../jobs/jobs.module.js';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { UsersModule } from '../../users/users.module.js';
import { FeesModule } from '../fees/fees.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { CashFeesService } from './cash-fees.service.js';
import { FeeRemindersRepository } from './fee-reminders.repository.js';
import { PAYOUT_PROVIDER, type PayoutProvider } from './payout-provider.js';
import { ManualPayoutProvider } from './providers/manual-payout.provider.js';
import { PaymobPayoutProvider } from './providers/paymob-payout.provider.js';
import { FeeReminder, FeeReminderSchema } from './schemas/fee-reminder.schema.js';
import { Withdrawal, WithdrawalSchema } from './schemas/withdrawal.schema.js';
import { WalletAdminController } from './wallet-admin.controller.js';
import { WalletController } from './wallet.controller.js';
import { WalletListener } from './wallet.listener.js';
import { WalletService } from './wallet.service.js';
import { WithdrawalsRepository } from './withdrawals.repository.js';
import { WithdrawalsService } from './withdrawals.service.js';

/** The configured payout provider (PAYOUT_PROVIDER). */
function payoutProviderFrom(config: ConfigService<AllConfig, true>): PayoutProvider {
  const money = config.get('money', { infer: true });
  if (money.payoutProvider === 'paymob' && money.paymob) {
    return new PaymobPayoutProvider({ ...money.paymob, timeoutMs: money.payoutTimeoutMs });
  }
  return new ManualPayoutProvider();
}

/** The craftsman wallet: balances, transactions, cash-job fees, withdrawals and payouts. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Withdrawal.name, schema: WithdrawalSchema },
      { name: FeeReminder.name, schema: FeeReminderSchema },
    ]),
    LedgerModule,
    FeesModule,
    JobsModule,
    UsersModule,
    NotificationsModule,
  ],
  controllers: [WalletController, WalletAdminController],
  providers: [
    WalletService,
    WithdrawalsService,
    WithdrawalsRepository,
    CashFeesService,
    FeeRemindersRepository,
    WalletListener,
    { provide: PAYOUT_PROVIDER, inject: [ConfigService], useFactory: payoutProviderFrom },
  ],
  exports: [WalletService, WithdrawalsService, CashFeesService],
})
export class WalletModule {}
