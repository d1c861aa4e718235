/**
 * A local Stripe for the subset Refund Hub uses, on node:http, reached by the real `stripe` SDK
 * (`new Stripe(key, { host: '127.0.0.1', port, protocol: 'http' })`). Stripe's routes under /v1
 * (form-encoded bodies, JSON answers, Stripe's errors and statuses, idempotent POSTs, events and
 * signed webhooks) and control routes under /_emulator (JSON; seeding, test behaviours, faults).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalid, StripeApiError } from './errors.js';
import { type FormParams, parseForm } from './form.js';
import { IdempotencyKeys, type SavedResponse, savable } from './idempotency.js';
import {
  type AccountBehaviours,
  API_VERSION,
  type ChargeBehaviours,
  type CreateSubscriptionInput,
  type EmulatedCharge,
  type EmulatedCustomer,
  type EmulatedRefund,
  type EmulatedSubscription,
  type PaidInvoice,
  type PayInvoiceInput,
  type RequestInfo,
  randomId,
  type SeedChargeInput,
  type SeedCustomerInput,
  type UpdateSubscriptionInput,
} from './objects.js';
import { StripeStore } from './store.js';
import { WebhookDelivery } from './webhooks.js';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A fault for the next `count` requests whose path starts with `pathPrefix` (and method, when given):
 * `500` (api_error, `Stripe-Should-Retry: true`), `429` (rate limit), `drop_after` (the request is
 * done, then its socket destroyed without an answer: a lost response), `delay` (answers after `delayMs`,
 * holding its idempotency key meanwhile).
 */
export interface Fault {
  readonly pathPrefix: string;
  readonly method?: string;
  readonly status: 500 | 429 | 'drop_after' | 'delay';
  /** @default 1 */
  readonly count?: number;
  /** For `delay`. @default 200 */
  readonly delayMs?: number;
}

export interface StripeEmulatorOptions extends AccountBehaviours {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** `sk_test_…`; generated when absent. */
  readonly apiKey?: string;
  /** `whsec_…`; generated when absent. */
  readonly webhookSecret?: string;
  readonly webhookUrls?: readonly string[];
  /** Pauses before each webhook retry. @default [100, 400, 1600] */
  readonly webhookRetryDelaysMs?: readonly number[];
  /** @default 5000 */
  readonly webhookTimeoutMs?: number;
  /** Epoch ms. @default Date.now */
  readonly now?: () => number;
  /** Where given-up deliveries are reported. @default nothing */
  readonly log?: (line: string) => void;
}

export interface StripeEmulator {
  /** `http://127.0.0.1:<port>` (STRIPE_API_BASE). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly apiKey: string;
  readonly webhookSecret: string;
  /** The account's state, for in-process calls (seeding thousands of replay accounts without HTTP). */
  readonly store: StripeStore;
  addWebhookUrl(url: string): void;
  seedCustomer(input: SeedCustomerInput): EmulatedCustomer;
  seedCharge(input: SeedChargeInput): EmulatedCharge;
  setChargeBehaviours(chargeId: string, behaviours: ChargeBehaviours): EmulatedCharge;
  /** Changes account behaviours (insufficientBalance, refundsStartPending) while running. */
  setAccount(behaviours: AccountBehaviours): void;
  createSubscription(input: CreateSubscriptionInput): EmulatedSubscription;
  updateSubscription(id: string, input: UpdateSubscriptionInput): EmulatedSubscription;
  cancelSubscription(id: string): EmulatedSubscription;
  payInvoice(subscriptionId: string, input?: PayInvoiceInput): PaidInvoice;
  failRefund(id: string, failureReason?: string): EmulatedRefund;
  settleRefund(id: string): EmulatedRefund;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Resolves when every webhook delivery queued so far (and its retries) is done. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

type Handler = (context: { params: FormParams; path: string[]; request: RequestInfo }) => unknown;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** `POST /v1/refunds`: how idempotency compares endpoints. */
  readonly handler: Handler;
}

const segment = '([^/]+)';

function stripeRoutes(store: StripeStore): Route[] {
  const route = (method: string, path: string, handler: Handler): Route => ({
    method,
    pattern: new RegExp(`^${path.replaceAll(':id', segment)}$`),
    handler,
  });
  const id = (path: string[], index = 0) => decodeURIComponent(path[index] as string);
  return [
    route('POST', '/v1/customers', ({ params, request }) => store.createCustomer(params, request)),
    route('GET', '/v1/customers', ({ params }) => store.listCustomers(params)),
    route('GET', '/v1/customers/search', ({ params }) => store.searchCustomers(params)),
    route('GET', '/v1/customers/:id', ({ path }) => store.retrieveCustomer(id(path))),
    route('POST', '/v1/customers/:id', ({ params, path, request }) =>
      store.updateCustomer(id(path), params, request),
    ),
    route('POST', '/v1/customers/:id/balance_transactions', ({ params, path, request }) =>
      store.createBalanceTransaction(id(path), params, request),
    ),
    route('GET', '/v1/customers/:id/balance_transactions', ({ params, path }) =>
      store.listBalanceTransactions(id(path), params),
    ),
    route('GET', '/v1/customers/:id/balance_transactions/:id', ({ path }) =>
      store.retrieveBalanceTransaction(id(path), id(path, 1)),
    ),
    route('POST', '/v1/charges', ({ params, request }) => store.createCharge(params, request)),
    route('GET', '/v1/charges', ({ params }) => store.listCharges(params)),
    route('GET', '/v1/charges/:id', ({ params, path }) => store.retrieveCharge(id(path), params)),
    route('GET', '/v1/payment_intents/:id', ({ path }) => store.retrievePaymentIntent(id(path))),
    route('POST', '/v1/refunds', ({ params, request }) => store.createRefund(params, request)),
    route('GET', '/v1/refunds', ({ params }) => store.listRefunds(params)),
    route('GET', '/v1/refunds/:id', ({ path }) => store.retrieveRefund(id(path))),
    route('POST', '/v1/refunds/:id', ({ params, path, request }) =>
      store.updateRefund(id(path), params, request),
    ),
    route('POST', '/v1/refunds/:id/cancel', ({ path, request }) => store.cancelRefund(id(path), request)),
    route('GET', '/v1/subscriptions', ({ params }) => store.listSubscriptions(params)),
    route('GET', '/v1/subscriptions/:id', ({ path }) => store.retrieveSubscription(id(path))),
    route('GET', '/v1/invoices/:id', ({ path }) => store.retrieveInvoice(id(path))),
    route('GET', '/v1/invoice_payments', ({ params }) => store.listInvoicePayments(params)),
    route('GET', '/v1/events', ({ params }) => store.listEvents(params)),
    route('GET', '/v1/events/:id', ({ path }) => store.retrieveEvent(id(path))),
  ];
}

/** The control routes' JSON bodies are trusted test input: shapes are checked by the store's own errors. */
function controlRoutes(emulator: Omit<StripeEmulator, 'url' | 'host' | 'port'>): Route[] {
  const route = (method: string, path: string, handler: (body: never, path: string[]) => unknown): Route => ({
    method,
    pattern: new RegExp(`^/_emulator${path.replaceAll(':id', segment)}$`),
    handler: ({ params, path: groups }) => handler(params as never, groups.map(decodeURIComponent)),
  });
  return [
    route('POST', '/customers', (body: SeedCustomerInput) => emulator.seedCustomer(body)),
    route('POST', '/charges', (body: SeedChargeInput) => emulator.seedCharge(body)),
    route('POST', '/charges/:id/behaviours', (body: ChargeBehaviours, [id]) =>
      emulator.setChargeBehaviours(id as string, body),
    ),
    route('POST', '/account', (body: AccountBehaviours) => {
      emulator.setAccount(body);
      return {};
    }),
    route('POST', '/subscriptions', (body: CreateSubscriptionInput) => emulator.createSubscription(body)),
    route('POST', '/subscriptions/:id', (body: UpdateSubscriptionInput, [id]) =>
      emulator.updateSubscription(id as string, body),
    ),
    route('POST', '/subscriptions/:id/cancel', (_body, [id]) => emulator.cancelSubscription(id as string)),
    route('POST', '/subscriptions/:id/pay_invoice', (body: PayInvoiceInput, [id]) =>
      emulator.payInvoice(id as string, body),
    ),
    route('POST', '/refunds/:id/fail', (body: { failureReason?: string }, [id]) =>
      emulator.failRefund(id as string, body.failureReason),
    ),
    route('POST', '/refunds/:id/settle', (_body, [id]) => emulator.settleRefund(id as string)),
    route('POST', '/faults', (body: Fault) => {
      emulator.injectFault(body);
      return {};
    }),
    route('DELETE', '/faults', () => {
      emulator.clearFaults();
      return {};
    }),
    route('POST', '/webhook_endpoints', (body: { url: string }) => {
      emulator.addWebhookUrl(body.url);
      return {};
    }),
    route('POST', '/flush', async () => {
      await emulator.flush();
      return {};
    }),
  ];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalid('The request body is too large.'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Stripe's masking of a key in its 401 message: the prefix and the last four characters. */
function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

function presentedKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2) as [string, string | undefined];
  if (!value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return undefined;
}

function checkKey(header: string | undefined, apiKey: string): void {
  const key = presentedKey(header);
  if (key === undefined)
    throw new StripeApiError(
      401,
      'invalid_request_error',
      'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth ' +
        "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, " +
        'or we can help at https://support.stripe.com/.',
    );
  if (key !== apiKey)
    throw new StripeApiError(
      401,
      'invalid_request_error',
      `Invalid API Key provided: ${maskKey(key)}`,
      'api_key_invalid',
    );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const now = options.now ?? Date.now;
  const apiKey = options.apiKey ?? randomId('sk_test_', 32);
  const webhookSecret = options.webhookSecret ?? randomId('whsec_', 32);
  if (!/^sk_test_[A-Za-z0-9]{24,}$/.test(apiKey))
    throw new Error('apiKey must look like a Stripe test key: sk_test_ and 24+ letters or digits');
  if (!/^whsec_[A-Za-z0-9]{32,}$/.test(webhookSecret))
    throw new Error('webhookSecret must look like whsec_ and 32+ letters or digits');
  const account: AccountBehaviours = {
    insufficientBalance: options.insufficientBalance ?? false,
    refundsStartPending: options.refundsStartPending ?? false,
  };
  const timers = new Set<NodeJS.Timeout>();
  let store: StripeStore | undefined;
  const delivery = new WebhookDelivery({
    secret: webhookSecret,
    now,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [100, 400, 1600],
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    log: options.log ?? (() => {}),
    delivered: (eventId) => store?.delivered(eventId),
  });
  for (const url of options.webhookUrls ?? []) delivery.addUrl(url);
  store = new StripeStore({
    now,
    account,
    onEvent: (event) => delivery.send(event),
    schedule: (ms, run) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        try {
          run();
        } catch {
          // The refund changed meanwhile (canceled, failed by hand): nothing left to do.
        }
      }, ms);
      timer.unref();
      timers.add(timer);
    },
  });
  const theStore = store;
  const idempotency = new IdempotencyKeys(now);
  const faults: { fault: Fault; left: number }[] = [];

  const control: Omit<StripeEmulator, 'url' | 'host' | 'port'> = {
    apiKey,
    webhookSecret,
    store: theStore,
    addWebhookUrl: (url) => delivery.addUrl(url),
    seedCustomer: (input) => theStore.seedCustomer(input),
    seedCharge: (input) => theStore.seedCharge(input),
    setChargeBehaviours: (chargeId, behaviours) => theStore.setChargeBehaviours(chargeId, behaviours),
    setAccount: (behaviours) => Object.assign(account, behaviours),
    createSubscription: (input) => theStore.createSubscription(input),
    updateSubscription: (id, input) => theStore.updateSubscription(id, input),
    cancelSubscription: (id) => theStore.cancelSubscription(id),
    payInvoice: (id, input) => theStore.payInvoice(id, input),
    failRefund: (id, reason) => theStore.failRefund(id, reason),
    settleRefund: (id) => theStore.settleRefund(id),
    injectFault: (fault) => {
      if (![500, 429, 'drop_after', 'delay'].includes(fault.status))
        throw new Error(`Unknown fault status ${String(fault.status)}`);
      faults.push({ fault, left: fault.count ?? 1 });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    flush: () => delivery.flush(),
    stop: async () => {},
  };
  const apiRoutes = stripeRoutes(theStore);
  const emulatorRoutes = controlRoutes(control);

  const takeFault = (method: string, path: string): Fault | undefined => {
    const index = faults.findIndex(
      ({ fault }) =>
        path.startsWith(fault.pathPrefix) &&
        (fault.method === undefined || fault.method.toUpperCase() === method),
    );
    if (index < 0) return undefined;
    const entry = faults[index] as { fault: Fault; left: number };
    entry.left -= 1;
    if (entry.left <= 0) faults.splice(index, 1);
    return entry.fault;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body, null, 2);
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomId('req_', 14);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    res.setHeader('request-id', requestId);
    res.setHeader('stripe-version', (req.headers['stripe-version'] as string | undefined) ?? API_VERSION);
    const fail = (error: unknown, headers: Record<string, string> = {}) => {
      const known =
        error instanceof StripeApiError
          ? error
          : error instanceof SyntaxError || (error instanceof Error && path.startsWith('/_emulator/'))
            ? invalid(error.message)
            : new StripeApiError(
                500,
                'api_error',
                `An unexpected error occurred: ${(error as Error).message}`,
              );
      return { status: known.status, body: known.body(requestId), headers: { ...headers, ...known.headers } };
    };
    let body: string;
    try {
      body = await readBody(req);
      checkKey(req.headers.authorization, apiKey);
    } catch (error) {
      const failed = fail(error);
      return send(res, failed.status, failed.body, failed.headers);
    }

    if (path.startsWith('/_emulator/')) {
      const route = emulatorRoutes.find((r) => r.method === method && r.pattern.test(path));
      if (!route)
        return send(res, 404, invalid(`Unrecognized emulator route (${method}: ${path})`).body(requestId));
      try {
        const params = (body.trim() === '' ? {} : JSON.parse(body)) as FormParams;
        const groups = (route.pattern.exec(path) as RegExpExecArray).slice(1);
        const result = await route.handler({
          params,
          path: groups,
          request: { id: requestId, idempotencyKey: null },
        });
        return send(res, 200, result);
      } catch (error) {
        const failed = fail(error);
        return send(res, failed.status, failed.body, failed.headers);
      }
    }

    const route = apiRoutes.find((r) => r.method === method && r.pattern.test(path));
    if (!route)
      return send(
        res,
        404,
        invalid(
          `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        ).body(requestId),
      );
    const fault = path.startsWith('/v1/') ? takeFault(method, path) : undefined;
    if (fault?.status === 500)
      return send(
        res,
        500,
        new StripeApiError(500, 'api_error', 'An unknown error occurred').body(requestId),
        {
          'stripe-should-retry': 'true',
        },
      );
    if (fault?.status === 429)
      return send(
        res,
        429,
        new StripeApiError(
          429,
          'invalid_request_error',
          'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
          'rate_limit',
        ).body(requestId),
      );

    const idempotencyKey =
      method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    let params: FormParams;
    let release: ((response?: SavedResponse) => void) | undefined;
    try {
      params = parseForm(method === 'POST' ? body : url.search.slice(1));
      if (idempotencyKey !== undefined) {
        res.setHeader('idempotency-key', idempotencyKey);
        const claim = idempotency.claim(idempotencyKey, `${method} ${path}`, params);
        if (claim.kind === 'replay') {
          if (fault?.status === 'drop_after') return void req.socket.destroy();
          return send(res, claim.response.status, claim.response.body, {
            'idempotent-replayed': 'true',
            'original-request': claim.response.requestId,
          });
        }
        release = claim.release;
      }
    } catch (error) {
      const failed = fail(error);
      return send(res, failed.status, failed.body, failed.headers);
    }

    if (fault?.status === 'delay') await sleep(fault.delayMs ?? 200);
    let result: { status: number; body: unknown; headers: Record<string, string> };
    try {
      const groups = (route.pattern.exec(path) as RegExpExecArray).slice(1);
      const object = route.handler({
        params,
        path: groups,
        request: { id: requestId, idempotencyKey: idempotencyKey ?? null },
      });
      result = { status: 200, body: object, headers: {} };
    } catch (error) {
      result = fail(error);
    }
    release?.(
      savable(result.status, result.body)
        ? { status: result.status, body: result.body, requestId }
        : undefined,
    );
    // The work is done and saved under its key; the answer is lost on the way.
    if (fault?.status === 'drop_after') return void req.socket.destroy();
    send(res, result.status, result.body, result.headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent)
        send(res, 500, new StripeApiError(500, 'api_error', error.message).body('req_unknown'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...control,
    url: `http://${host}:${port}`,
    host,
    port,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      delivery.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
