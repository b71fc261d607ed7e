import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PaymentsErrors } from './payments.errors.js';
import {
  PAYMENT_PROVIDERS,
  PAYMENT_PROVIDERS_TOKEN,
  type PaymentProvider,
  type PaymentProviderName,
} from './payment-provider.js';

/**
 * The payment gateways this instance is configured for (FAWRY_*, STRIPE_*); one without its
 * configuration is off, and says so at boot.
 */
@Injectable()
export class PaymentProviders implements OnModuleInit {
  private readonly logger = new Logger(PaymentProviders.name);
  private readonly byName: Map<PaymentProviderName, PaymentProvider>;

  constructor(@Inject(PAYMENT_PROVIDERS_TOKEN) providers: PaymentProvider[]) {
    this.byName = new Map(providers.map((provider) => [provider.name, provider]));
  }

  onModuleInit(): void {
    for (const name of PAYMENT_PROVIDERS) {
      this.logger.log(
        this.byName.has(name)
          ? `Payment provider ${name}: on`
          : `Payment provider ${name}: off (not configured)`,
      );
    }
  }

  /**
   * The configured provider of that name.
   * @throws 409 PROVIDER_NOT_CONFIGURED
   */
  get(name: PaymentProviderName): PaymentProvider {
    const provider = this.byName.get(name);
    if (!provider) {
      throw PaymentsErrors.providerNotConfigured(name);
    }
    return provider;
  }

  /** The provider, or undefined when it is off (webhooks for it are refused). */
  find(name: PaymentProviderName): PaymentProvider | undefined {
    return this.byName.get(name);
  }
}
