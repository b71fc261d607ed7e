import { CommonErrors, DomainError } from '../../../common/errors/domain.error.js';
import { formatEgp } from '../../../common/money.js';
import { ErrorCode } from '../../../common/errors/error-code.js';

/** The OpenAPI description of a money route's 503 (WalletErrors.ledgerBusy). */
export const LEDGER_BUSY_RESPONSE =
  'SERVICE_UNAVAILABLE: not finished in time; the same request again (same Idempotency-Key) finishes it';

export const WalletErrors = {
  insufficientFunds: (withdrawable: number) =>
    new DomainError(
      ErrorCode.InsufficientFunds,
      `Not enough money in the wallet: ${formatEgp(withdrawable)} is available`,
      [
        {
          field: 'amount',
          message: `at most ${withdrawable} piastres`,
          withdrawableBalance: withdrawable,
        },
      ],
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
  notManual: (provider: string) =>
    new DomainError(
      ErrorCode.WithdrawalNotManual,
      `This withdrawal is paid out by ${provider}: it ends as ${provider} reports, not by hand`,
    ),
  withdrawalNotOpen: (status: string) =>
    new DomainError(ErrorCode.WithdrawalNotOpen, `This withdrawal is ${status}, no longer open`),
  badDestination: (field: string, message: string) =>
    CommonErrors.validation([{ field: `destination.${field}`, message }]),
  notACraftsman: () => new DomainError(ErrorCode.NotACraftsman, 'Only craftsmen have a wallet'),
  /** The ledger could not settle the entry in time (a slow database): retrying is safe. */
  ledgerBusy: () =>
    new DomainError(
      ErrorCode.ServiceUnavailable,
      'The wallet is busy and could not finish this in time: send the same request again (with the same Idempotency-Key)',
    ),
};
