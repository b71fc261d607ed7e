import { Role } from '../../common/auth/role.js';
import type { DisputesService } from '../disputes/disputes.service.js';
import { JobStatus } from '../jobs/job-status.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { PaymentsService } from '../money/payments/payments.service.js';
import { PaymentStatus } from '../money/payments/schemas/payment.schema.js';
import type { WalletService } from '../money/wallet/wallet.service.js';
import { DeletionBlockersService } from './deletion-blockers.service.js';

const USER = '6b0d0cb4fb164769f84f0001';

function blockersWith(found: {
  wallet?: { withdrawableBalance: number; pending: number; feesOwed: number };
  payments?: Array<{ id: string; job: string | null; status: PaymentStatus; parked?: object }>;
  jobs?: Array<{ id: string; status: JobStatus }>;
  disputes?: Array<{ id: string; job: string }>;
}) {
  const walletReads: string[] = [];
  const service = new DeletionBlockersService(
    { activeOfParty: () => Promise.resolve(found.jobs ?? []) } as unknown as JobsService,
    {
      unresolvedOfParty: () => Promise.resolve(found.disputes ?? []),
    } as unknown as DisputesService,
    {
      moneyInPlayOf: () =>
        Promise.resolve(
          (found.payments ?? []).map((payment) => ({ parked: null, amount: 10_000, ...payment })),
        ),
    } as unknown as PaymentsService,
    {
      balance: (craftsmanId: string) => {
        walletReads.push(craftsmanId);
        return Promise.resolve(found.wallet ?? { withdrawableBalance: 0, pending: 0, feesOwed: 0 });
      },
    } as unknown as WalletService,
  );
  return { service, walletReads };
}

describe(DeletionBlockersService.name, () => {
  it('should list nothing for an account with nothing in play', async () => {
    const { service } = blockersWith({});

    expect(await service.of({ id: USER, role: Role.Craftsman })).toEqual([]);
  });

  it('should list money first, then jobs, then disputes, one entry each', async () => {
    const { service } = blockersWith({
      wallet: { withdrawableBalance: 7_000, pending: 3_000, feesOwed: 500 },
      payments: [
        { id: 'p1', job: 'j1', status: PaymentStatus.Held },
        { id: 'p2', job: 'j2', status: PaymentStatus.Refunded },
        { id: 'p3', job: 'j3', status: PaymentStatus.Pending, parked: { reason: 'amount' } },
      ],
      jobs: [{ id: 'j1', status: JobStatus.Disputed }],
      disputes: [{ id: 'd1', job: 'j1' }],
    });

    expect(await service.of({ id: USER, role: Role.Craftsman })).toEqual([
      { reason: 'wallet_balance', amount: 10_000 },
      { reason: 'fees_owed', amount: 500 },
      { reason: 'held_payment', paymentId: 'p1', jobId: 'j1', state: 'held', amount: 10_000 },
      { reason: 'held_payment', paymentId: 'p2', jobId: 'j2', state: 'refunding', amount: 10_000 },
      { reason: 'held_payment', paymentId: 'p3', jobId: 'j3', state: 'parked', amount: 10_000 },
      { reason: 'active_job', jobId: 'j1', status: JobStatus.Disputed },
      { reason: 'open_dispute', disputeId: 'd1', jobId: 'j1' },
    ]);
  });

  it('should not read a wallet for a client (clients have none)', async () => {
    const { service, walletReads } = blockersWith({
      jobs: [{ id: 'j1', status: JobStatus.Posted }],
    });

    expect(await service.of({ id: USER, role: Role.Client })).toEqual([
      { reason: 'active_job', jobId: 'j1', status: JobStatus.Posted },
    ]);
    expect(walletReads).toEqual([]);
  });
});
