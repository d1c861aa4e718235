/**
 * Webhook delivery as Stripe does it: the event's JSON POSTed to each endpoint with
 * `Stripe-Signature: t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the whsec secret>`,
 * which `stripe.webhooks.constructEvent` accepts. Each endpoint gets its events in order, one at a time;
 * a non-2xx or a network error is retried with backoff, then given up (logged). Never blocks the API.
 */
import { createHmac } from 'node:crypto';
import type { EmulatedEvent } from './objects.js';

/** The `Stripe-Signature` header for a payload, as Stripe computes it. */
export function signatureHeader(payload: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret)
    .update(`${timestampSeconds}.${payload}`, 'utf8')
    .digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

export interface DeliveryOptions {
  readonly secret: string;
  readonly now: () => number;
  /** Pauses before each retry, ms. */
  readonly retryDelaysMs: readonly number[];
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  readonly delivered: (eventId: string) => void;
}

class Endpoint {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    readonly url: string,
    private readonly options: DeliveryOptions,
    private readonly signal: AbortSignal,
  ) {}

  enqueue(event: EmulatedEvent): void {
    // Serialized now: the payload is the event as it was when it happened.
    const payload = JSON.stringify(event, null, 2);
    this.pending += 1;
    this.chain = this.chain
      .then(() => this.deliver(event.id, event.type, payload))
      .finally(() => {
        this.pending -= 1;
      });
  }

  get idle(): Promise<void> {
    return this.chain;
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  private async deliver(id: string, type: string, payload: string): Promise<void> {
    const { retryDelaysMs } = this.options;
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
      if (this.signal.aborted) return;
      if (attempt > 0) await sleep(retryDelaysMs[attempt - 1] ?? 0, this.signal);
      if (this.signal.aborted) return;
      let outcome: string;
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'stripe-signature': signatureHeader(
              payload,
              this.options.secret,
              Math.floor(this.options.now() / 1000),
            ),
          },
          body: payload,
          signal: AbortSignal.any([this.signal, AbortSignal.timeout(this.options.timeoutMs)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.options.delivered(id);
          return;
        }
        outcome = `HTTP ${response.status}`;
      } catch (error) {
        if (this.signal.aborted) return;
        outcome = (error as Error).message;
      }
      if (attempt === retryDelaysMs.length)
        this.options.log(
          `Stripe emulator: gave up delivering ${type} ${id} to ${this.url} after ${attempt + 1} attempts (${outcome})`,
        );
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class WebhookDelivery {
  private readonly endpoints: Endpoint[] = [];
  private readonly abort = new AbortController();

  constructor(private readonly options: DeliveryOptions) {}

  addUrl(url: string): void {
    if (!this.endpoints.some((e) => e.url === url))
      this.endpoints.push(new Endpoint(url, this.options, this.abort.signal));
  }

  get urls(): string[] {
    return this.endpoints.map((e) => e.url);
  }

  /** Queues the event for every endpoint; returns how many (the event's `pending_webhooks`). */
  send(event: EmulatedEvent): number {
    for (const endpoint of this.endpoints) endpoint.enqueue(event);
    return this.endpoints.length;
  }

  /** Resolves when every queued delivery (with its retries) is done, including ones queued meanwhile. */
  async flush(): Promise<void> {
    while (this.endpoints.some((e) => e.busy)) await Promise.all(this.endpoints.map((e) => e.idle));
  }

  stop(): void {
    this.abort.abort();
  }
}
