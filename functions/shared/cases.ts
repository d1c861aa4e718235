/** Reads and updates of the case record that several steps and endpoints make. */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { caseAttribute } from '../issue-refund/domain.js';
import { CASES_BY_CUSTOMER_INDEX, type CaseRecord, type TimelineEntry } from './case-record.js';
import { queryAll } from './dynamo.js';
import { isNamedError } from './errors.js';
import type { MinorUnits } from './types.js';

/** The update that appends timeline entries, sets fields and removes attributes, as every case write does. */
function caseUpdate(
  entries: readonly TimelineEntry[],
  fields: Record<string, unknown>,
  remove: readonly string[],
) {
  const names: Record<string, string> = { '#id': 'caseId' };
  const values: Record<string, unknown> = { ':entries': entries, ':empty': [] };
  const sets = ['timeline = list_append(if_not_exists(timeline, :empty), :entries)'];
  Object.entries(fields).forEach(([key, value], i) => {
    names[`#f${i}`] = key;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  const removals = remove.map((key, i) => {
    names[`#r${i}`] = key;
    return `#r${i}`;
  });
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Appends timeline entries and sets fields in one conditional update (the case must exist:
 * a step never creates a half-empty case record).
 */
export async function updateCase(
  client: DynamoDBDocumentClient,
  casesTable: string,
  caseId: string,
  entries: readonly TimelineEntry[],
  fields: Record<string, unknown> = {},
  remove: readonly string[] = [],
): Promise<void> {
  await client.send(
    new UpdateCommand({
      TableName: casesTable,
      Key: { caseId },
      ConditionExpression: 'attribute_exists(#id)',
      ...caseUpdate(entries, fields, remove),
    }),
  );
}

/**
 * The same update, only if the case's status and `updatedAt` are still those of `seen` (whoever wrote
 * the case since wins). Returns false when it was not.
 */
export async function updateCaseIfUnchanged(
  client: DynamoDBDocumentClient,
  casesTable: string,
  seen: Pick<CaseRecord, 'caseId' | 'status' | 'updatedAt'>,
  entries: readonly TimelineEntry[],
  fields: Record<string, unknown> = {},
  remove: readonly string[] = [],
): Promise<boolean> {
  const update = caseUpdate(entries, fields, remove);
  try {
    await client.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId: seen.caseId },
        ConditionExpression:
          'attribute_exists(#id) AND #seenStatus = :seenStatus AND updatedAt = :seenUpdatedAt',
        UpdateExpression: update.UpdateExpression,
        ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#seenStatus': 'status' },
        ExpressionAttributeValues: {
          ...update.ExpressionAttributeValues,
          ':seenStatus': seen.status,
          ':seenUpdatedAt': seen.updatedAt,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isNamedError(error, 'ConditionalCheckFailedException')) return false;
    throw error;
  }
}

/** Instant order; entries of one instant keep the order they were written in (a stable sort). */
export function inTimeOrder(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  return [...timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * The case as last written (a strongly consistent read: right after a write, it is found), its timeline in
 * time order: steps that run concurrently (an agent's claim, a callback request, a step) append as they finish.
 */
export async function readCaseRecord(
  client: DynamoDBDocumentClient,
  casesTable: string,
  caseId: string,
): Promise<CaseRecord | undefined> {
  const result = await client.send(
    new GetCommand({ TableName: casesTable, Key: { caseId }, ConsistentRead: true }),
  );
  const record = result.Item as CaseRecord | undefined;
  return record ? { ...record, timeline: inTimeOrder(record.timeline ?? []) } : undefined;
}

/** An agent's approval stored on a case (its claim), before and after the workflow paid it. */
interface ApprovalClaim {
  readonly caseId: string;
  readonly resolution?: {
    decision?: string;
    state?: string;
    charges?: { chargeId: string; amount: MinorUnits }[];
  };
}

/**
 * Per charge, what other cases' agent approvals have claimed and the workflow has not paid yet (the claim is on
 * the case from the approval until RecordResolution; the ledger line of that case says what it paid meanwhile).
 * Without it, two approvals of the same charge a moment apart would both be accepted and the second pay nothing.
 */
export async function pendingAgentRefunds(
  client: DynamoDBDocumentClient,
  tables: { readonly casesTable: string; readonly refundLedgerTable: string },
  customerId: string,
  exceptCaseId: string,
): Promise<Map<string, MinorUnits>> {
  const cases = (await queryAll(client, {
    TableName: tables.casesTable,
    IndexName: CASES_BY_CUSTOMER_INDEX,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
    ProjectionExpression: 'caseId, #resolution',
    ExpressionAttributeNames: { '#resolution': 'resolution' },
  })) as unknown as ApprovalClaim[];
  const claims = cases.filter(
    (c) =>
      c.caseId !== exceptCaseId &&
      c.resolution?.decision === 'approve_refund' &&
      c.resolution.state === 'resuming_workflow',
  );
  const pending = new Map<string, MinorUnits>();
  if (claims.length === 0) return pending;
  const ledger = await queryAll(client, {
    TableName: tables.refundLedgerTable,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
  });
  const paid = (caseId: string, chargeId: string): MinorUnits => {
    const line = ledger.find((item) => item.chargeId === chargeId)?.[caseAttribute(caseId)] as
      | { amount: MinorUnits; status?: string }
      | undefined;
    // A line the provider failed paid nothing: the claim still holds that amount.
    return line && line.status !== 'failed' && line.status !== 'canceled' ? line.amount : 0;
  };
  for (const claim of claims) {
    for (const { chargeId, amount } of claim.resolution?.charges ?? []) {
      const unpaid = Math.max(0, amount - paid(claim.caseId, chargeId));
      pending.set(chargeId, (pending.get(chargeId) ?? 0) + unpaid);
    }
  }
  return pending;
}
