/**
 * The exactly-once refund ledger (DynamoDB, conditional writes only: no transactions, so the
 * same code runs on dynalite). Shared by the automatic refund step and agent resolutions.
 *
 * Two phases per refund: `reserveRefund` writes the case's line `pending` (exactly once per charge
 * and case, the remainder checked in the same conditional write), the payment provider is called
 * with the line's idempotency key, then `applyRefundStatus` records the provider's refund id and
 * status. A crash between any two steps leaves a line the retried step finds and finishes with the
 * same key, so the provider pays once.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  caseAttribute,
  maxPriorLedgerTotal,
  type RefundSource,
  type RefundStepResult,
  summarize,
} from '../issue-refund/domain.js';
import { ACCOUNT_SK } from './accounts.js';
import { queryAll, scanAll } from './dynamo.js';
import { isNamedError } from './errors.js';
import { type PaymentProviderName, type RefundStatus, refundIdempotencyKey } from './payments/provider.js';
import type { Charge, MinorUnits } from './types.js';

export interface LedgerTables {
  readonly accountsTable: string;
  readonly refundLedgerTable: string;
}

export interface RefundAttempt {
  readonly caseId: string;
  readonly customerId: string;
  readonly chargeId: string;
  readonly amount: MinorUnits;
  readonly source: RefundSource;
  readonly at: string;
  /** Where the money moves; recorded on the line. @default 'ledger' */
  readonly provider?: PaymentProviderName;
}

/** One case's refund of one charge, as the ledger item's `case:<caseId>` attribute holds it. */
export interface LedgerLine {
  readonly amount: MinorUnits;
  readonly source: RefundSource;
  readonly at: string;
  readonly status: RefundStatus;
  readonly provider: PaymentProviderName;
  readonly idempotencyKey: string;
  /** 1, then 2, 3... when an agent refunds again after the provider failed the earlier attempt. */
  readonly attempt: number;
  readonly providerRefundId?: string;
  readonly failureReason?: string;
  readonly updatedAt?: string;
}

/** A ledger line with where it sits. */
export interface LocatedLedgerLine extends LedgerLine {
  readonly customerId: string;
  readonly chargeId: string;
  readonly caseId: string;
  readonly currency: string;
}

/** Lines that hold money (pending or paid); a failed or canceled line gave its amount back. */
export function holdsMoney(status: RefundStatus): boolean {
  return status === 'pending' || status === 'succeeded';
}

const FINAL: readonly RefundStatus[] = ['failed', 'canceled'];

/**
 * Whether the provider's status may replace the line's: pending moves to anything; succeeded may still
 * fail or be canceled (Stripe does that, e.g. for a closed card); failed and canceled are final.
 */
export function mayMoveTo(from: RefundStatus, to: RefundStatus): boolean {
  if (from === to) return false;
  if (from === 'pending') return true;
  if (from === 'succeeded') return FINAL.includes(to);
  return false;
}

/** A stored line; lines written before the provider port have no status: they were recorded, so succeeded. */
function parseLine(raw: unknown, caseId: string, chargeId: string): LedgerLine | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const line = raw as Partial<LedgerLine> & { amount: MinorUnits; source: RefundSource; at: string };
  return {
    ...line,
    status: line.status ?? 'succeeded',
    provider: line.provider ?? 'ledger',
    idempotencyKey: line.idempotencyKey ?? refundIdempotencyKey(caseId, chargeId, line.amount),
    attempt: line.attempt ?? 1,
  };
}

export interface ReservedRefund {
  /** This case's line on the charge (null: nothing was or will be refunded for this case on it). */
  readonly line: LedgerLine | null;
  /** The charge's own currency (from the account, else the ledger); null when neither knows the charge. */
  readonly currency: string | null;
  /** The charge as the account holds it (for the provider: its payment intent). */
  readonly charge: Charge | undefined;
}

/**
 * Reserves `amount` of one charge for one case: the line `pending`, at most once. A retry finds the
 * line it wrote and returns it (the caller then finishes it with the same idempotency key). Returns no
 * line when the charge was refunded by another case or has less left than asked. An agent may refund
 * again on a line the provider failed (a new attempt, a new key); an automatic refund never retries one.
 */
export async function reserveRefund(
  client: DynamoDBDocumentClient,
  tables: LedgerTables,
  attempt: RefundAttempt,
): Promise<ReservedRefund> {
  const [chargeItem, ledgerItem] = await Promise.all([
    client.send(
      new GetCommand({
        TableName: tables.accountsTable,
        Key: { customerId: attempt.customerId, sk: ACCOUNT_SK.charge(attempt.chargeId) },
        ConsistentRead: true,
      }),
    ),
    readLedgerItem(client, tables.refundLedgerTable, attempt.customerId, attempt.chargeId),
  ]);
  const charge = chargeItem.Item?.data as Charge | undefined;
  const currency = charge?.currency ?? (ledgerItem?.currency as string | undefined) ?? null;
  const own = parseLine(ledgerItem?.[caseAttribute(attempt.caseId)], attempt.caseId, attempt.chargeId);
  const existing = { line: own ?? null, currency, charge };
  // A retry of this case's refund (or one the provider failed, which only an agent may try again).
  if (own && (holdsMoney(own.status) || attempt.source !== 'agent')) return existing;
  if (!charge || attempt.amount <= 0) return existing;
  const maxPrior = maxPriorLedgerTotal(charge.amount, charge.refundedAmount ?? 0, attempt.amount);
  if (maxPrior < 0) return existing;

  const number = own ? own.attempt + 1 : 1;
  const line: LedgerLine = {
    amount: attempt.amount,
    source: attempt.source,
    at: attempt.at,
    status: 'pending',
    provider: attempt.provider ?? 'ledger',
    idempotencyKey: refundIdempotencyKey(attempt.caseId, attempt.chargeId, attempt.amount, number),
    attempt: number,
    updatedAt: attempt.at,
  };
  const conditions = [
    own ? '#case.attempt = :previousAttempt' : 'attribute_not_exists(#case)',
    '(attribute_not_exists(refundedTotal) OR refundedTotal <= :maxPrior)',
  ];
  // An automatic refund happens once per charge, ever, whichever case asks.
  if (attempt.source === 'auto') conditions.push('attribute_not_exists(autoRefundCaseId)');
  try {
    await client.send(
      new UpdateCommand({
        TableName: tables.refundLedgerTable,
        Key: { customerId: attempt.customerId, chargeId: attempt.chargeId },
        UpdateExpression: [
          'SET #case = :line, refundedTotal = if_not_exists(refundedTotal, :zero) + :amount',
          'currency = :currency, updatedAt = :at',
          ...(attempt.source === 'auto' ? ['autoRefundCaseId = :caseId'] : []),
        ].join(', '),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { '#case': caseAttribute(attempt.caseId) },
        ExpressionAttributeValues: {
          ':line': line,
          ':amount': attempt.amount,
          ':zero': 0,
          ':maxPrior': maxPrior,
          ':currency': charge.currency,
          ':at': attempt.at,
          ...(own ? { ':previousAttempt': own.attempt } : {}),
          ...(attempt.source === 'auto' ? { ':caseId': attempt.caseId } : {}),
        },
      }),
    );
    return { line, currency: charge.currency, charge };
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    // Either this case reserved it already (a concurrent retry: report that line) or another case
    // took what was left (refund nothing).
    const now = await readLedgerItem(client, tables.refundLedgerTable, attempt.customerId, attempt.chargeId);
    const line = parseLine(now?.[caseAttribute(attempt.caseId)], attempt.caseId, attempt.chargeId);
    return { line: line && holdsMoney(line.status) ? line : (line ?? null), currency, charge };
  }
}

async function readLedgerItem(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  customerId: string,
  chargeId: string,
): Promise<Record<string, unknown> | undefined> {
  const result = await client.send(
    new GetCommand({ TableName: refundLedgerTable, Key: { customerId, chargeId }, ConsistentRead: true }),
  );
  return result.Item;
}

export interface RefundStatusUpdate {
  readonly customerId: string;
  readonly chargeId: string;
  readonly caseId: string;
  /** The provider's refund id; null for the ledger provider. */
  readonly providerRefundId: string | null;
  readonly status: RefundStatus;
  readonly failureReason?: string;
  readonly at: string;
}

export interface AppliedRefundStatus {
  /** Whether this call changed the line (false: it was already there, or the status may not follow). */
  readonly changed: boolean;
  /** The line's status before this call; null when the case has no line on the charge. */
  readonly previous: RefundStatus | null;
  readonly line: LedgerLine | null;
}

/**
 * Moves a line to the provider's status, idempotently (the refund step after the provider call, a
 * webhook, in any order and any number of times). A line that fails or is canceled gives its amount
 * back to the charge's remainder, exactly once (the status it moves from is part of the condition).
 * An update naming another refund id than the line's (an earlier attempt's) changes nothing.
 */
export async function applyRefundStatus(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  update: RefundStatusUpdate,
  /** The line as the caller just wrote or read it: the first try skips the read (a changed line makes it read). */
  known?: LedgerLine,
): Promise<AppliedRefundStatus> {
  for (let round = 0; round < 5; round += 1) {
    const raw =
      round === 0 && known
        ? known
        : ((await readLedgerItem(client, refundLedgerTable, update.customerId, update.chargeId))?.[
            caseAttribute(update.caseId)
          ] as Partial<LedgerLine> | undefined);
    const line = parseLine(raw, update.caseId, update.chargeId);
    if (!line) return { changed: false, previous: null, line: null };
    const otherRefund =
      update.providerRefundId !== null &&
      line.providerRefundId !== undefined &&
      line.providerRefundId !== update.providerRefundId;
    const addsId = update.providerRefundId !== null && line.providerRefundId === undefined;
    const moves = mayMoveTo(line.status, update.status);
    if (otherRefund || (!moves && !addsId)) return { changed: false, previous: line.status, line };

    const status = moves ? update.status : line.status;
    const next: LedgerLine = {
      ...line,
      status,
      ...(update.providerRefundId !== null ? { providerRefundId: update.providerRefundId } : {}),
      ...(moves && update.failureReason ? { failureReason: update.failureReason } : {}),
      updatedAt: update.at,
    };
    const givesBack = holdsMoney(line.status) && !holdsMoney(status);
    try {
      await client.send(
        new UpdateCommand({
          TableName: refundLedgerTable,
          Key: { customerId: update.customerId, chargeId: update.chargeId },
          UpdateExpression: `SET #case = :next, updatedAt = :at${givesBack ? ', refundedTotal = refundedTotal - :amount' : ''}`,
          // The line as read (status and attempt; a line from before statuses has none): a concurrent writer wins, we read again.
          ConditionExpression: `${raw?.status ? '#case.#status = :from' : 'attribute_not_exists(#case.#status)'} AND ${
            raw?.attempt ? '#case.attempt = :attempt' : 'attribute_not_exists(#case.attempt)'
          }`,
          ExpressionAttributeNames: { '#case': caseAttribute(update.caseId), '#status': 'status' },
          ExpressionAttributeValues: {
            ':next': next,
            ':at': update.at,
            ...(raw?.status ? { ':from': raw.status } : {}),
            ...(raw?.attempt ? { ':attempt': raw.attempt } : {}),
            ...(givesBack ? { ':amount': line.amount } : {}),
          },
        }),
      );
      return { changed: true, previous: line.status, line: next };
    } catch (error) {
      if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    }
  }
  throw new Error(`The ledger line of ${update.caseId} on ${update.chargeId} kept changing; try again`);
}

/**
 * Total refunded through Refund Hub per charge of one customer, to merge into the account view.
 * With `exceptCaseId`, that case's own ledger lines are left out: a re-run of the case (after a
 * crash) then sees the account as the case first saw it, and its refund step reports the refund it
 * already made instead of finding nothing left.
 */
export async function ledgerTotals(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  customerId: string,
  exceptCaseId?: string,
): Promise<Map<string, MinorUnits>> {
  const items = await queryAll(client, {
    TableName: refundLedgerTable,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
    ...(exceptCaseId
      ? {
          ProjectionExpression: 'chargeId, refundedTotal, #case',
          ExpressionAttributeNames: { '#case': caseAttribute(exceptCaseId) },
        }
      : { ProjectionExpression: 'chargeId, refundedTotal' }),
  });
  return new Map(
    items.map((item) => {
      const chargeId = item.chargeId as string;
      const own = exceptCaseId
        ? parseLine(item[caseAttribute(exceptCaseId)], exceptCaseId, chargeId)
        : undefined;
      const ownHeld = own && holdsMoney(own.status) ? own.amount : 0;
      return [chargeId, ((item.refundedTotal as number | undefined) ?? 0) - ownHeld];
    }),
  );
}

/** Every line on the given ledger items, with where it sits (also the admin export's pages). */
export function linesOf(items: readonly Record<string, unknown>[]): LocatedLedgerLine[] {
  return items.flatMap((item) => {
    const chargeId = item.chargeId as string;
    return Object.entries(item).flatMap(([name, value]) => {
      if (!name.startsWith('case:')) return [];
      const caseId = name.slice('case:'.length);
      const line = parseLine(value, caseId, chargeId);
      return line
        ? [
            {
              ...line,
              customerId: item.customerId as string,
              chargeId,
              caseId,
              currency: item.currency as string,
            },
          ]
        : [];
    });
  });
}

/** Every ledger line, of one customer or (a scan) of all: for reconciliation and the export. */
export async function ledgerLines(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  customerId?: string,
): Promise<LocatedLedgerLine[]> {
  const items = customerId
    ? await queryAll(client, {
        TableName: refundLedgerTable,
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
      })
    : await scanAll(client, { TableName: refundLedgerTable });
  return linesOf(items);
}

/** One case's lines (every status), in the order they were written. */
export async function caseLedgerLines(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  customerId: string,
  caseId: string,
): Promise<LocatedLedgerLine[]> {
  const items = await queryAll(client, {
    TableName: refundLedgerTable,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
    ProjectionExpression: 'customerId, chargeId, currency, #case',
    ExpressionAttributeNames: { '#case': caseAttribute(caseId) },
  });
  return linesOf(items).sort((a, b) => a.at.localeCompare(b.at) || a.chargeId.localeCompare(b.chargeId));
}

/**
 * What one case has refunded, from the ledger (the source of truth): a refund paid before a later
 * step failed, or by an agent after an automatic refund, always shows on the case. A failed or
 * canceled refund returned nothing and does not count in the totals; it is listed in `refunds` with its status.
 */
export async function refundsByCase(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  customerId: string,
  caseId: string,
): Promise<RefundStepResult> {
  const lines = await caseLedgerLines(client, refundLedgerTable, customerId, caseId);
  // Each ledger item is one charge, so its currency is the currency of every line on it.
  return summarize(
    lines.map((line) => ({
      chargeId: line.chargeId,
      currency: line.currency,
      line: {
        chargeId: line.chargeId,
        amount: line.amount,
        currency: line.currency,
        status: line.status,
        ...(line.providerRefundId ? { providerRefundId: line.providerRefundId } : {}),
        ...(line.failureReason ? { failureReason: line.failureReason } : {}),
      },
    })),
  );
}
