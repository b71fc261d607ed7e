import type { PayoutProvider, PayoutResult } from '../payout-provider.js';

/**
 * The default payout provider: an admin transfers the money by hand (a bank transfer, a wallet
 * top-up) and marks the withdrawal paid or failed (`POST /admin/withdrawals/:id/mark-paid|
 * mark-failed`). Nothing is sent automatically: every payout stays pending until then.
 */
export class ManualPayoutProvider implements PayoutProvider {
  readonly name = 'manual' as const;

  send(): Promise<PayoutResult> {
    return Promise.resolve({ status: 'pending' });
  }

  status(): Promise<PayoutResult> {
    return Promise.resolve({ status: 'pending' });
  }
}
