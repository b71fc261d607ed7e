import { ApiProperty } from '@nestjs/swagger';
import { IsIBAN, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { MAX_PRICE } from '../../../../common/money.js';
import { PaginationQueryDto } from '../../../../common/pagination/pagination-query.dto.js';
import { NestedObject } from '../../../../common/validation/nested.decorator.js';
import { Optional } from '../../../../common/validation/optional.decorator.js';
import { TextLength } from '../../../../common/validation/text-length.js';
import { Trim } from '../../../../common/validation/trim.decorator.js';
import { SHOWN_WITHDRAWAL_STATUSES, WithdrawalStatus } from '../schemas/withdrawal.schema.js';

/** Where the money goes: a bank account (IBAN) or an Egyptian mobile wallet. */
export class WithdrawalDestinationDto {
  @IsIn(['bank_account', 'mobile_wallet'])
  type!: 'bank_account' | 'mobile_wallet';

  /** The holder's name as the bank or wallet knows it. */
  @IsString()
  @Trim()
  @TextLength({ min: 2, max: 100 })
  accountName!: string;

  /** Bank accounts: the IBAN (Egypt's: EG + 27 digits); spaces are ignored. */
  @Optional()
  @IsString()
  @Trim()
  @IsIBAN()
  iban?: string;

  /** Bank accounts: the bank's code as Paymob's bank list spells it (`NBE`, `CIB`, ...). */
  @Optional()
  @IsString()
  @Matches(/^[A-Z0-9]{2,12}$/, { message: 'bankCode must be 2-12 capital letters or digits' })
  bankCode?: string;

  /** Mobile wallets: the wallet's Egyptian mobile number, any usual spelling; kept in E.164. */
  @Optional()
  @IsString()
  @TextLength({ min: 5, max: 30 })
  msisdn?: string;
}

/** `POST /wallet/withdraw`; the `Idempotency-Key` header makes a retry safe. */
export class RequestWithdrawalDto {
  /** Integer piastres, at least WITHDRAW_MIN. */
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE)
  amount!: number;

  @NestedObject(() => WithdrawalDestinationDto)
  destination!: WithdrawalDestinationDto;
}

/** Where a withdrawal goes, as shown: the IBAN or number masked. */
export class MaskedDestinationDto {
  @ApiProperty({ enum: ['bank_account', 'mobile_wallet'] })
  type!: 'bank_account' | 'mobile_wallet';
  accountName!: string;
  /** The last 4 characters of the IBAN or number, e.g. `••••1234`. */
  masked!: string;
  bankCode?: string;
}

/** A withdrawal as its craftsman (and admins) see it; the destination is masked. */
export class WithdrawalResponseDto {
  id!: string;
  /** Integer piastres. */
  amount!: number;
  currency!: 'EGP';
  @ApiProperty({ enum: SHOWN_WITHDRAWAL_STATUSES })
  status!: WithdrawalStatus;
  /** The end of the PAYOUT_BUSINESS_DAYS-th Egyptian business day (Sun–Thu) after the request. */
  expectedBy!: Date;
  /** Who pays it out. */
  @ApiProperty({ enum: ['manual', 'paymob'] })
  provider!: 'manual' | 'paymob';
  destination!: MaskedDestinationDto;
  /** The gateway's (or the admin's) reference of the transfer, once paid. */
  reference!: string | null;
  /** Why it failed, for people. */
  failureReason!: string | null;
  paidAt!: Date | null;
  failedAt!: Date | null;
  createdAt!: Date;
}

/** Where the money goes, whole: what an admin needs to make a manual payout. */
export class PayoutDestinationDto {
  @ApiProperty({ enum: ['bank_account', 'mobile_wallet'] })
  type!: 'bank_account' | 'mobile_wallet';
  accountName!: string;
  iban?: string;
  bankCode?: string;
  /** E.164. */
  msisdn?: string;
}

/**
 * An admin's view of a withdrawal: whose it is, where to pay it (unmasked, for the manual
 * payout), and whether it is past `expectedBy`.
 */
export class AdminWithdrawalResponseDto extends WithdrawalResponseDto {
  craftsman!: string;
  payoutDestination!: PayoutDestinationDto;
  /** Still not paid after `expectedBy`. */
  late!: boolean;
}

/** `GET /admin/withdrawals?status=`. */
export class ListWithdrawalsQueryDto extends PaginationQueryDto {
  @Optional()
  @IsIn(SHOWN_WITHDRAWAL_STATUSES)
  @ApiProperty({ enum: SHOWN_WITHDRAWAL_STATUSES, required: false })
  status?: WithdrawalStatus;
}

/** `POST /admin/withdrawals/:id/mark-paid`. */
export class MarkWithdrawalPaidDto {
  /** The bank's or wallet's reference of the transfer the admin made. */
  @IsString()
  @Trim()
  @TextLength({ min: 1, max: 200 })
  reference!: string;
}

/** `POST /admin/withdrawals/:id/mark-failed`. */
export class MarkWithdrawalFailedDto {
  /** Why it could not be paid; the craftsman reads it. */
  @IsString()
  @Trim()
  @TextLength({ min: 1, max: 500 })
  reason!: string;
}
