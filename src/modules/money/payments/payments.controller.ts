import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
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
import { ParseObjectIdPipe } from '../../../common/validation/parse-object-id.pipe.js';
import { InitiatePaymentDto, PaymentResponseDto } from './dto/payment.dto.js';
import { toPaymentResponse } from './payment.mapper.js';
import { PaymentsService } from './payments.service.js';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('initiate')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary:
      'Pay for a hired escrow or cash-protected job: one live payment per job (a second initiate answers it); Stripe answers a clientSecret, Fawry a referenceNumber (PayAtFawry) or a paymentUrl',
  })
  @ApiIdempotencyKey(
    'The same key answers the same payment; with another body, 409 IDEMPOTENCY_KEY_REUSED',
  )
  @ApiCreatedResponse({ type: PaymentResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'PAYMENT_METHOD_NOT_SUPPORTED' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'JOB_NOT_PAYABLE, PROVIDER_NOT_CONFIGURED, IDEMPOTENCY_KEY_REUSED',
  })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'PAYMENT_GATEWAY_FAILED' })
  async initiate(
    @CurrentUser() user: AuthUser,
    @Body() body: InitiatePaymentDto,
    @IdempotencyKey() key: string | undefined,
  ): Promise<PaymentResponseDto> {
    return toPaymentResponse(await this.payments.initiate(user, body, key), user);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'A payment: its payer, the craftsman it is for, and staff' })
  @ApiOkResponse({ type: PaymentResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<PaymentResponseDto> {
    return toPaymentResponse(await this.payments.getForViewer(id, user), user);
  }

  @Post(':id/confirm')
  @HttpCode(HttpStatus.OK)
  // a craftsman is the payer of his top-up
  @Authenticated({ roles: [Role.Client, Role.Craftsman, Role.Admin, Role.Moderator] })
  @ApiOperation({
    summary:
      'The payer says he paid: the gateway is asked and the payment follows what it says (as for a webhook)',
  })
  @ApiOkResponse({ type: PaymentResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'SERVICE_UNAVAILABLE: the gateway could not be asked; try again',
  })
  async confirm(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<PaymentResponseDto> {
    return toPaymentResponse(await this.payments.confirm(id, user), user);
  }
}
