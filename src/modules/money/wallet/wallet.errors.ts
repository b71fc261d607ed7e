import { CommonErrors, DomainError } from '../../../common/errors/domain.error.js';
import { formatEgp } from '../../../common/money.js';
import { ErrorCode } from '../../../common/errors/error-code.js';

export const WalletErrors = {
  insufficientFunds: (withdrawable: number) =>
    new DomainError(
      ErrorCode.InsufficientFunds,
      `Not enough money in the wallet: ${formatEgp(withdrawable)} can be withdrawn`,
      { withdrawableBalance: withdrawable },
    ),
  keyReused: () =>
    new DomainError(
      ErrorCode.IdempotencyKeyReused,
      'This Idempotency-Key was already used for a different request; use a new key',
    ),
  belowMinimum: (minimum: number) =>
    new DomainError(
      ErrorCode.AmountBelowMinimum,
      `The smallest withdrawal is ${formatEgp(minimum)}`,
      [{ field: 'amount', message: `amount must be at least ${minimum} (piastres)` }],
    ),
  withdrawalNotFound: () => CommonErrors.notFound('Withdrawal'),
  withdrawalNotOpen: (status: string) =>
    new DomainError(ErrorCode.WithdrawalNotOpen, `This withdrawal is ${status}, no longer open`),
  badDestination: (field: string, message: string) =>
    CommonErrors.validation([{ field: `destination.${field}`, message }]),
  notACraftsman: () => new DomainError(ErrorCode.NotACraftsman, 'Only craftsmen have a wallet'),
  topUpUnavailable: () =>
    new DomainError(
      ErrorCode.NotImplemented,
      'Top-ups are paid through the payment gateways, which are not available yet; settle fees owed by a later job’s earnings or ask support',
    ),
};
