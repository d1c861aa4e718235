/**
 * A loopback stand-in for the few Stripe API reads the webhook and reconciliation make
 * (`GET /v1/customers/:id`, `GET /v1/refunds/:id`), reached by the real SDK through
 * STRIPE_API_BASE. Not an emulator: it serves the objects a test gives it, and 404s the rest
 * the way Stripe does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StripeStandIn {
  readonly url: string;
  readonly customers: Map<string, Record<string, unknown>>;
  readonly refunds: Map<string, Record<string, unknown>>;
  /** `GET /v1/customers/cus_1`, ... in the order they came. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const customers = new Map<string, Record<string, unknown>>();
  const refunds = new Map<string, Record<string, unknown>>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const [, kind, id] = /^\/v1\/(customers|refunds)\/([^/?]+)/.exec(req.url ?? '') ?? [];
    const found =
      kind === 'customers' ? customers.get(id ?? '') : kind === 'refunds' ? refunds.get(id ?? '') : undefined;
    const body = found ?? {
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such ${kind ?? 'object'}: '${id}'`,
      },
    };
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json', 'request-id': 'req_stand_in' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    customers,
    refunds,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
