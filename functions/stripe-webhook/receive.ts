/**
 * One webhook delivery, end to end: verify the signature (node:crypto, Stripe's scheme), claim the event id, do the
 * work (every write idempotent and ordered per item), mark the event done. Everything it talks to
 * is passed in (`WebhookDeps`), so tests run it on the local DynamoDB with a fake Stripe customer
 * lookup; handler.ts wires the real clients.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_SK } from '../shared/accounts.js';
import { isNamedError } from '../shared/errors.js';
import type { RefundStatus } from '../shared/payments/provider.js';
import { verifyStripeSignature } from '../shared/payments/webhook-signature.js';
import type { SettledRefund } from '../shared/refund-notices.js';
import type { Charge, CustomerProfile, MinorUnits, Subscription } from '../shared/types.js';
import {
  actionFor,
  type ClaimDecision,
  claimDecision,
  type EventClaim,
  eventExpiresAt,
  type InvoiceLink,
  type InvoicePayment,
  type ItemWrite,
  isHandledEventType,
  mergeChargeSnapshot,
  mergeInvoiceLink,
  mergeProfile,
  mergeSubscription,
  needsConfirmation,
  needsHandOff,
  type RefundStatusChange,
  refundedOutside,
  refundHubCustomerIdOf,
  SIGNATURE_MESSAGES,
  type StoredItem,
  type StripeCustomerView,
  type WebhookAction,
  type WebhookEvent,
} from './domain.js';

export interface WebhookTables {
  readonly accountsTable: string;
  readonly refundLedgerTable: string;
  readonly integrationEventsTable: string;
}

export interface AppliedStatus {
  readonly changed: boolean;
  readonly previous: RefundStatus | null;
  readonly line: { readonly status: RefundStatus; readonly amount: MinorUnits } | null;
}

/** The Powertools logger's methods used here (tests pass the real logger). */
export type WebhookLog = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface WebhookDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tables: WebhookTables;
  /** The endpoint's signing secret (`whsec_…`); never logged. */
  signingSecret(): Promise<string>;
  /** Seconds a signature's timestamp may be old (Stripe's default is 300). */
  readonly toleranceSeconds: number;
  /** The Stripe customer (cached by the caller); null when Stripe does not know it. */
  stripeCustomer(id: string): Promise<StripeCustomerView | null>;
  /** The charge a payment intent made (when an invoice names only the intent); null when none. */
  chargeOfPaymentIntent(id: string): Promise<string | null>;
  /** The invoice's payments (`GET /v1/invoice_payments?invoice=`), when the event's payload does not carry them. */
  invoicePayments(invoiceId: string): Promise<readonly InvoicePayment[]>;
  applyRefundStatus(change: Omit<RefundStatusChange, 'currency' | 'amount'>): Promise<AppliedStatus>;
  /** Tells the customer and hands the case to a person; idempotent per case and charge. */
  handOffFailedRefund(refund: SettledRefund): Promise<void>;
  /** Tells the customer the refund went through (a pending refund Stripe paid). */
  confirmRefund(refund: SettledRefund): Promise<void>;
  now(): Date;
  readonly log: WebhookLog;
}

export interface WebhookResponse {
  readonly statusCode: number;
  readonly body: Record<string, unknown>;
}

const refused = (statusCode: number, code: string, message: string): WebhookResponse => ({
  statusCode,
  body: { error: { code, message } },
});

/** A delivery: the raw body exactly as sent (bytes), and the Stripe-Signature header. */
export async function receiveWebhook(
  deps: WebhookDeps,
  rawBody: Buffer | null,
  signatureHeader: string | undefined,
): Promise<WebhookResponse> {
  if (!signatureHeader?.trim())
    return refused(400, 'signature_missing', SIGNATURE_MESSAGES.signature_missing);
  if (!rawBody || rawBody.length === 0)
    return refused(400, 'signature_invalid', 'The request has no body to verify.');
  // A secret that cannot be read is our fault (500): Stripe redelivers once the operator stored it.
  const secret = await deps.signingSecret();
  const now = deps.now();
  const check = verifyStripeSignature({
    header: signatureHeader,
    payload: rawBody,
    secret,
    toleranceSeconds: deps.toleranceSeconds,
    now,
  });
  if (!check.ok) {
    // Never the header or the body: only what was wrong.
    deps.log.warn('Stripe webhook refused', { code: check.problem, reason: check.reason });
    return refused(400, check.problem, SIGNATURE_MESSAGES[check.problem]);
  }
  let event: WebhookEvent;
  try {
    event = JSON.parse(rawBody.toString('utf8')) as WebhookEvent;
  } catch {
    // Signed by Stripe but not JSON: nothing to act on, and a redelivery would not be better.
    return refused(400, 'invalid_json', 'The signed body is not valid JSON.');
  }
  if (typeof event?.id !== 'string' || typeof event.type !== 'string' || typeof event.created !== 'number')
    return refused(400, 'invalid_event', 'The signed body is not a Stripe event (id, type, created).');
  // Stripe needs a 2xx for every event it sends, also the ones this endpoint does not act on.
  if (!isHandledEventType(event.type)) return { statusCode: 200, body: { received: true, ignored: true } };

  const decision = await claimEvent(deps, event, now);
  if (decision === 'duplicate') return { statusCode: 200, body: { received: true, duplicate: true } };
  if (decision === 'in_progress')
    return refused(
      409,
      'event_in_progress',
      'This event is being handled by another delivery; Stripe will retry.',
    );

  try {
    const outcome = await handleEvent(deps, event, decision === 'retake');
    await finishEvent(deps, event.id, 'done', outcome);
    deps.log.info('Stripe event handled', {
      eventId: event.id,
      eventType: event.type,
      outcome,
      retake: decision === 'retake',
    });
    return { statusCode: 200, body: { received: true, outcome } };
  } catch (error) {
    // Best effort: a failed claim is retaken by the next delivery at once (a crash waits for the claim to go stale).
    await finishEvent(deps, event.id, 'failed', (error as Error).name).catch(() => undefined);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The event claim

async function readClaim(deps: WebhookDeps, eventId: string): Promise<EventClaim | undefined> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tables.integrationEventsTable, Key: { eventId }, ConsistentRead: true }),
  );
  return result.Item as EventClaim | undefined;
}

/** Claims the event id (`processing`), or says why not; a stale or failed claim is retaken with a conditional write. */
async function claimEvent(deps: WebhookDeps, event: WebhookEvent, now: Date): Promise<ClaimDecision> {
  const at = now.toISOString();
  try {
    await deps.client.send(
      new PutCommand({
        TableName: deps.tables.integrationEventsTable,
        Item: {
          eventId: event.id,
          source: 'stripe',
          eventType: event.type,
          eventCreatedAt: new Date(event.created * 1000).toISOString(),
          status: 'processing',
          claimedAt: at,
          attempts: 1,
          expiresAt: eventExpiresAt(now),
        },
        ConditionExpression: 'attribute_not_exists(eventId)',
      }),
    );
    return 'claim';
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
  }
  const existing = await readClaim(deps, event.id);
  const decision = claimDecision(existing, now);
  if (decision !== 'retake' || !existing) return decision === 'claim' ? 'in_progress' : decision;
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tables.integrationEventsTable,
        Key: { eventId: event.id },
        UpdateExpression: 'SET #status = :processing, claimedAt = :at, attempts = attempts + :one',
        // Only the claim as read: two redeliveries retaking at once, one wins.
        ConditionExpression: '#status = :seen AND claimedAt = :seenAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':processing': 'processing',
          ':at': at,
          ':one': 1,
          ':seen': existing.status,
          ':seenAt': existing.claimedAt,
        },
      }),
    );
    return 'retake';
  } catch (error) {
    if (isNamedError(error, 'ConditionalCheckFailedException')) return 'in_progress';
    throw error;
  }
}

async function finishEvent(deps: WebhookDeps, eventId: string, status: 'done' | 'failed', outcome: string) {
  await deps.client.send(
    new UpdateCommand({
      TableName: deps.tables.integrationEventsTable,
      Key: { eventId },
      UpdateExpression: 'SET #status = :status, finishedAt = :at, outcome = :outcome',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':at': deps.now().toISOString(), ':outcome': outcome },
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The work

/** Does what the event asks; returns a short outcome for the log and the event record. */
async function handleEvent(deps: WebhookDeps, event: WebhookEvent, retake: boolean): Promise<string> {
  const action = actionFor(event);
  switch (action.kind) {
    case 'ignore':
      deps.log.info('Stripe event ignored', {
        eventId: event.id,
        eventType: event.type,
        reason: action.reason,
      });
      return `ignored: ${action.reason}`;
    case 'refund_status':
      return refundStatus(deps, action.change, retake);
    default:
      return accountEvent(deps, event, action);
  }
}

async function refundStatus(deps: WebhookDeps, change: RefundStatusChange, retake: boolean): Promise<string> {
  const { currency, amount, ...fields } = change;
  // Written and told as of now: Stripe's event time has one-second resolution and may trail what the case already did.
  const at = deps.now().toISOString();
  const applied = await deps.applyRefundStatus({ ...fields, at });
  if (!applied.line) {
    deps.log.warn('Stripe refund names a case with no ledger line on the charge', {
      caseId: change.caseId,
      chargeId: change.chargeId,
      providerRefundId: change.providerRefundId,
    });
    return 'ignored: no ledger line';
  }
  const settled: SettledRefund = {
    caseId: change.caseId,
    customerId: change.customerId,
    chargeId: change.chargeId,
    amount: applied.line.amount ?? amount,
    currency,
    ...(change.failureReason ? { failureReason: change.failureReason } : {}),
    at,
  };
  if (needsHandOff(applied, retake)) {
    await deps.handOffFailedRefund(settled);
    return `refund ${applied.line.status}: handed to a person`;
  }
  if (needsConfirmation(applied, retake)) {
    await deps.confirmRefund(settled);
    return 'refund succeeded: customer told';
  }
  return applied.changed
    ? `refund ${applied.previous} -> ${applied.line.status}`
    : `refund already ${applied.line.status}`;
}

type AccountAction = Exclude<WebhookAction, { kind: 'ignore' } | { kind: 'refund_status' }>;

async function accountEvent(deps: WebhookDeps, event: WebhookEvent, action: AccountAction): Promise<string> {
  const stripeCustomer = await deps.stripeCustomer(action.stripeCustomerId);
  const customerId = refundHubCustomerIdOf(stripeCustomer);
  if (!stripeCustomer || !customerId) {
    deps.log.info('Stripe event for a customer without metadata.refundHubCustomerId: ignored', {
      eventId: event.id,
      eventType: event.type,
      stripeCustomerId: action.stripeCustomerId,
    });
    return 'ignored: Stripe customer has no refundHubCustomerId';
  }
  await upsertItem<CustomerProfile>(deps, customerId, ACCOUNT_SK.profile, (stored) =>
    mergeProfile(stored, customerId, stripeCustomer, event.created),
  );
  switch (action.kind) {
    case 'subscription': {
      const written = await upsertItem<Subscription>(
        deps,
        customerId,
        ACCOUNT_SK.subscription(action.subscription.id),
        (stored) => mergeSubscription(stored, action.subscription, event.created),
      );
      return `subscription ${action.subscription.id} ${written}`;
    }
    case 'charge': {
      const { outside } = action;
      const refunded = outside
        ? refundedOutside(
            outside,
            outside.kind === 'total' ? await ledgerHeld(deps, customerId, action.charge.id) : 0,
          )
        : undefined;
      const written = await upsertItem<Charge>(
        deps,
        customerId,
        ACCOUNT_SK.charge(action.charge.id),
        (stored) => mergeChargeSnapshot(stored, action.charge, event.created, refunded),
      );
      return `charge ${action.charge.id} ${written}${refunded !== undefined ? ` (refunded outside: ${refunded})` : ''}`;
    }
    case 'invoice':
      return invoiceLinks(deps, customerId, action.link, event.created);
  }
}

/** What the ledger holds (pending and paid) on the charge: part of Stripe's `amount_refunded` that is ours. */
async function ledgerHeld(deps: WebhookDeps, customerId: string, chargeId: string): Promise<MinorUnits> {
  const result = await deps.client.send(
    new GetCommand({
      TableName: deps.tables.refundLedgerTable,
      Key: { customerId, chargeId },
      ProjectionExpression: 'refundedTotal',
      ConsistentRead: true,
    }),
  );
  return (result.Item?.refundedTotal as number | undefined) ?? 0;
}

async function invoiceLinks(
  deps: WebhookDeps,
  customerId: string,
  link: InvoiceLink,
  created: number,
): Promise<string> {
  const outcomes: string[] = [];
  const payments = link.payments.length > 0 ? link.payments : await deps.invoicePayments(link.invoiceId);
  if (payments.length === 0) return `invoice ${link.invoiceId}: no payment (paid out of band)`;
  for (const payment of payments) {
    const chargeId =
      payment.chargeId ??
      (payment.paymentIntentId
        ? ((await chargeOfIntentInAccount(deps, customerId, payment.paymentIntentId)) ??
          (await deps.chargeOfPaymentIntent(payment.paymentIntentId)))
        : null);
    if (!chargeId) {
      deps.log.warn('Paid invoice: no charge found for its payment', {
        invoiceId: link.invoiceId,
        paymentIntentId: payment.paymentIntentId,
      });
      outcomes.push(`payment ${payment.paymentIntentId}: no charge`);
      continue;
    }
    const written = await upsertItem<Charge>(deps, customerId, ACCOUNT_SK.charge(chargeId), (stored) =>
      mergeInvoiceLink(stored, chargeId, link, payment, created),
    );
    outcomes.push(`charge ${chargeId} ${written}`);
  }
  return `invoice ${link.invoiceId}: ${outcomes.join(', ')}`;
}

/** The customer's stored charge made by this payment intent (charge.succeeded came first). */
async function chargeOfIntentInAccount(
  deps: WebhookDeps,
  customerId: string,
  paymentIntentId: string,
): Promise<string | null> {
  const result = await deps.client.send(
    new QueryCommand({
      TableName: deps.tables.accountsTable,
      KeyConditionExpression: 'customerId = :c AND begins_with(sk, :charge)',
      FilterExpression: '#data.paymentIntentId = :pi',
      ExpressionAttributeNames: { '#data': 'data' },
      ExpressionAttributeValues: { ':c': customerId, ':charge': 'CHARGE#', ':pi': paymentIntentId },
      ConsistentRead: true,
    }),
  );
  const found = result.Items?.[0]?.data as Charge | undefined;
  return found?.id ?? null;
}

interface AccountRow<T> {
  readonly customerId: string;
  readonly sk: string;
  readonly data: T;
  readonly eventClock?: Record<string, number>;
  readonly revision?: number;
}

/**
 * Read, merge, write back only if nobody wrote the item meanwhile (its `revision`); a concurrent
 * writer makes us read again. Returns `written`, or `unchanged` when the merge found nothing to do
 * (an older event, or the same profile).
 */
async function upsertItem<T>(
  deps: WebhookDeps,
  customerId: string,
  sk: string,
  merge: (stored: StoredItem<T> | undefined) => ItemWrite<T> | null,
): Promise<'written' | 'unchanged (older event)' | 'unchanged'> {
  for (let round = 0; round < 5; round += 1) {
    const result = await deps.client.send(
      new GetCommand({ TableName: deps.tables.accountsTable, Key: { customerId, sk }, ConsistentRead: true }),
    );
    const row = result.Item as AccountRow<T> | undefined;
    const next = merge(
      row ? { data: row.data, ...(row.eventClock ? { eventClock: row.eventClock } : {}) } : undefined,
    );
    if (!next) return sk === ACCOUNT_SK.profile ? 'unchanged' : 'unchanged (older event)';
    const revision = (row?.revision ?? 0) + 1;
    try {
      await deps.client.send(
        new PutCommand({
          TableName: deps.tables.accountsTable,
          Item: {
            customerId,
            sk,
            data: next.data,
            eventClock: next.eventClock,
            updatedFromEventAt: next.updatedFromEventAt,
            revision,
          },
          ConditionExpression: !row
            ? 'attribute_not_exists(customerId)'
            : row.revision === undefined
              ? 'attribute_exists(customerId) AND attribute_not_exists(revision)'
              : 'revision = :revision',
          ...(row?.revision !== undefined
            ? { ExpressionAttributeValues: { ':revision': row.revision } }
            : {}),
        }),
      );
      return 'written';
    } catch (error) {
      if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    }
  }
  throw new Error(`Account item ${sk} of ${customerId} kept changing; Stripe will redeliver`);
}
