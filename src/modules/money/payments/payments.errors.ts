import { CommonErrors, DomainError } from '../../../common/errors/domain.error.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import type { PaymentMethod, PaymentProviderName } from './payment-provider.js';

export const PaymentsErrors = {
  notFound: () => CommonErrors.notFound('Payment'),
  notYours: () =>
    CommonErrors.forbidden('Only the payer, the craftsman paid and staff may see this payment'),
  notPayer: () => CommonErrors.forbidden('Only the client who posted the job pays for it'),
  providerNotConfigured: (provider: PaymentProviderName) =>
    new DomainError(
      ErrorCode.ProviderNotConfigured,
      `Payments through ${provider} are not available on this server`,
      { provider },
    ),
  jobNotHired: () =>
    new DomainError(
      ErrorCode.JobNotPayable,
      'A job is paid once hired and before the work starts (status hired)',
    ),
  jobPaidInCash: () =>
    new DomainError(
      ErrorCode.JobNotPayable,
      'This job is paid in cash to the craftsman: nothing to pay through the platform',
    ),
  methodNotSupported: (provider: PaymentProviderName, method: PaymentMethod, why: string) =>
    new DomainError(
      ErrorCode.PaymentMethodNotSupported,
      `${provider} can't take this payment with ${method}: ${why}`,
      [{ field: 'method', message: why }],
    ),
  gatewayFailed: (provider: PaymentProviderName) =>
    new DomainError(
      ErrorCode.PaymentGatewayFailed,
      `${provider} refused or could not take the payment; try again later or with another method`,
    ),
  invalidSignature: () =>
    new DomainError(ErrorCode.InvalidSignature, 'The webhook signature does not verify'),
  /** The gateway's status API could not be asked: nothing moved, asking again is safe. */
  gatewayUnavailable: (provider: PaymentProviderName) =>
    new DomainError(
      ErrorCode.ServiceUnavailable,
      `${provider} could not be asked about this payment; try again shortly`,
    ),
};
