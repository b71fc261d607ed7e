import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../../common/errors/error-response.dto.js';
import { KeepRawBody, type RawBodyRequest } from '../../../common/http/json-body.js';
import { WebhookAckDto } from './dto/payment.dto.js';
import type { PaymentProviderName } from './payment-provider.js';
import { type WebhookOutcome, PaymentsService } from './payments.service.js';

/**
 * The gateways' webhooks (API.md "Money"): no bearer token; each is verified by its gateway's
 * signature (Stripe: `Stripe-Signature` over the raw bytes; Fawry: `messageSignature`).
 */
function WebhookDocs(summary: string, stripeSignature: boolean): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorate of [
      HttpCode(HttpStatus.OK),
      KeepRawBody(),
      ApiOperation({ summary }),
      ApiSecurity({}),
      ...(stripeSignature
        ? [
            ApiHeader({
              name: 'stripe-signature',
              required: false,
              description: 'Stripe webhooks: the signature over the raw body',
            }),
          ]
        : []),
      ApiOkResponse({
        type: WebhookAckDto,
        description: 'Handled, or a duplicate (nothing changed)',
      }),
      ApiBadRequestResponse({ type: ErrorResponseDto, description: 'INVALID_SIGNATURE' }),
      ApiNotFoundResponse({
        type: ErrorResponseDto,
        description: 'A payment not known yet: not acknowledged, the gateway sends it again',
      }),
      ApiConflictResponse({ type: ErrorResponseDto, description: 'PROVIDER_NOT_CONFIGURED' }),
      ApiServiceUnavailableResponse({
        type: ErrorResponseDto,
        description: 'The gateway could not be asked to confirm: sent again later',
      }),
    ]) {
      decorate(target, key, descriptor);
    }
  };
}

@ApiTags('payments')
@Controller('payments/webhook')
export class PaymentWebhooksController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @WebhookDocs(
    'A gateway webhook: Stripe when Stripe-Signature is present, otherwise a Fawry V2 notification',
    true,
  )
  receive(@Req() request: RawBodyRequest): Promise<WebhookOutcome> {
    return this.handle(undefined, request);
  }

  @Post('stripe')
  @WebhookDocs('A Stripe webhook, verified on the raw bytes (300 s tolerance)', true)
  receiveStripe(@Req() request: RawBodyRequest): Promise<WebhookOutcome> {
    return this.handle('stripe', request);
  }

  @Post('fawry')
  @WebhookDocs('A Fawry V2 server notification, verified by its messageSignature', false)
  receiveFawry(@Req() request: RawBodyRequest): Promise<WebhookOutcome> {
    return this.handle('fawry', request);
  }

  private handle(
    provider: PaymentProviderName | undefined,
    request: RawBodyRequest,
  ): Promise<WebhookOutcome> {
    return this.payments.handleWebhook(provider, request.rawBody, request.headers);
  }
}
