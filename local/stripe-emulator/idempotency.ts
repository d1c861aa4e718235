/**
 * Stripe's idempotent requests (https://docs.stripe.com/api/idempotent_requests): the first result of a
 * POST with an `Idempotency-Key` is saved, status and body, and the same key with the same endpoint and
 * params gets it again (`Idempotent-Replayed: true`); other params or another endpoint are an
 * `idempotency_error`; a request still running with the key is a 409 `idempotency_key_in_use`. Results
 * of a request that failed validation, conflicted or hit a 500 are not saved (a retry runs again). Kept 24 h.
 */
import { StripeApiError } from './errors.js';
import { type FormParams, sameParams } from './form.js';

export const KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface SavedResponse {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string;
}

interface Entry {
  readonly endpoint: string;
  readonly params: FormParams;
  readonly at: number;
  /** Undefined while the first request runs. */
  response?: SavedResponse;
}

export type Claim =
  | { readonly kind: 'replay'; readonly response: SavedResponse }
  | { readonly kind: 'run'; release(response?: SavedResponse): void };

export class IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  /** Before running `endpoint` (`POST /v1/refunds`) with `params` under `key`: replay, run, or throw Stripe's error. */
  claim(key: string, endpoint: string, params: FormParams): Claim {
    this.expire();
    const entry = this.entries.get(key);
    if (entry) {
      if (!entry.response)
        throw new StripeApiError(
          409,
          'invalid_request_error',
          'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, ' +
            `and the other request is still going through): ${key}. Please try again later.`,
          'idempotency_key_in_use',
        );
      if (entry.endpoint !== endpoint)
        throw new StripeApiError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${endpoint}' vs '${entry.endpoint}'). ` +
            `Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      if (!sameParams(entry.params, params))
        throw new StripeApiError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      return { kind: 'replay', response: entry.response };
    }
    const running: Entry = { endpoint, params, at: this.now() };
    this.entries.set(key, running);
    return {
      kind: 'run',
      release: (response) => {
        if (response) running.response = response;
        else this.entries.delete(key);
      },
    };
  }

  private expire() {
    const oldest = this.now() - KEY_TTL_MS;
    // Insertion order is age order: stop at the first key still young.
    for (const [key, entry] of this.entries) {
      if (entry.at > oldest) break;
      if (entry.response) this.entries.delete(key);
    }
  }
}

/** Whether a response is saved for replay: not a 500 (api_error), a conflict, a rate limit or a param that failed validation. */
export function savable(status: number, body: unknown): boolean {
  if (status >= 500 || status === 409 || status === 429 || status === 401) return false;
  const code = (body as { error?: { code?: string; type?: string } }).error;
  if (code?.type === 'idempotency_error') return false;
  return !(code?.code?.startsWith('parameter_') ?? false);
}
