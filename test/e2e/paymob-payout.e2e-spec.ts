import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type PayoutRequest,
  PayoutUnavailableError,
} from '../../src/modules/money/wallet/payout-provider.js';
import {
  paymobClientReferenceId,
  PaymobPayoutProvider,
} from '../../src/modules/money/wallet/providers/paymob-payout.provider.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakePaymob } from '../support/fake-paymob.js';

const credentials = {
  clientId: 'client-id-7Q2x',
  clientSecret: 'client-secret-Zr81',
  username: 'merchant-user-4k',
  password: 'merchant-pass-9w',
};

const MSISDN = '+201001234567';
const LOCAL_MSISDN = '01001234567';
const IBAN = 'EG380019000500000000263180002';

function walletPayout(overrides: Partial<PayoutRequest> = {}): PayoutRequest {
  return {
    withdrawalId: 'wd-wallet-1',
    amount: 12345,
    currency: 'EGP',
    destination: { type: 'mobile_wallet', accountName: 'Mona Adel', msisdn: MSISDN },
    ...overrides,
  };
}

function bankPayout(overrides: Partial<PayoutRequest> = {}): PayoutRequest {
  return {
    withdrawalId: 'wd-bank-1',
    amount: 250000,
    currency: 'EGP',
    destination: { type: 'bank_account', accountName: 'Karim Said', iban: IBAN, bankCode: 'CIB' },
    ...overrides,
  };
}

/** What a person, a log or an error tracker could read of an error. */
function readable(error: unknown): string {
  const { message, cause } = error as Error;
  return `${message} ${String(cause)}`;
}

function expectNoSecret(text: string): void {
  for (const secret of [
    ...Object.values(credentials),
    MSISDN,
    LOCAL_MSISDN,
    '201001234567',
    IBAN,
  ]) {
    expect(text).not.toContain(secret);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe(PaymobPayoutProvider.name, () => {
  let fake: FakePaymob;
  let baseUrl: string;
  let clock: FakeClock;
  let paymob: PaymobPayoutProvider;

  beforeEach(async () => {
    fake = new FakePaymob(credentials);
    baseUrl = await fake.start();
    clock = new FakeClock();
    paymob = new PaymobPayoutProvider({ baseUrl, ...credentials, timeoutMs: 2000 }, clock);
  });

  afterEach(async () => {
    await fake.stop();
  });

  describe('send', () => {
    it('should pay a Vodafone Cash wallet: EGP amount, local msisdn, issuer, references', async () => {
      const result = await paymob.send(walletPayout());

      expect(fake.transactions).toHaveLength(1);
      expect(result).toEqual({ status: 'paid', reference: fake.transactions[0].transaction_id });
      expect(fake.payouts).toEqual([
        {
          answer: 'successful',
          body: {
            issuer: 'vodafone',
            amount: '123.45',
            msisdn: LOCAL_MSISDN,
            client_reference: 'wd-wallet-1',
            client_reference_id: paymobClientReferenceId('wd-wallet-1'),
          },
        },
      ]);
    });

    it.each([
      ['+201112345678', 'etisalat', {}],
      ['+201212345678', 'orange', { full_name: 'Mona Adel' }],
    ])('should pay %s through %s', async (msisdn, issuer, name) => {
      const request = walletPayout({
        destination: { type: 'mobile_wallet', accountName: 'Mona Adel', msisdn },
      });

      await expect(paymob.send(request)).resolves.toMatchObject({ status: 'paid' });

      expect(fake.payouts[0].body).toEqual({
        issuer,
        amount: '123.45',
        msisdn: `0${msisdn.slice(3)}`,
        ...name,
        client_reference: 'wd-wallet-1',
        client_reference_id: paymobClientReferenceId('wd-wallet-1'),
      });
    });

    it('should refuse a wallet Paymob has no issuer for without calling Paymob', async () => {
      const request = walletPayout({
        destination: { type: 'mobile_wallet', accountName: 'Mona Adel', msisdn: '+201512345678' },
      });

      const result = await paymob.send(request);

      expect(result).toEqual({
        status: 'failed',
        reason: expect.stringContaining('010, 011, 012'),
      });
      expectNoSecret(JSON.stringify(result));
      expect(fake.payouts).toEqual([]);
      expect(fake.tokensIssued).toBe(0);
    });

    it('should pay a bank account as bank_card with the IBAN, bank code and cash_transfer', async () => {
      const result = await paymob.send(bankPayout());

      expect(result).toEqual({ status: 'paid', reference: fake.transactions[0].transaction_id });
      expect(fake.payouts[0].body).toEqual({
        issuer: 'bank_card',
        amount: '2500.00',
        bank_card_number: IBAN,
        bank_code: 'CIB',
        bank_transaction_type: 'cash_transfer',
        full_name: 'Karim Said',
        client_reference: 'wd-bank-1',
        client_reference_id: paymobClientReferenceId('wd-bank-1'),
      });
    });

    it('should refuse a bank account without a bank code without calling Paymob', async () => {
      const request = bankPayout({
        destination: { type: 'bank_account', accountName: 'Karim Said', iban: IBAN },
      });

      await expect(paymob.send(request)).resolves.toEqual({
        status: 'failed',
        reason: 'the bank account has no IBAN or bank code',
      });
      expect(fake.payouts).toEqual([]);
    });

    it.each([
      [1, '0.01'],
      [10, '0.10'],
      [99, '0.99'],
      [100, '1.00'],
      [12345, '123.45'],
      [100000000, '1000000.00'],
    ])('should send %p piastres as "%s" EGP', async (amount, egp) => {
      await paymob.send(walletPayout({ amount, withdrawalId: `wd-${amount}` }));

      expect(fake.payouts[0].body.amount).toBe(egp);
    });

    it('should refuse an amount that is not whole piastres before calling Paymob', async () => {
      await expect(paymob.send(walletPayout({ amount: 10.5 }))).rejects.toThrow(RangeError);
      await expect(paymob.send(walletPayout({ amount: 0 }))).rejects.toThrow(RangeError);
      expect(fake.payouts).toEqual([]);
    });

    it('should answer pending, then paid once the wallet settles it', async () => {
      fake.answerNext('pending');

      const sent = await paymob.send(walletPayout());

      const reference = fake.transactions[0].transaction_id;
      expect(sent).toEqual({ status: 'pending', reference });
      await expect(paymob.status(reference)).resolves.toEqual({ status: 'pending', reference });

      fake.settle(reference, 'successful');

      await expect(paymob.status(reference)).resolves.toEqual({ status: 'paid', reference });
      expect(fake.inquiries).toEqual([[reference], [reference]]);
    });

    it('should answer pending, then failed with the bank’s reason', async () => {
      fake.answerNext('pending');
      const sent = await paymob.send(bankPayout());
      const reference = fake.transactions[0].transaction_id;
      expect(sent).toEqual({ status: 'pending', reference });

      fake.settle(reference, 'failed', 'Invalid bank code');

      await expect(paymob.status(reference)).resolves.toEqual({
        status: 'failed',
        reason: 'Invalid bank code',
        reference,
      });
    });

    it('should answer failed with Paymob’s description, without the msisdn it echoes', async () => {
      fake.describeFailure = (body) =>
        `Customer ${String(body.msisdn)} is not registered for Vodafone Cash`;
      fake.answerNext('failed');

      const result = await paymob.send(walletPayout());

      expect(result).toEqual({
        status: 'failed',
        reason: 'Customer [redacted] is not registered for Vodafone Cash',
        reference: fake.transactions[0].transaction_id,
      });
      expectNoSecret(JSON.stringify(result));
    });

    it('should answer failed with the reason of a 4xx refusal, once Paymob has no earlier payout', async () => {
      fake.describeFailure = () =>
        'Sorry, the amount to be disbursed exceeds you budget limit, please contact your support team';
      fake.answerNext('rejected');

      const result = await paymob.send(walletPayout());

      expect(result).toEqual({
        status: 'failed',
        reason:
          'Sorry, the amount to be disbursed exceeds you budget limit, please contact your support team',
      });
      expect(fake.transactions).toEqual([]);
      expect(fake.inquiries).toEqual([[paymobClientReferenceId('wd-wallet-1')]]);
    });

    it('should throw PayoutUnavailableError on a 500, and pay on the retry', async () => {
      fake.answerNext('http500');

      const error = await rejection(paymob.send(walletPayout()));

      expect(error).toBeInstanceOf(PayoutUnavailableError);
      expect((error as Error).message).toBe('Paymob answered HTTP 500 to the payout');
      expect(fake.transactions).toEqual([]);

      await expect(paymob.send(walletPayout())).resolves.toMatchObject({ status: 'paid' });
      expect(fake.transactions).toHaveLength(1);
    });

    it('should throw PayoutUnavailableError within timeoutMs when Paymob hangs', async () => {
      const impatient = new PaymobPayoutProvider({ baseUrl, ...credentials, timeoutMs: 300 });
      fake.answerNext('hang');

      const started = Date.now();
      const error = await rejection(impatient.send(walletPayout()));
      const elapsed = Date.now() - started;

      expect(error).toBeInstanceOf(PayoutUnavailableError);
      expect((error as Error).message).toBe('Paymob did not answer the payout within 300 ms');
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1500);
    });

    it('should answer a retry after a timeout with the payout Paymob made, not a second one', async () => {
      const impatient = new PaymobPayoutProvider({ baseUrl, ...credentials, timeoutMs: 300 });
      fake.answerNext('hang');
      await expect(impatient.send(walletPayout())).rejects.toThrow(PayoutUnavailableError);

      const retried = await impatient.send(walletPayout());

      expect(fake.transactions).toHaveLength(1);
      expect(retried).toEqual({ status: 'paid', reference: fake.transactions[0].transaction_id });
      expect(fake.payouts.map((payout) => payout.answer)).toEqual(['hang', 'duplicate']);
    });

    it('should throw PayoutUnavailableError when Paymob cannot be reached', async () => {
      await fake.stop();

      const error = await rejection(paymob.send(walletPayout()));

      expect(error).toBeInstanceOf(PayoutUnavailableError);
      expect((error as Error).message).toBe('Paymob could not be reached for the access token');
    });

    it('should throw PayoutUnavailableError when Paymob refuses the credentials, naming none', async () => {
      const wrong = new PaymobPayoutProvider({
        baseUrl,
        ...credentials,
        password: 'merchant-pass-WRONG',
        timeoutMs: 2000,
      });

      const error = await rejection(wrong.send(walletPayout()));

      expect(error).toBeInstanceOf(PayoutUnavailableError);
      expect((error as Error).message).toBe('Paymob refused the payout credentials (HTTP 400)');
      expect(readable(error)).not.toContain('merchant-pass-WRONG');
      expect(fake.payouts).toEqual([]);
    });

    it('should put no credential, token, msisdn or IBAN in any error or reason', async () => {
      const impatient = new PaymobPayoutProvider({ baseUrl, ...credentials, timeoutMs: 300 });
      fake.describeFailure = (body) =>
        `Transfer to ${String(body.msisdn ?? body.bank_card_number)} failed (${credentials.username})`;
      fake.answerNext('http500', 'hang', 'failed', 'rejected');
      const texts: string[] = [];

      texts.push(readable(await rejection(impatient.send(walletPayout({ withdrawalId: 'a' })))));
      texts.push(readable(await rejection(impatient.send(walletPayout({ withdrawalId: 'b' })))));
      texts.push(JSON.stringify(await impatient.send(bankPayout({ withdrawalId: 'c' }))));
      texts.push(JSON.stringify(await impatient.send(walletPayout({ withdrawalId: 'd' }))));
      await fake.stop();
      texts.push(readable(await rejection(impatient.send(walletPayout({ withdrawalId: 'e' })))));

      expect(texts).toHaveLength(5);
      texts.forEach(expectNoSecret);
      expect(texts[2]).toContain('Transfer to [redacted] failed ([redacted])');
    });
  });

  describe('access token', () => {
    it('should ask for one token for two payouts', async () => {
      await paymob.send(walletPayout({ withdrawalId: 'first' }));
      await paymob.send(walletPayout({ withdrawalId: 'second' }));

      expect(fake.tokensIssued).toBe(1);
      expect(fake.transactions).toHaveLength(2);
    });

    it('should share one token request between concurrent payouts', async () => {
      await Promise.all(
        ['a', 'b', 'c'].map((withdrawalId) => paymob.send(walletPayout({ withdrawalId }))),
      );

      expect(fake.tokensIssued).toBe(1);
      expect(fake.transactions).toHaveLength(3);
    });

    it('should get a new token once Paymob refuses the old one, and pay once', async () => {
      await paymob.send(walletPayout({ withdrawalId: 'first' }));
      fake.expireTokens();

      const result = await paymob.send(walletPayout({ withdrawalId: 'second' }));

      expect(result).toMatchObject({ status: 'paid' });
      expect(fake.tokenRefusals).toBe(1);
      expect(fake.tokensIssued).toBe(2);
      expect(fake.transactions.map((t) => t.client_reference)).toEqual(['first', 'second']);
    });

    it('should renew the token shortly before it expires, without a refusal', async () => {
      await paymob.send(walletPayout({ withdrawalId: 'first' }));
      clock.advance(3600_000 - 120_000);
      await paymob.send(walletPayout({ withdrawalId: 'second' }));
      expect(fake.tokensIssued).toBe(1);

      clock.advance(90_000); // 30 s before expires_in
      await paymob.send(walletPayout({ withdrawalId: 'third' }));

      expect(fake.tokensIssued).toBe(2);
      expect(fake.tokenRefusals).toBe(0);
    });
  });

  describe('status', () => {
    it('should call a reference Paymob does not list pending, never failed', async () => {
      await expect(paymob.status('4d8d2215-6b15-4cf0-8a5a-e62e3eb5fdb3')).resolves.toEqual({
        status: 'pending',
        reference: '4d8d2215-6b15-4cf0-8a5a-e62e3eb5fdb3',
      });
    });

    it('should throw PayoutUnavailableError when Paymob cannot be asked', async () => {
      await fake.stop();

      await expect(paymob.status('4d8d2215')).rejects.toThrow(PayoutUnavailableError);
    });
  });
});

describe(paymobClientReferenceId.name, () => {
  it('should give a withdrawal the same uuid4-shaped id every time, and another one another', () => {
    const id = paymobClientReferenceId('wd-1');

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(paymobClientReferenceId('wd-1')).toBe(id);
    expect(paymobClientReferenceId('wd-2')).not.toBe(id);
  });
});
