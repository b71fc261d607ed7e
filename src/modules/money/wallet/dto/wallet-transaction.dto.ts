import { IsEnum } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../../common/pagination/pagination-query.dto.js';
import { Optional } from '../../../../common/validation/optional.decorator.js';
import { ApiProperty } from '@nestjs/swagger';
import {
  type Gateway,
  GATEWAYS,
  WalletTransactionStatus,
  WalletTransactionType,
} from '../../ledger/schemas/ledger-entry.schema.js';

/** `GET /wallet/transactions?type=&status=&page=&limit=&after=`. */
export class ListWalletTransactionsQueryDto extends CursorPaginationQueryDto {
  @Optional()
  @IsEnum(WalletTransactionType)
  type?: WalletTransactionType;

  @Optional()
  @IsEnum(WalletTransactionStatus)
  status?: WalletTransactionStatus;
}

/** One movement of the craftsman's money, newest first in the list. */
export class WalletTransactionResponseDto {
  /** The ledger entry's id. */
  id!: string;
  type!: WalletTransactionType;
  /** Signed piastres: + money in, − money out (a fee, a withdrawal). */
  amount!: number;
  currency!: 'EGP';
  /** `pending` for a withdrawal not paid out yet; `failed` when its payout failed. */
  status!: WalletTransactionStatus;
  /** Who moved the money. */
  @ApiProperty({ enum: GATEWAYS })
  gateway!: Gateway;
  /** The gateway's id of the transfer (a payout's reference), null when none. */
  gatewayTransactionId!: string | null;
  /** The job it is about (a fee, a release), null when none. */
  job!: string | null;
  /** The withdrawal it is about, null when none. */
  withdrawal!: string | null;
  createdAt!: Date;
}
