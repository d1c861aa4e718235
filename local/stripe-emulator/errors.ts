/** Stripe's error body (`{ error: { type, code?, message, param?, doc_url? } }`) and its HTTP status. */

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error';

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(requestId: string) {
    return {
      error: {
        type: this.type,
        ...(this.code
          ? {
              code: this.code,
              doc_url: `https://docs.stripe.com/error-codes/${this.code.replaceAll('_', '-')}`,
            }
          : {}),
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
      },
    };
  }
}

export const invalid = (message: string, code?: string, param?: string) =>
  new StripeApiError(400, 'invalid_request_error', message, code, param);

/** Stripe's 404 for an unknown object: `No such charge: 'ch_x'`, param `id` on a retrieve, the field name on a create. */
export const missing = (kind: string, id: string, param = 'id') =>
  new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', param);
