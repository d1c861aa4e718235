/**
 * The returns table: one item per return (`returnId`), with the customer's returns (byCustomer), the label's
 * tracking id (byTrackingId, the carrier webhook's lookup) and what waits for a person (byAgentState) as indexes.
 * Every change is one conditional UpdateItem, so a retried step or a repeated event changes nothing twice.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../shared/dynamo.js';
import { isNamedError } from '../shared/errors.js';
import { postMessage } from '../shared/messages.js';
import type { TeamQueue } from '../shared/types.js';
import {
  type CarrierWait,
  FINAL_STATUSES,
  RETURNS_BY_AGENT_STATE_INDEX,
  RETURNS_BY_CUSTOMER_INDEX,
  RETURNS_BY_TRACKING_INDEX,
  type ReturnRecord,
  type ReturnStatus,
  type StoredCarrierEvent,
  type TimelineEntry,
} from './domain.js';

export async function getReturn(
  client: DynamoDBDocumentClient,
  table: string,
  returnId: string,
): Promise<ReturnRecord | undefined> {
  const result = await client.send(
    new GetCommand({ TableName: table, Key: { returnId }, ConsistentRead: true }),
  );
  return result.Item as ReturnRecord | undefined;
}

/** Creates the return once; false when one with this id exists already (a retried request). */
export async function putNewReturn(
  client: DynamoDBDocumentClient,
  table: string,
  record: ReturnRecord,
): Promise<boolean> {
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: record,
        ConditionExpression: 'attribute_not_exists(returnId)',
      }),
    );
    return true;
  } catch (error) {
    if (isNamedError(error, 'ConditionalCheckFailedException')) return false;
    throw error;
  }
}

export async function returnsOfCustomer(
  client: DynamoDBDocumentClient,
  table: string,
  customerId: string,
): Promise<ReturnRecord[]> {
  const items = await queryAll(client, {
    TableName: table,
    IndexName: RETURNS_BY_CUSTOMER_INDEX,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
    ScanIndexForward: false,
  });
  return items as unknown as ReturnRecord[];
}

export async function returnByTrackingId(
  client: DynamoDBDocumentClient,
  table: string,
  trackingId: string,
): Promise<ReturnRecord | undefined> {
  const items = await queryAll(client, {
    TableName: table,
    IndexName: RETURNS_BY_TRACKING_INDEX,
    KeyConditionExpression: 'trackingId = :t',
    ExpressionAttributeValues: { ':t': trackingId },
  });
  const found = items[0] as ReturnRecord | undefined;
  // The index is eventually consistent: the item itself is the truth.
  return found ? getReturn(client, table, found.returnId) : undefined;
}

export async function returnsWaitingForAgents(
  client: DynamoDBDocumentClient,
  table: string,
  agentState: 'awaiting_inspection' | 'needs_attention',
): Promise<ReturnRecord[]> {
  const items = await queryAll(client, {
    TableName: table,
    IndexName: RETURNS_BY_AGENT_STATE_INDEX,
    KeyConditionExpression: 'agentState = :s',
    ExpressionAttributeValues: { ':s': agentState },
  });
  return items as unknown as ReturnRecord[];
}

export interface StatusChange {
  readonly returnId: string;
  readonly status: ReturnStatus;
  readonly at: string;
  readonly note: string;
  /** Extra attributes to set with the change. */
  readonly set?: Readonly<Record<string, unknown>>;
  /** Attributes to remove with the change. */
  readonly remove?: readonly string[];
  /** The change applies only from these statuses (a final status never changes). */
  readonly from: readonly ReturnStatus[];
}

/**
 * Moves the return to a status with a timeline entry, once: a retry that finds it there already changes nothing
 * (and reports false). A return in a final status never moves.
 */
export async function changeStatus(
  client: DynamoDBDocumentClient,
  table: string,
  change: StatusChange,
): Promise<{ changed: boolean; record: ReturnRecord | undefined }> {
  const from = change.from.filter((s) => !FINAL_STATUSES.includes(s));
  if (from.length === 0) return { changed: false, record: await getReturn(client, table, change.returnId) };
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {
    ':status': change.status,
    ':entry': [{ at: change.at, status: change.status, note: change.note } satisfies TimelineEntry],
    ':at': change.at,
    ':empty': [],
  };
  const sets = [
    '#status = :status',
    'timeline = list_append(if_not_exists(timeline, :empty), :entry)',
    'updatedAt = :at',
  ];
  for (const [index, [key, value]] of Object.entries(change.set ?? {}).entries()) {
    names[`#s${index}`] = key;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  }
  const removes = (change.remove ?? []).map((key, index) => {
    names[`#r${index}`] = key;
    return `#r${index}`;
  });
  from.forEach((status, index) => {
    values[`:from${index}`] = status;
  });
  try {
    const result = await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { returnId: change.returnId },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: `attribute_exists(returnId) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { changed: true, record: result.Attributes as ReturnRecord };
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    return { changed: false, record: await getReturn(client, table, change.returnId) };
  }
}

/** Sets attributes without a status change (a label, a refund, a person's attention). */
export async function setAttributes(
  client: DynamoDBDocumentClient,
  table: string,
  returnId: string,
  set: Readonly<Record<string, unknown>>,
  remove: readonly string[] = [],
): Promise<ReturnRecord> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(set).map(([key, value], index) => {
    names[`#s${index}`] = key;
    values[`:s${index}`] = value;
    return `#s${index} = :s${index}`;
  });
  const removes = remove.map((key, index) => {
    names[`#r${index}`] = key;
    return `#r${index}`;
  });
  const result = await client.send(
    new UpdateCommand({
      TableName: table,
      Key: { returnId },
      UpdateExpression: [
        sets.length > 0 ? `SET ${sets.join(', ')}` : '',
        removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: 'attribute_exists(returnId)',
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      ReturnValues: 'ALL_NEW',
    }),
  );
  return result.Attributes as ReturnRecord;
}

/**
 * Stores a carrier event on the return, once per event id (a repeat changes nothing and reports false). Returns
 * the item after the write: the writer that comes second of (event, wait token) sees both and ends the wait.
 */
export async function recordCarrierEvent(
  client: DynamoDBDocumentClient,
  table: string,
  returnId: string,
  event: StoredCarrierEvent,
): Promise<{ recorded: boolean; record: ReturnRecord | undefined }> {
  try {
    const result = await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { returnId },
        UpdateExpression:
          'SET carrierEvents = list_append(if_not_exists(carrierEvents, :empty), :event), carrierEventIds.#id = :true',
        ConditionExpression: 'attribute_exists(returnId) AND attribute_not_exists(carrierEventIds.#id)',
        ExpressionAttributeNames: { '#id': event.eventId },
        ExpressionAttributeValues: { ':event': [event], ':empty': [], ':true': true },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { recorded: true, record: result.Attributes as ReturnRecord };
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    return { recorded: false, record: await getReturn(client, table, returnId) };
  }
}

/** Stores the carrier wait's token (replacing an earlier attempt's); returns the item after the write. */
export async function storeWaitToken(
  client: DynamoDBDocumentClient,
  table: string,
  returnId: string,
  token: string,
  waitFor: CarrierWait,
): Promise<ReturnRecord> {
  const result = await client.send(
    new UpdateCommand({
      TableName: table,
      Key: { returnId },
      UpdateExpression: 'SET waitToken = :t, waitFor = :w',
      ConditionExpression: 'attribute_exists(returnId)',
      ExpressionAttributeValues: { ':t': token, ':w': waitFor },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return result.Attributes as ReturnRecord;
}

/**
 * Takes a stored token for oneself (the carrier webhook, the wait step, the inspection endpoint): true for exactly
 * one caller, who then sends the task's success.
 */
export async function claimToken(
  client: DynamoDBDocumentClient,
  table: string,
  returnId: string,
  attribute: 'waitToken' | 'inspectionToken',
  token: string,
  set: Readonly<Record<string, unknown>> = {},
): Promise<boolean> {
  const names: Record<string, string> = { '#token': attribute };
  const values: Record<string, unknown> = { ':token': token };
  const sets = Object.entries(set).map(([key, value], index) => {
    names[`#s${index}`] = key;
    values[`:s${index}`] = value;
    return `#s${index} = :s${index}`;
  });
  try {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { returnId },
        UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}REMOVE #token${attribute === 'waitToken' ? ', waitFor' : ''}`,
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isNamedError(error, 'ConditionalCheckFailedException')) return false;
    throw error;
  }
}

export interface ReturnNotice {
  readonly subject: string;
  readonly body: string;
}

/** The customer's message center gets each status change, once per kind (a retried step overwrites its own). */
export function notifyCustomer(
  client: DynamoDBDocumentClient,
  messagesTable: string,
  record: Pick<ReturnRecord, 'returnId' | 'customerId'>,
  notice: ReturnNotice,
  kind: string,
  sentAt: string,
): Promise<void> {
  return postMessage(
    client,
    messagesTable,
    record.customerId,
    { caseId: record.returnId, ...notice },
    sentAt,
    `return:${kind}`,
  );
}

export type { TeamQueue };
