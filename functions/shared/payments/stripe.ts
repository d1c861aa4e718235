/**
 * The `stripe` payment provider, on the official SDK. A refund is `refunds.create` on the payment
 * intent (or the charge) with the ledger line's idempotency key; a goodwill credit is a customer
 * balance credit with the case's key. Stripe's retry advice: retry only what may succeed (network
 * faults, 409 key in use, 429, 5xx unless `Stripe-Should-Retry: false`), always with the same key;
 * any other refusal is final (`PaymentDeclined`) and the case goes to a person.
 */
import type Stripe from 'stripe';
import {
  PaymentDeclined,
  type PaymentProvider,
  type ProviderCreditRequest,
  type ProviderRefund,
  type ProviderRefundRequest,
  type RefundStatus,
} from './provider.js';

/** Metadata key on a Stripe customer that names our customer. */
export const CUSTOMER_METADATA_KEY = 'refundHubCustomerId';

export function refundStatusOf(status: string | null | undefined): RefundStatus {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
      return status;
    // `pending` and `requires_action` (the customer has to act, e.g. give bank details) wait.
    default:
      return 'pending';
  }
}

function providerRefund(refund: Stripe.Refund): ProviderRefund {
  const status = refundStatusOf(refund.status);
  return {
    providerRefundId: refund.id,
    status,
    amount: refund.amount,
    currency: refund.currency.toUpperCase(),
    ...(refund.failure_reason && (status === 'failed' || status === 'canceled')
      ? { failureReason: refund.failure_reason }
      : {}),
  };
}

/** Whether Stripe says the request may succeed if sent again (with the same idempotency key). */
export function isRetryable(error: unknown): boolean {
  const e = error as { type?: string; statusCode?: number; headers?: Record<string, string> };
  if (e.type === 'StripeConnectionError') return true;
  const shouldRetry = e.headers?.['stripe-should-retry'];
  if (shouldRetry === 'false') return false;
  if (shouldRetry === 'true') return true;
  const status = e.statusCode ?? 0;
  if (status === 409 || status === 429 || status >= 500) return true;
  // Not a Stripe API answer at all (a timeout, a DNS fault): safe to retry with the same key.
  return !e.type?.startsWith('Stripe') || e.type === 'StripeAPIError';
}

/** A Stripe refusal as our final error, or the error itself to be retried. */
function classify(error: unknown): Error {
  if (isRetryable(error)) return error as Error;
  const e = error as { code?: string; type?: string; message?: string };
  return new PaymentDeclined(
    e.code ?? e.type ?? 'declined',
    e.message ?? 'The payment provider refused the request',
  );
}

export function stripeProvider(stripe: Stripe): PaymentProvider {
  const customerIdFor = async (request: ProviderCreditRequest): Promise<string> => {
    if (request.providerCustomerId) return request.providerCustomerId;
    const found = await stripe.customers.search({
      query: `metadata['${CUSTOMER_METADATA_KEY}']:'${request.customerId.replaceAll("'", "\\'")}'`,
      limit: 2,
    });
    const [customer, other] = found.data;
    if (!customer || other) {
      throw new PaymentDeclined(
        'customer_not_found',
        `${found.data.length === 0 ? 'No' : 'More than one'} Stripe customer has metadata.${CUSTOMER_METADATA_KEY} = ${request.customerId}`,
      );
    }
    return customer.id;
  };

  return {
    name: 'stripe',
    refund: async (request: ProviderRefundRequest) => {
      try {
        const refund = await stripe.refunds.create(
          {
            ...(request.paymentIntentId
              ? { payment_intent: request.paymentIntentId }
              : { charge: request.chargeId }),
            amount: request.amount,
            metadata: {
              caseId: request.caseId,
              [CUSTOMER_METADATA_KEY]: request.customerId,
              chargeId: request.chargeId,
            },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return providerRefund(refund);
      } catch (error) {
        throw classify(error);
      }
    },
    refundStatus: async (providerRefundId: string) => {
      try {
        return providerRefund(await stripe.refunds.retrieve(providerRefundId));
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw error;
      }
    },
    credit: async (request: ProviderCreditRequest) => {
      try {
        const customer = await customerIdFor(request);
        // A negative balance is a credit the customer's next invoices use first.
        const transaction = await stripe.customers.createBalanceTransaction(
          customer,
          {
            amount: -request.amount,
            currency: request.currency.toLowerCase(),
            description: request.description,
            metadata: { caseId: request.caseId, [CUSTOMER_METADATA_KEY]: request.customerId },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { providerCreditId: transaction.id };
      } catch (error) {
        if (error instanceof PaymentDeclined) throw error;
        throw classify(error);
      }
    },
  };
}
