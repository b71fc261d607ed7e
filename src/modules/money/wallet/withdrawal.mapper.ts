import type { AdminWithdrawalResponseDto, WithdrawalResponseDto } from './dto/withdrawal.dto.js';
import { OPEN_WITHDRAWAL_STATUSES, type WithdrawalEntity } from './schemas/withdrawal.schema.js';

/** The last 4 characters of an IBAN or a number: enough to recognise it, too few to use it. */
function masked(value: string | undefined): string {
  return value ? `••••${value.slice(-4)}` : '';
}

/** A withdrawal as its craftsman sees it: the destination masked. */
export function toWithdrawalResponse(withdrawal: WithdrawalEntity): WithdrawalResponseDto {
  const { destination } = withdrawal;
  return {
    id: withdrawal.id,
    amount: withdrawal.amount,
    currency: 'EGP',
    status: withdrawal.status,
    expectedBy: withdrawal.expectedBy,
    provider: withdrawal.provider,
    destination: {
      type: destination.type,
      accountName: destination.accountName,
      masked: masked(destination.iban ?? destination.msisdn),
      ...(destination.bankCode ? { bankCode: destination.bankCode } : {}),
    },
    reference: withdrawal.reference,
    failureReason: withdrawal.failureReason,
    paidAt: withdrawal.paidAt,
    failedAt: withdrawal.failedAt,
    createdAt: withdrawal.createdAt,
  };
}

/** An admin's view: whose it is, and `late` when still open after `expectedBy`. */
export function toAdminWithdrawalResponse(
  withdrawal: WithdrawalEntity,
  now: Date,
): AdminWithdrawalResponseDto {
  const { type, accountName, iban, bankCode, msisdn } = withdrawal.destination;
  return {
    ...toWithdrawalResponse(withdrawal),
    craftsman: withdrawal.craftsman,
    payoutDestination: { type, accountName, iban, bankCode, msisdn },
    late:
      OPEN_WITHDRAWAL_STATUSES.includes(withdrawal.status) &&
      withdrawal.expectedBy.getTime() < now.getTime(),
  };
}
