import { Body, Controller, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../../common/auth/current-user.decorator.js';
import { Role } from '../../../common/auth/role.js';
import { ErrorResponseDto } from '../../../common/errors/error-response.dto.js';
import { ApiIdempotencyKey, IdempotencyKey } from '../../../common/http/idempotency-key.js';
import { PaymentResponseDto, TopUpDto } from './dto/payment.dto.js';
import { toPaymentResponse } from './payment.mapper.js';
import { PaymentsService } from './payments.service.js';

/**
 * `POST /wallet/top-up` (API.md "Money"): the wallet's route, served here because a top-up is a
 * payment through a gateway like a client's.
 */
@ApiTags('wallet')
@Controller('wallet')
export class WalletTopUpController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('top-up')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({
    summary:
      'Top up the wallet through a payment gateway: 201 a payment as for POST /payments/initiate; when paid the money goes to the wallet and pays the fees owed first',
  })
  @ApiIdempotencyKey(
    'The same key answers the same payment; with another body, 409 IDEMPOTENCY_KEY_REUSED',
  )
  @ApiCreatedResponse({ type: PaymentResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'PAYMENT_METHOD_NOT_SUPPORTED' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'PROVIDER_NOT_CONFIGURED, IDEMPOTENCY_KEY_REUSED',
  })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'PAYMENT_GATEWAY_FAILED' })
  async topUp(
    @CurrentUser() user: AuthUser,
    @Body() body: TopUpDto,
    @IdempotencyKey() key: string | undefined,
  ): Promise<PaymentResponseDto> {
    return toPaymentResponse(await this.payments.initiateTopUp(user, body, key), user);
  }
}
