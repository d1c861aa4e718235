/**
 * The emulator's account: customers, charges, payment intents, refunds, customer balance
 * transactions, subscriptions, invoices and the events their changes make. Synchronous and in
 * memory; the clock is injected. The objects' shapes are in objects.ts, the param readers in params.ts.
 */
import type Stripe from 'stripe';
import { invalid, missing, StripeApiError } from './errors.js';
import type { FormParams } from './form.js';
import {
  type AccountBehaviours,
  API_VERSION,
  AUTOMATIC,
  type ChargeBehaviours,
  type CreateSubscriptionInput,
  type EmulatedBalanceTransaction,
  type EmulatedCharge,
  type EmulatedCustomer,
  type EmulatedEvent,
  type EmulatedInvoice,
  type EmulatedInvoiceLine,
  type EmulatedInvoicePayment,
  type EmulatedPaymentIntent,
  type EmulatedRefund,
  type EmulatedSubscription,
  type EmulatedSubscriptionItem,
  epochSeconds,
  type Metadata,
  type PaidInvoice,
  type PayInvoiceInput,
  type RequestInfo,
  randomId,
  type SeedChargeInput,
  type SeedCustomerInput,
  type UpdateSubscriptionInput,
} from './objects.js';
import {
  allowOnly,
  clone,
  currencyParam,
  expandList,
  int,
  type ListPage,
  listPage,
  mergeMetadata,
  positiveInt,
  required,
  str,
} from './params.js';

/** Events kept for GET /v1/events (Stripe keeps 30 days); the oldest go first. */
const MAX_EVENTS = 10_000;

interface ChargeRecord {
  readonly key: string;
  readonly charge: EmulatedCharge;
  behaviours: ChargeBehaviours;
  readonly refundIds: string[];
}

interface PaymentIntentRecord {
  readonly key: string;
  readonly intent: EmulatedPaymentIntent;
  readonly chargeKey: string;
}

const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** `$20.00`, as Stripe's messages show amounts. */
function money(amount: number, currency: string): string {
  const zero = ZERO_DECIMAL.has(currency);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
      zero ? amount : amount / 100,
    );
  } catch {
    return `${zero ? amount : (amount / 100).toFixed(2)} ${currency}`;
  }
}

/** Objects seeded under an id that another customer's object already has (replay reuses ids across scenarios). */
class ScopedIds<R> {
  private readonly keysById = new Map<string, string[]>();
  readonly byKey = new Map<string, R>();
  private added = 0;

  add(id: string, make: (key: string) => R): R {
    const keys = this.keysById.get(id) ?? [];
    this.added += 1;
    const key = keys.length === 0 && !this.byKey.has(id) ? id : `${id}#${this.added}`;
    keys.push(key);
    this.keysById.set(id, keys);
    const record = make(key);
    this.byKey.set(key, record);
    return record;
  }

  /** The object with this id: the customer's own when a customer is named, else the one seeded last. */
  find(id: string, owner: (record: R) => string | null, customer?: string): R | undefined {
    const keys = this.keysById.get(id);
    if (!keys) return undefined;
    if (customer !== undefined) {
      for (const key of keys) {
        const record = this.byKey.get(key) as R;
        if (owner(record) === customer) return record;
      }
    }
    return this.byKey.get(keys[keys.length - 1] as string);
  }

  /** Forgets every object `drop` selects. */
  removeWhere(drop: (record: R) => boolean): void {
    for (const [id, keys] of this.keysById) {
      const kept = keys.filter((key) => {
        const gone = drop(this.byKey.get(key) as R);
        if (gone) this.byKey.delete(key);
        return !gone;
      });
      if (kept.length === 0) this.keysById.delete(id);
      else this.keysById.set(id, kept);
    }
  }
}

export interface StoreOptions {
  readonly now: () => number;
  readonly account: AccountBehaviours;
  /** Called with each new event (webhook delivery); returns the number of endpoints it goes to. */
  readonly onEvent: (event: EmulatedEvent) => number;
  /** Schedules a change the emulator makes by itself (a refund failing later); returns a canceller. */
  readonly schedule: (ms: number, run: () => void) => void;
}

export class StripeStore {
  private readonly customers = new Map<string, EmulatedCustomer>();
  private readonly customersByRefundHubId = new Map<string, string>();
  private readonly charges = new ScopedIds<ChargeRecord>();
  private readonly intents = new ScopedIds<PaymentIntentRecord>();
  private readonly refunds = new Map<string, { refund: EmulatedRefund; chargeKey: string }>();
  private readonly balanceTransactions = new Map<string, EmulatedBalanceTransaction[]>();
  private readonly subscriptions = new Map<string, EmulatedSubscription>();
  private readonly invoices = new Map<string, EmulatedInvoice>();
  private readonly invoicePayments: EmulatedInvoicePayment[] = [];
  private readonly events: EmulatedEvent[] = [];
  private readonly eventsById = new Map<string, EmulatedEvent>();

  constructor(private readonly options: StoreOptions) {}

  private nowSeconds(): number {
    return Math.floor(this.options.now() / 1000);
  }

  private emit(
    type: Stripe.Event.Type,
    object: unknown,
    request: RequestInfo,
    previous?: Record<string, unknown>,
  ) {
    const event: EmulatedEvent = {
      id: randomId('evt_'),
      object: 'event',
      api_version: API_VERSION,
      created: this.nowSeconds(),
      data: { object: clone(object), ...(previous ? { previous_attributes: clone(previous) } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: request.id, idempotency_key: request.idempotencyKey },
      type,
    };
    this.events.push(event);
    this.eventsById.set(event.id, event);
    if (this.events.length > MAX_EVENTS) {
      const dropped = this.events.shift() as EmulatedEvent;
      this.eventsById.delete(dropped.id);
    }
    event.pending_webhooks = this.options.onEvent(event);
  }

  /** A webhook endpoint received the event (Stripe's count of deliveries still to succeed). */
  delivered(eventId: string): void {
    const event = this.eventsById.get(eventId);
    if (event && event.pending_webhooks > 0) event.pending_webhooks -= 1;
  }

  // ---- customers ----

  private customer(id: string, param = 'id'): EmulatedCustomer {
    const customer = this.customers.get(id);
    if (!customer) throw missing('customer', id, param);
    return customer;
  }

  private newCustomer(id: string, fields: Partial<EmulatedCustomer>, created: number): EmulatedCustomer {
    const customer: EmulatedCustomer = {
      id,
      object: 'customer',
      balance: 0,
      created,
      currency: null,
      default_source: null,
      delinquent: false,
      description: null,
      email: null,
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null,
        footer: null,
        rendering_options: null,
      },
      livemode: false,
      metadata: {},
      name: null,
      phone: null,
      shipping: null,
      ...fields,
    };
    this.customers.set(id, customer);
    this.indexCustomer(customer);
    return customer;
  }

  private indexCustomer(customer: EmulatedCustomer) {
    const refundHubId = customer.metadata.refundHubCustomerId;
    if (refundHubId) this.customersByRefundHubId.set(refundHubId, customer.id);
  }

  createCustomer(params: FormParams, request: RequestInfo): EmulatedCustomer {
    allowOnly(params, ['name', 'email', 'description', 'phone', 'balance', 'metadata']);
    const customer = this.newCustomer(
      randomId('cus_', 14),
      {
        name: str(params, 'name') ?? null,
        email: str(params, 'email') ?? null,
        description: str(params, 'description') ?? null,
        phone: str(params, 'phone') ?? null,
        balance: int(params, 'balance') ?? 0,
        metadata: mergeMetadata({}, params.metadata),
      },
      this.nowSeconds(),
    );
    this.emit('customer.created', customer, request);
    return clone(customer);
  }

  retrieveCustomer(id: string): EmulatedCustomer {
    return clone(this.customer(id));
  }

  updateCustomer(id: string, params: FormParams, request: RequestInfo): EmulatedCustomer {
    const customer = this.customer(id);
    allowOnly(params, ['name', 'email', 'description', 'phone', 'balance', 'metadata']);
    const next: Partial<EmulatedCustomer> = {};
    for (const field of ['name', 'email', 'description', 'phone'] as const) {
      const value = str(params, field);
      if (value !== undefined) next[field] = value === '' ? null : value;
    }
    const balance = int(params, 'balance');
    if (balance !== undefined) next.balance = balance;
    if (params.metadata !== undefined) next.metadata = mergeMetadata(customer.metadata, params.metadata);
    this.change(customer, next, (previous) => this.emit('customer.updated', customer, request, previous));
    this.indexCustomer(customer);
    return clone(customer);
  }

  /** Applies the fields that differ; calls `changed` with their previous values when any did. */
  private change<T extends object>(
    target: T,
    next: Partial<T>,
    changed: (previous: Record<string, unknown>) => void,
  ) {
    const previous: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(next)) {
      const old = (target as Record<string, unknown>)[key];
      if (JSON.stringify(old) === JSON.stringify(value)) continue;
      previous[key] = clone(old);
      (target as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(previous).length > 0) changed(previous);
  }

  listCustomers(params: FormParams): ListPage<EmulatedCustomer> {
    const email = str(params, 'email');
    const all = [...this.customers.values()].filter((c) => email === undefined || c.email === email);
    return listPage(all, params, '/v1/customers');
  }

  /**
   * Stripe's search query language, the part Refund Hub uses: clauses `field:'value'` (`email`, `name`,
   * `phone`, `metadata['key']`), joined by all AND or all OR. Unlike Stripe's (up to a minute behind), always current.
   */
  searchCustomers(params: FormParams) {
    const query = required(str(params, 'query'), 'query');
    const limit = int(params, 'limit') ?? 10;
    const joiners = query.match(/\s+(AND|OR)\s+/g) ?? [];
    const or = joiners.some((j) => j.trim() === 'OR');
    if (or && joiners.some((j) => j.trim() === 'AND'))
      throw invalid('Search queries cannot mix AND and OR.', 'parameter_invalid_string', 'query');
    const clauses = query.split(/\s+(?:AND|OR)\s+/).map((clause) => {
      const match = /^\s*(metadata\[(['"])(.+?)\2\]|[a-z_]+)\s*:\s*(['"])(.*)\4\s*$/.exec(clause);
      if (!match)
        throw invalid(`We were unable to parse the query "${query}".`, 'parameter_invalid_string', 'query');
      const metadataKey = match[3];
      const field = match[1] as string;
      const value = match[5] as string;
      return (c: EmulatedCustomer) => {
        const actual =
          metadataKey !== undefined ? c.metadata[metadataKey] : (c as Record<string, unknown>)[field];
        return actual === value;
      };
    });
    const matches = [...this.customers.values()]
      .reverse()
      .filter((c) => (or ? clauses.some((test) => test(c)) : clauses.every((test) => test(c))));
    const page = str(params, 'page');
    const start = page ? Number(page) : 0;
    const data = matches.slice(start, start + limit);
    const more = start + limit < matches.length;
    return {
      object: 'search_result' as const,
      data: data.map(clone),
      has_more: more,
      next_page: more ? String(start + limit) : null,
      url: '/v1/customers/search',
    };
  }

  /** The customer (`cus_…`) whose `metadata.refundHubCustomerId` is this id. */
  customerIdFor(refundHubCustomerId: string): string | undefined {
    return this.customersByRefundHubId.get(refundHubCustomerId);
  }

  seedCustomer(input: SeedCustomerInput): EmulatedCustomer {
    const metadata = { ...input.metadata, refundHubCustomerId: input.refundHubCustomerId };
    const existing = this.customers.get(input.id ?? this.customerIdFor(input.refundHubCustomerId) ?? '');
    const fields = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.balance !== undefined ? { balance: input.balance } : {}),
    };
    if (existing) {
      Object.assign(existing, fields, { metadata: { ...existing.metadata, ...metadata } });
      this.indexCustomer(existing);
      return clone(existing);
    }
    const created = input.created !== undefined ? epochSeconds(input.created) : this.nowSeconds();
    return clone(this.newCustomer(input.id ?? randomId('cus_', 14), { ...fields, metadata }, created));
  }

  /**
   * Forgets a customer and everything of theirs (charges, payment intents, refunds, balance transactions,
   * subscriptions, invoices), without events: replay frees each scenario's account once reported.
   */
  forgetCustomer(id: string): void {
    const customer = this.customers.get(id);
    if (!customer) return;
    this.customers.delete(id);
    const refundHubId = customer.metadata.refundHubCustomerId;
    if (refundHubId && this.customersByRefundHubId.get(refundHubId) === id)
      this.customersByRefundHubId.delete(refundHubId);
    this.charges.removeWhere((r) => r.charge.customer === id);
    this.intents.removeWhere((r) => r.intent.customer === id);
    for (const [refundId, entry] of this.refunds)
      if (entry.refund.customer === id) this.refunds.delete(refundId);
    this.balanceTransactions.delete(id);
    for (const [subscriptionId, s] of this.subscriptions)
      if (s.customer === id) this.subscriptions.delete(subscriptionId);
    for (const [invoiceId, invoice] of this.invoices)
      if (invoice.customer === id) this.invoices.delete(invoiceId);
  }

  // ---- customer balance transactions ----

  createBalanceTransaction(
    customerId: string,
    params: FormParams,
    request: RequestInfo,
  ): EmulatedBalanceTransaction {
    const customer = this.customer(customerId);
    allowOnly(params, ['amount', 'currency', 'description', 'metadata']);
    const amount = required(int(params, 'amount'), 'amount');
    const currency = currencyParam(params);
    if (customer.currency && customer.currency !== currency)
      throw invalid(
        `The currency ${currency} does not match the customer's currency ${customer.currency}.`,
        'parameter_invalid_string',
        'currency',
      );
    const transaction: EmulatedBalanceTransaction = {
      id: randomId('cbtxn_'),
      object: 'customer_balance_transaction',
      amount,
      created: this.nowSeconds(),
      credit_note: null,
      currency,
      customer: customer.id,
      description: str(params, 'description') ?? null,
      ending_balance: customer.balance + amount,
      invoice: null,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      type: 'adjustment',
    };
    const list = this.balanceTransactions.get(customer.id) ?? [];
    list.push(transaction);
    this.balanceTransactions.set(customer.id, list);
    // No event of its own exists for this in Stripe: the customer's balance changes (customer.updated).
    this.change(customer, { balance: transaction.ending_balance, currency }, (previous) =>
      this.emit('customer.updated', customer, request, previous),
    );
    return clone(transaction);
  }

  listBalanceTransactions(customerId: string, params: FormParams): ListPage<EmulatedBalanceTransaction> {
    this.customer(customerId);
    return listPage(
      this.balanceTransactions.get(customerId) ?? [],
      params,
      `/v1/customers/${customerId}/balance_transactions`,
    );
  }

  retrieveBalanceTransaction(customerId: string, id: string): EmulatedBalanceTransaction {
    const transaction = (this.balanceTransactions.get(this.customer(customerId).id) ?? []).find(
      (t) => t.id === id,
    );
    if (!transaction) throw missing('customer balance transaction', id);
    return clone(transaction);
  }

  // ---- charges and payment intents ----

  private findCharge(id: string, customer?: string): ChargeRecord | undefined {
    return this.charges.find(id, (r) => r.charge.customer as string | null, customer);
  }

  private addCharge(
    fields: {
      id: string;
      customer: string | null;
      amount: number;
      currency: string;
      created: number;
      description: string | null;
      metadata: Metadata;
    },
    paymentIntentId: string | undefined,
    behaviours: ChargeBehaviours,
  ): ChargeRecord {
    const record = this.charges.add(fields.id, (key) => ({
      key,
      behaviours,
      refundIds: [],
      charge: {
        id: fields.id,
        object: 'charge',
        amount: fields.amount,
        amount_captured: fields.amount,
        amount_refunded: 0,
        balance_transaction: randomId('txn_'),
        captured: true,
        created: fields.created,
        currency: fields.currency,
        customer: fields.customer,
        description: fields.description,
        disputed: behaviours.disputed ?? false,
        failure_code: null,
        failure_message: null,
        livemode: false,
        metadata: fields.metadata,
        paid: true,
        payment_intent: paymentIntentId ?? null,
        payment_method: randomId('pm_'),
        receipt_url: null,
        refunded: false,
        status: 'succeeded',
      },
    }));
    if (paymentIntentId) {
      this.intents.add(paymentIntentId, (key) => ({
        key,
        chargeKey: record.key,
        intent: {
          id: paymentIntentId,
          object: 'payment_intent',
          amount: fields.amount,
          amount_received: fields.amount,
          capture_method: 'automatic',
          created: fields.created,
          currency: fields.currency,
          customer: fields.customer,
          description: fields.description,
          latest_charge: fields.id,
          livemode: false,
          metadata: {},
          payment_method: record.charge.payment_method,
          status: 'succeeded',
        },
      }));
    }
    return record;
  }

  seedCharge(input: SeedChargeInput): EmulatedCharge {
    const customer = this.customer(input.customer, 'customer');
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
      throw new Error(`Charge amount must be a positive integer, got ${input.amount}`);
    const record = this.addCharge(
      {
        id: input.id ?? randomId('ch_'),
        customer: customer.id,
        amount: input.amount,
        currency: input.currency.toLowerCase(),
        created: input.created !== undefined ? epochSeconds(input.created) : this.nowSeconds(),
        description: input.description ?? null,
        metadata: { ...input.metadata },
      },
      input.paymentIntentId,
      input.behaviours ?? {},
    );
    const refunded = Math.min(input.amountRefunded ?? 0, input.amount);
    if (refunded > 0) {
      const refund = this.newRefund(record, refunded, null, {}, 'succeeded', record.charge.created);
      record.charge.amount_refunded = refunded;
      record.charge.refunded = refunded === record.charge.amount;
      this.refunds.set(refund.id, { refund, chargeKey: record.key });
    }
    return clone(record.charge);
  }

  /** Changes a seeded charge's test behaviours (e.g. it becomes disputed). */
  setChargeBehaviours(id: string, behaviours: ChargeBehaviours, customer?: string): EmulatedCharge {
    const record = this.findCharge(id, customer);
    if (!record) throw missing('charge', id);
    record.behaviours = { ...record.behaviours, ...behaviours };
    if (behaviours.disputed !== undefined) record.charge.disputed = behaviours.disputed;
    return clone(record.charge);
  }

  createCharge(params: FormParams, request: RequestInfo): EmulatedCharge {
    allowOnly(params, ['amount', 'currency', 'customer', 'source', 'description', 'metadata']);
    const amount = required(positiveInt(params, 'amount'), 'amount');
    const currency = currencyParam(params);
    const customerId = str(params, 'customer');
    const source = str(params, 'source');
    if (customerId !== undefined) this.customer(customerId, 'customer');
    if (source === undefined && customerId === undefined)
      throw invalid('Must provide source or customer.', 'parameter_missing', 'source');
    if (source !== undefined && !source.startsWith('tok_') && !source.startsWith('card_'))
      throw missing('source', source, 'source');
    if (source === 'tok_chargeDeclined')
      throw new StripeApiError(402, 'card_error', 'Your card was declined.', 'card_declined', undefined);
    const record = this.addCharge(
      {
        id: randomId('ch_'),
        customer: customerId ?? null,
        amount,
        currency,
        created: this.nowSeconds(),
        description: str(params, 'description') ?? null,
        metadata: mergeMetadata({}, params.metadata),
      },
      undefined,
      {},
    );
    this.emit('charge.succeeded', record.charge, request);
    return clone(record.charge);
  }

  retrieveCharge(id: string, params: FormParams): EmulatedCharge {
    const record = this.findCharge(id);
    if (!record) throw missing('charge', id);
    return this.chargeView(record, expandList(params).includes('refunds'));
  }

  /** `refunds` only when expanded, as in this API version. */
  private chargeView(record: ChargeRecord, withRefunds: boolean): EmulatedCharge {
    const charge = clone(record.charge);
    if (withRefunds) {
      const refunds = record.refundIds.map((id) => this.refunds.get(id)?.refund as EmulatedRefund);
      charge.refunds = listPage(refunds, { limit: '100' }, `/v1/charges/${charge.id}/refunds`);
    }
    return charge;
  }

  listCharges(params: FormParams): ListPage<EmulatedCharge> {
    const customer = str(params, 'customer');
    const intent = str(params, 'payment_intent');
    const all = [...this.charges.byKey.values()]
      .filter((r) => customer === undefined || r.charge.customer === customer)
      .filter((r) => intent === undefined || r.charge.payment_intent === intent)
      .map((r) => r.charge);
    return listPage(all, params, '/v1/charges');
  }

  retrievePaymentIntent(id: string): EmulatedPaymentIntent {
    const record = this.intents.find(id, (r) => r.intent.customer as string | null);
    if (!record) throw missing('payment_intent', id);
    return clone(record.intent);
  }

  // ---- refunds ----

  private newRefund(
    record: ChargeRecord,
    amount: number,
    reason: Stripe.Refund.Reason | null,
    metadata: Metadata,
    status: 'pending' | 'succeeded',
    created: number,
  ): EmulatedRefund {
    const refund: EmulatedRefund = {
      id: randomId('re_'),
      object: 'refund',
      amount,
      balance_transaction: randomId('txn_'),
      charge: record.charge.id,
      created,
      currency: record.charge.currency,
      customer: record.charge.customer,
      destination_details: { type: 'card', card: { type: 'refund' } },
      metadata,
      payment_intent: record.charge.payment_intent,
      payment_method: record.charge.payment_method,
      reason,
      receipt_number: null,
      status,
    };
    record.refundIds.push(refund.id);
    return refund;
  }

  createRefund(params: FormParams, request: RequestInfo): EmulatedRefund {
    allowOnly(params, [
      'charge',
      'payment_intent',
      'amount',
      'reason',
      'metadata',
      'instructions_email',
      'origin',
    ]);
    const chargeId = str(params, 'charge');
    const intentId = str(params, 'payment_intent');
    const metadata = mergeMetadata({}, params.metadata);
    // Ids seeded for several customers (replay) resolve to the one the refund's metadata names.
    const owner = metadata.refundHubCustomerId ? this.customerIdFor(metadata.refundHubCustomerId) : undefined;
    let record: ChargeRecord | undefined;
    if (chargeId !== undefined) {
      record = this.findCharge(chargeId, owner);
      if (!record) throw missing('charge', chargeId, 'charge');
      if (intentId !== undefined && record.charge.payment_intent !== intentId)
        throw invalid(
          `The charge ${chargeId} does not belong to the PaymentIntent ${intentId}.`,
          'parameter_invalid_string',
          'charge',
        );
    } else if (intentId !== undefined) {
      const intent = this.intents.find(intentId, (r) => r.intent.customer as string | null, owner);
      if (!intent) throw missing('payment_intent', intentId, 'payment_intent');
      record = this.charges.byKey.get(intent.chargeKey) as ChargeRecord;
    } else {
      throw invalid(
        'One of the following params should be provided for this request: payment_intent or charge.',
        'parameter_missing',
      );
    }
    const reason = str(params, 'reason');
    if (reason !== undefined && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason))
      throw invalid(
        `Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`,
        'parameter_invalid_string',
        'reason',
      );
    const amount = positiveInt(params, 'amount');
    const charge = record.charge;
    if (charge.disputed)
      throw invalid(`Charge ${charge.id} has been charged back; cannot issue a refund.`, 'charge_disputed');
    const remainder = charge.amount - charge.amount_refunded;
    if (remainder <= 0)
      throw invalid(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
    if (amount !== undefined && amount > remainder)
      throw invalid(
        `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(remainder, charge.currency)})`,
        'amount_too_large',
        'amount',
      );
    if (this.options.account.insufficientBalance)
      throw invalid(
        'You have insufficient funds in your Stripe account for this refund. Add funds to your balance, or try again later.',
        'balance_insufficient',
      );
    const status = this.options.account.refundsStartPending ? 'pending' : 'succeeded';
    const refund = this.newRefund(
      record,
      amount ?? remainder,
      (reason as Stripe.Refund.Reason) ?? null,
      metadata,
      status,
      this.nowSeconds(),
    );
    this.refunds.set(refund.id, { refund, chargeKey: record.key });
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += refund.amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit('refund.created', refund, request);
    this.emit('charge.refunded', charge, request, previous);
    const later = record.behaviours.refundFailsLater;
    if (typeof later === 'object') {
      this.options.schedule(later.afterMs, () => {
        if (this.refunds.get(refund.id)?.refund.status !== 'failed') this.failRefund(refund.id);
      });
    }
    return clone(refund);
  }

  private refundRecord(id: string) {
    const entry = this.refunds.get(id);
    if (!entry) throw missing('refund', id);
    return { ...entry, charge: this.charges.byKey.get(entry.chargeKey) as ChargeRecord };
  }

  retrieveRefund(id: string): EmulatedRefund {
    return clone(this.refundRecord(id).refund);
  }

  listRefunds(params: FormParams): ListPage<EmulatedRefund> {
    const charge = str(params, 'charge');
    const intent = str(params, 'payment_intent');
    const all = [...this.refunds.values()]
      .map((e) => e.refund)
      .filter((r) => charge === undefined || r.charge === charge)
      .filter((r) => intent === undefined || r.payment_intent === intent);
    return listPage(all, params, '/v1/refunds');
  }

  updateRefund(id: string, params: FormParams, request: RequestInfo): EmulatedRefund {
    const { refund } = this.refundRecord(id);
    allowOnly(params, ['metadata']);
    this.change(refund, { metadata: mergeMetadata(refund.metadata ?? {}, params.metadata) }, (previous) =>
      this.refundUpdated(refund, request, previous),
    );
    return clone(refund);
  }

  private refundUpdated(refund: EmulatedRefund, request: RequestInfo, previous: Record<string, unknown>) {
    this.emit('refund.updated', refund, request, previous);
    this.emit('charge.refund.updated', refund, request, previous);
  }

  /** Releases a refund's amount on its charge (it failed or was canceled). */
  private release(refund: EmulatedRefund, record: ChargeRecord) {
    record.charge.amount_refunded -= refund.amount;
    record.charge.refunded = record.charge.amount_refunded === record.charge.amount;
  }

  cancelRefund(id: string, request: RequestInfo): EmulatedRefund {
    const { refund, charge } = this.refundRecord(id);
    if (refund.status !== 'pending')
      throw invalid(
        `Refund ${id} cannot be canceled because its status is ${refund.status}: only a pending refund can be.`,
      );
    const previous = { status: refund.status };
    refund.status = 'canceled';
    this.release(refund, charge);
    this.refundUpdated(refund, request, previous);
    return clone(refund);
  }

  /** A pending or succeeded refund fails (the bank returned it), as Stripe reports days later. */
  failRefund(
    id: string,
    failureReason = 'expired_or_canceled_card',
    request: RequestInfo = AUTOMATIC,
  ): EmulatedRefund {
    const { refund, charge } = this.refundRecord(id);
    if (refund.status !== 'pending' && refund.status !== 'succeeded')
      throw invalid(`Refund ${id} is ${refund.status}: only a pending or succeeded refund can fail.`);
    const previous = { status: refund.status };
    refund.status = 'failed';
    refund.failure_reason = failureReason;
    refund.failure_balance_transaction = randomId('txn_');
    this.release(refund, charge);
    this.refundUpdated(refund, request, previous);
    this.emit('refund.failed', refund, request, previous);
    return clone(refund);
  }

  /** A pending refund succeeds. */
  settleRefund(id: string, request: RequestInfo = AUTOMATIC): EmulatedRefund {
    const { refund } = this.refundRecord(id);
    if (refund.status !== 'pending')
      throw invalid(`Refund ${id} is ${refund.status}: only a pending refund can settle.`);
    const previous = { status: refund.status };
    refund.status = 'succeeded';
    this.refundUpdated(refund, request, previous);
    return clone(refund);
  }

  // ---- subscriptions and invoices ----

  private subscription(id: string): EmulatedSubscription {
    const subscription = this.subscriptions.get(id);
    if (!subscription) throw missing('subscription', id);
    return subscription;
  }

  createSubscription(input: CreateSubscriptionInput, request: RequestInfo = AUTOMATIC): EmulatedSubscription {
    const customer = this.customer(input.customer, 'customer');
    const id = input.id ?? randomId('sub_');
    if (this.subscriptions.has(id))
      throw invalid(`A subscription with id ${id} already exists.`, 'resource_already_exists');
    const created = input.startDate !== undefined ? epochSeconds(input.startDate) : this.nowSeconds();
    const periodStart =
      input.currentPeriodStart !== undefined ? epochSeconds(input.currentPeriodStart) : created;
    const interval = input.interval ?? 'month';
    const currency = input.currency.toLowerCase();
    const item: EmulatedSubscriptionItem = {
      id: randomId('si_', 14),
      object: 'subscription_item',
      created,
      current_period_start: periodStart,
      current_period_end: addInterval(periodStart, interval),
      metadata: {},
      price: {
        id: randomId('price_'),
        object: 'price',
        active: true,
        created,
        currency,
        livemode: false,
        lookup_key: input.plan,
        metadata: {},
        nickname: input.plan,
        product: randomId('prod_', 14),
        recurring: { interval, interval_count: 1, usage_type: 'licensed' },
        type: 'recurring',
        unit_amount: input.amount,
      },
      quantity: 1,
      subscription: id,
    };
    const subscription: EmulatedSubscription = {
      id,
      object: 'subscription',
      billing_cycle_anchor: periodStart,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: {
        comment: null,
        feedback: null,
        reason: null,
      } as Stripe.Subscription.CancellationDetails,
      collection_method: 'charge_automatically',
      created,
      currency,
      customer: customer.id,
      description: null,
      ended_at: null,
      items: {
        object: 'list',
        data: [item],
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      latest_invoice: null,
      livemode: false,
      metadata: { ...input.metadata },
      start_date: created,
      status: 'active',
    };
    this.subscriptions.set(id, subscription);
    this.emit('customer.subscription.created', subscription, request);
    return clone(subscription);
  }

  retrieveSubscription(id: string): EmulatedSubscription {
    return clone(this.subscription(id));
  }

  listSubscriptions(params: FormParams): ListPage<EmulatedSubscription> {
    const customer = str(params, 'customer');
    const all = [...this.subscriptions.values()].filter(
      (s) => customer === undefined || s.customer === customer,
    );
    return listPage(all, params, '/v1/subscriptions');
  }

  updateSubscription(
    id: string,
    input: UpdateSubscriptionInput,
    request: RequestInfo = AUTOMATIC,
  ): EmulatedSubscription {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled')
      throw invalid(`A canceled subscription can only update its cancellation_details and metadata.`);
    const now = this.nowSeconds();
    const periodEnd = subscription.items.data[0]?.current_period_end ?? now;
    const next: Partial<EmulatedSubscription> = {};
    if (input.cancelAtPeriodEnd !== undefined) {
      next.cancel_at_period_end = input.cancelAtPeriodEnd;
      next.cancel_at = input.cancelAtPeriodEnd ? periodEnd : null;
      next.canceled_at = input.cancelAtPeriodEnd ? now : null;
    }
    if (input.cancelAt !== undefined) {
      next.cancel_at = input.cancelAt === null ? null : epochSeconds(input.cancelAt);
      next.cancel_at_period_end = false;
      next.canceled_at = input.cancelAt === null ? null : now;
    }
    if (next.canceled_at !== undefined) {
      next.cancellation_details = {
        comment: null,
        feedback: null,
        reason: next.canceled_at === null ? null : 'cancellation_requested',
      } as Stripe.Subscription.CancellationDetails;
    }
    if (input.metadata) next.metadata = { ...subscription.metadata, ...input.metadata };
    this.change(subscription, next, (previous) =>
      this.emit('customer.subscription.updated', subscription, request, previous),
    );
    return clone(subscription);
  }

  /** Ends the subscription now (customer.subscription.deleted). */
  cancelSubscription(id: string, request: RequestInfo = AUTOMATIC): EmulatedSubscription {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled') throw invalid(`The subscription ${id} is already canceled.`);
    const now = this.nowSeconds();
    subscription.status = 'canceled';
    subscription.canceled_at = subscription.canceled_at ?? now;
    subscription.ended_at = now;
    subscription.cancellation_details = {
      comment: null,
      feedback: null,
      reason: 'cancellation_requested',
    } as Stripe.Subscription.CancellationDetails;
    this.emit('customer.subscription.deleted', subscription, request);
    return clone(subscription);
  }

  /** The subscription's invoice for a period is paid: a charge (charge.succeeded) and the invoice (invoice.paid). */
  payInvoice(
    subscriptionId: string,
    input: PayInvoiceInput = {},
    request: RequestInfo = AUTOMATIC,
  ): PaidInvoice {
    const subscription = this.subscription(subscriptionId);
    const item = subscription.items.data[0] as EmulatedSubscriptionItem;
    const interval = item.price.recurring.interval;
    const first = subscription.latest_invoice === null;
    const periodStart =
      input.periodStart !== undefined
        ? epochSeconds(input.periodStart)
        : first
          ? item.current_period_start
          : item.current_period_end;
    const periodEnd =
      input.periodEnd !== undefined ? epochSeconds(input.periodEnd) : addInterval(periodStart, interval);
    const paidAt = input.paidAt !== undefined ? epochSeconds(input.paidAt) : this.nowSeconds();
    const amount = input.amount ?? item.price.unit_amount;
    const invoiceId = randomId('in_');
    const intentId = input.paymentIntentId ?? randomId('pi_');
    const record = this.addCharge(
      {
        id: input.chargeId ?? randomId('ch_'),
        customer: subscription.customer as string,
        amount,
        currency: subscription.currency,
        created: paidAt,
        description: first ? 'Subscription creation' : 'Subscription update',
        metadata: {},
      },
      intentId,
      {},
    );
    const line: EmulatedInvoiceLine = {
      id: randomId('il_'),
      object: 'line_item',
      amount,
      currency: subscription.currency,
      description: `1 × ${item.price.nickname}`,
      discountable: true,
      invoice: invoiceId,
      livemode: false,
      metadata: {},
      parent: {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: subscription.id,
          subscription_item: item.id,
        },
      },
      period: { start: periodStart, end: periodEnd },
      pricing: {
        type: 'price_details',
        price_details: { price: item.price.id, product: item.price.product },
        unit_amount_decimal: String(amount),
      },
      quantity: 1,
      subscription: subscription.id,
      subtotal: amount,
    };
    const invoice: EmulatedInvoice = {
      id: invoiceId,
      object: 'invoice',
      amount_due: amount,
      amount_paid: amount,
      amount_remaining: 0,
      attempt_count: 1,
      attempted: true,
      billing_reason: first ? 'subscription_create' : 'subscription_cycle',
      collection_method: 'charge_automatically',
      created: paidAt,
      currency: subscription.currency,
      customer: subscription.customer as string,
      lines: { object: 'list', data: [line], has_more: false, url: `/v1/invoices/${invoiceId}/lines` },
      livemode: false,
      metadata: {},
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
      } as Stripe.Invoice.Parent,
      period_end: periodEnd,
      period_start: periodStart,
      status: 'paid',
      status_transitions: {
        finalized_at: paidAt,
        marked_uncollectible_at: null,
        paid_at: paidAt,
        voided_at: null,
      },
      subtotal: amount,
      total: amount,
    };
    this.invoices.set(invoiceId, invoice);
    this.invoicePayments.push({
      id: randomId('inpay_'),
      object: 'invoice_payment',
      amount_paid: amount,
      amount_requested: amount,
      created: paidAt,
      currency: subscription.currency,
      invoice: invoiceId,
      is_default: true,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: intentId },
      status: 'paid',
      status_transitions: { canceled_at: null, paid_at: paidAt },
    });
    const previous = { items: clone(subscription.items), latest_invoice: subscription.latest_invoice };
    subscription.latest_invoice = invoiceId;
    item.current_period_start = periodStart;
    item.current_period_end = periodEnd;
    // A renewal moves the period on (Stripe's customer.subscription.updated); the first invoice comes with the subscription.
    if (!first) this.emit('customer.subscription.updated', subscription, request, previous);
    this.emit('charge.succeeded', record.charge, request);
    this.emit('invoice.paid', invoice, request);
    const intent = this.intents.find(
      intentId,
      (r) => r.intent.customer as string | null,
      subscription.customer as string,
    );
    return {
      invoice: clone(invoice),
      charge: clone(record.charge),
      paymentIntent: clone(intent?.intent as EmulatedPaymentIntent),
    };
  }

  retrieveInvoice(id: string): EmulatedInvoice {
    const invoice = this.invoices.get(id);
    if (!invoice) throw missing('invoice', id);
    return clone(invoice);
  }

  /** GET /v1/invoice_payments?invoice=: how an invoice's charge is found in this API version (the invoice has no `charge`). */
  listInvoicePayments(params: FormParams): ListPage<EmulatedInvoicePayment> {
    const invoice = str(params, 'invoice');
    return listPage(
      this.invoicePayments.filter((p) => invoice === undefined || p.invoice === invoice),
      params,
      '/v1/invoice_payments',
    );
  }

  // ---- events ----

  retrieveEvent(id: string): EmulatedEvent {
    const event = this.eventsById.get(id);
    if (!event) throw missing('event', id);
    return clone(event);
  }

  listEvents(params: FormParams): ListPage<EmulatedEvent> {
    const type = str(params, 'type');
    const matches = (t: string) =>
      type === undefined || (type.endsWith('.*') ? t.startsWith(type.slice(0, -1)) : t === type);
    return listPage(
      this.events.filter((e) => matches(e.type)),
      params,
      '/v1/events',
    );
  }
}

function addInterval(start: number, interval: 'month' | 'year'): number {
  const date = new Date(start * 1000);
  if (interval === 'year') date.setUTCFullYear(date.getUTCFullYear() + 1);
  else date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}
