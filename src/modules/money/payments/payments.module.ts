import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import type { AllConfig } from '../../../config/config.js';
import { JobsModule } from '../../jobs/jobs.module.js';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { UsersModule } from '../../users/users.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { WalletModule } from '../wallet/wallet.module.js';
import { DisputeSettlementService } from './dispute-settlement.service.js';
import { EscrowService } from './escrow.service.js';
import { GatewayRefundsService } from './gateway-refunds.service.js';
import { PAYMENT_PROVIDERS_TOKEN, type PaymentProvider } from './payment-provider.js';
import { PaymentProviders } from './payment-providers.js';
import { PaymentWebhookEventsRepository } from './payment-webhook-events.repository.js';
import { PaymentWebhooksController } from './payment-webhooks.controller.js';
import { PaymentsAdminController } from './payments-admin.controller.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsListener } from './payments.listener.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';
import { FawryPaymentProvider } from './providers/fawry-payment.provider.js';
import { StripePaymentProvider } from './providers/stripe-payment.provider.js';
import {
  PaymentWebhookEvent,
  PaymentWebhookEventSchema,
} from './schemas/payment-webhook-event.schema.js';
import { Payment, PaymentSchema } from './schemas/payment.schema.js';
import { WalletTopUpController } from './wallet-top-up.controller.js';

/** The payment gateways configured (FAWRY_*, STRIPE_*); the others are off. */
function paymentProvidersFrom(config: ConfigService<AllConfig, true>): PaymentProvider[] {
  const money = config.get('money', { infer: true });
  const timeoutMs = money.paymentGatewayTimeoutMs;
  const providers: PaymentProvider[] = [];
  if (money.fawry) {
    providers.push(new FawryPaymentProvider({ ...money.fawry, timeoutMs }));
  }
  if (money.stripe) {
    providers.push(new StripePaymentProvider({ ...money.stripe, timeoutMs }));
  }
  return providers;
}

/** Client payments: initiating, gateways' webhooks, escrow hold, release and refunds. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Payment.name, schema: PaymentSchema },
      { name: PaymentWebhookEvent.name, schema: PaymentWebhookEventSchema },
    ]),
    LedgerModule,
    WalletModule,
    JobsModule,
    UsersModule,
    NotificationsModule,
  ],
  controllers: [
    PaymentsController,
    PaymentWebhooksController,
    PaymentsAdminController,
    WalletTopUpController,
  ],
  providers: [
    PaymentsService,
    EscrowService,
    DisputeSettlementService,
    GatewayRefundsService,
    PaymentsRepository,
    PaymentWebhookEventsRepository,
    PaymentProviders,
    PaymentsListener,
    { provide: PAYMENT_PROVIDERS_TOKEN, inject: [ConfigService], useFactory: paymentProvidersFrom },
  ],
  exports: [PaymentsService, EscrowService, GatewayRefundsService, DisputeSettlementService],
})
export class PaymentsModule {}
