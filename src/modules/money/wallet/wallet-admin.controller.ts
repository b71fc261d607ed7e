import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../../common/auth/current-user.decorator.js';
import { Role } from '../../../common/auth/role.js';
import { Clock } from '../../../common/clock/clock.js';
import { ErrorResponseDto } from '../../../common/errors/error-response.dto.js';
import { actorOf } from '../../../common/events/event-actor.js';
import { ApiIdempotencyKey, IdempotencyKey } from '../../../common/http/idempotency-key.js';
import { mapPage, type Paginated } from '../../../common/pagination/paginated.js';
import { ApiPaginatedResponse } from '../../../common/pagination/paginated-response.dto.js';
import { ParseObjectIdPipe } from '../../../common/validation/parse-object-id.pipe.js';
import { LedgerEntryResponseDto } from '../ledger/dto/ledger-entry-response.dto.js';
import { CreateAdjustmentDto } from './dto/adjustment.dto.js';
import {
  AdminWithdrawalResponseDto,
  ListWithdrawalsQueryDto,
  MarkWithdrawalFailedDto,
  MarkWithdrawalPaidDto,
} from './dto/withdrawal.dto.js';
import { LEDGER_BUSY_RESPONSE } from './wallet.errors.js';
import { WalletService } from './wallet.service.js';
import { toAdminWithdrawalResponse } from './withdrawal.mapper.js';
import { WithdrawalsService } from './withdrawals.service.js';

@ApiTags('admin')
@Controller('admin')
export class WalletAdminController {
  constructor(
    private readonly wallet: WalletService,
    private readonly withdrawals: WithdrawalsService,
    private readonly clock: Clock,
  ) {}

  @Get('withdrawals')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary: 'Withdrawals, newest first, by status; `late` when still open after expectedBy',
  })
  @ApiPaginatedResponse(AdminWithdrawalResponseDto)
  async listWithdrawals(
    @Query() query: ListWithdrawalsQueryDto,
  ): Promise<Paginated<AdminWithdrawalResponseDto>> {
    const now = this.clock.now();
    return mapPage(await this.withdrawals.list(query.status, query), (withdrawal) =>
      toAdminWithdrawalResponse(withdrawal, now),
    );
  }

  @Post('withdrawals/:id/mark-paid')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({ summary: 'The manual payout was made: the money leaves the platform' })
  @ApiOkResponse({ type: AdminWithdrawalResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'WITHDRAWAL_NOT_OPEN' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: LEDGER_BUSY_RESPONSE })
  async markPaid(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: MarkWithdrawalPaidDto,
    @CurrentUser() admin: AuthUser,
  ): Promise<AdminWithdrawalResponseDto> {
    return toAdminWithdrawalResponse(
      await this.withdrawals.markPaid(id, body.reference, actorOf(admin)),
      this.clock.now(),
    );
  }

  @Post('withdrawals/:id/mark-failed')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary: 'The payout could not be made: the money returns to the craftsman’s wallet',
  })
  @ApiOkResponse({ type: AdminWithdrawalResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'WITHDRAWAL_NOT_OPEN' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: LEDGER_BUSY_RESPONSE })
  async markFailed(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: MarkWithdrawalFailedDto,
    @CurrentUser() admin: AuthUser,
  ): Promise<AdminWithdrawalResponseDto> {
    return toAdminWithdrawalResponse(
      await this.withdrawals.markFailed(id, body.reason, actorOf(admin)),
      this.clock.now(),
    );
  }

  @Post('wallets/:userId/adjustments')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'A signed correction or goodwill credit to a craftsman’s wallet, as one ledger entry against platform:adjustments',
  })
  @ApiIdempotencyKey(
    'A retry with the same key and body answers the same entry; with another body: 409 IDEMPOTENCY_KEY_REUSED',
  )
  @ApiCreatedResponse({ type: LedgerEntryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'INSUFFICIENT_FUNDS (a debit beyond his available money) or IDEMPOTENCY_KEY_REUSED',
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: LEDGER_BUSY_RESPONSE })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'NOT_A_CRAFTSMAN' })
  async adjust(
    @CurrentUser() admin: AuthUser,
    @Param('userId', ParseObjectIdPipe) userId: string,
    @Body() body: CreateAdjustmentDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<LedgerEntryResponseDto> {
    return LedgerEntryResponseDto.from(
      await this.wallet.adjust(admin, userId, body, idempotencyKey),
    );
  }
}
