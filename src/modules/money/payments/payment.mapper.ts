import type { AuthUser } from '../../../common/auth/auth-user.js';
import { STAFF_ROLES } from '../../../common/auth/role.js';
import type { PaymentResponseDto } from './dto/payment.dto.js';
import { type PaymentEntity, PaymentStatus } from './schemas/payment.schema.js';

/**
 * A payment as `viewer` may see it: what pays it (client secret, reference number, page) only
 * for the payer while it is pending; the refund for the payer and staff (its last error for
 * staff); whether it is parked for staff.
 */
export function toPaymentResponse(payment: PaymentEntity, viewer: AuthUser): PaymentResponseDto {
  const staff = STAFF_ROLES.includes(viewer.role);
  const payer = payment.payer === viewer.id;
  // a parked payment is not to be paid again (an admin looks at what was paid)
  const payable = payer && payment.status === PaymentStatus.Pending && !payment.parked;
  const refund = payment.refund;
  return {
    id: payment.id,
    purpose: payment.purpose,
    job: payment.job,
    payer: payment.payer,
    payee: payment.payee,
    provider: payment.provider,
    method: payment.method,
    status: payment.status,
    amount: payment.amount,
    currency: 'EGP',
    ...(payable && payment.clientSecret ? { clientSecret: payment.clientSecret } : {}),
    ...(payable && payment.referenceNumber ? { referenceNumber: payment.referenceNumber } : {}),
    ...(payable && payment.paymentUrl ? { paymentUrl: payment.paymentUrl } : {}),
    expiresAt: payment.expiresAt,
    heldAt: payment.heldAt,
    releasedAt: payment.releasedAt,
    refundedAmount: payment.refundedAmount,
    ...(payer || staff
      ? {
          refund: refund
            ? {
                state: refund.state,
                amount: refund.amount,
                reason: refund.reason,
                attempts: refund.attempts,
                ...(staff ? { lastError: refund.lastError } : {}),
                nextAttemptAt: refund.nextAttemptAt,
                doneAt: refund.doneAt,
              }
            : null,
        }
      : {}),
    ...(staff ? { parked: payment.parked } : {}),
    failureReason: payment.failureReason,
    createdAt: payment.createdAt,
  };
}
