import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../../common/auth/current-user.decorator.js';
import { Role } from '../../../common/auth/role.js';
import { ErrorResponseDto } from '../../../common/errors/error-response.dto.js';
import { ApiIdempotencyKey, IdempotencyKey } from '../../../common/http/idempotency-key.js';
import {
  mapPage,
  type CursorPaginated,
  type Paginated,
} from '../../../common/pagination/paginated.js';
import {
  ApiPaginatedResponse,
  CursorPaginationMetaDto,
} from '../../../common/pagination/paginated-response.dto.js';
import { PaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { WalletBalanceResponseDto } from './dto/wallet-balance-response.dto.js';
import {
  ListWalletTransactionsQueryDto,
  WalletTransactionResponseDto,
} from './dto/wallet-transaction.dto.js';
import { RequestWithdrawalDto, WithdrawalResponseDto } from './dto/withdrawal.dto.js';
import { toWithdrawalResponse } from './withdrawal.mapper.js';
import { LEDGER_BUSY_RESPONSE } from './wallet.errors.js';
import { WalletService } from './wallet.service.js';
import { WithdrawalsService } from './withdrawals.service.js';

@ApiTags('wallet')
@Controller('wallet')
export class WalletController {
  constructor(
    private readonly wallet: WalletService,
    private readonly withdrawals: WithdrawalsService,
  ) {}

  @Get('balance')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'The own wallet: withdrawable, pending and fees owed, in piastres' })
  @ApiOkResponse({ type: WalletBalanceResponseDto })
  balance(@CurrentUser() user: AuthUser): Promise<WalletBalanceResponseDto> {
    return this.wallet.balance(user.id);
  }

  @Get('transactions')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'The own wallet’s movements, newest first (page or cursor)' })
  @ApiPaginatedResponse(WalletTransactionResponseDto, undefined, CursorPaginationMetaDto)
  transactions(
    @CurrentUser() user: AuthUser,
    @Query() query: ListWalletTransactionsQueryDto,
  ): Promise<CursorPaginated<WalletTransactionResponseDto>> {
    return this.wallet.transactions(
      user.id,
      { type: query.type, status: query.status },
      { page: query.page, limit: query.limit, after: query.after },
    );
  }

  @Post('withdraw')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({
    summary:
      'Withdraw to a bank account or mobile wallet: the money is held at once and paid out within PAYOUT_BUSINESS_DAYS Egyptian business days',
  })
  @ApiIdempotencyKey(
    'A retry with the same key and body answers the same withdrawal; with another body: 409 IDEMPOTENCY_KEY_REUSED',
  )
  @ApiCreatedResponse({ type: WithdrawalResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED, or AMOUNT_BELOW_MINIMUM (below WITHDRAW_MIN)',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'INSUFFICIENT_FUNDS or IDEMPOTENCY_KEY_REUSED',
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: LEDGER_BUSY_RESPONSE })
  async withdraw(
    @CurrentUser() user: AuthUser,
    @Body() body: RequestWithdrawalDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<WithdrawalResponseDto> {
    return toWithdrawalResponse(await this.withdrawals.request(user.id, body, idempotencyKey));
  }

  @Get('withdrawals')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'The own withdrawals, newest first' })
  @ApiPaginatedResponse(WithdrawalResponseDto)
  async listWithdrawals(
    @CurrentUser() user: AuthUser,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<WithdrawalResponseDto>> {
    return mapPage(await this.withdrawals.listMine(user.id, query), toWithdrawalResponse);
  }
}
