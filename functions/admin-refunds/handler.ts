import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { adminIdOf } from '../admin-account/identity.js';
import { documentClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { HttpError, httpHandler, json } from '../shared/http.js';
import { creditLineOf, decodeCursor, encodeCursor, matches, parseQuery, refundLinesOf } from './domain.js';

const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);
const creditsTable = requiredEnv(ENV.creditsTable);

/** Items read per page: a page is one Scan call, so a Lambda never runs long whatever the table's size. */
const SCAN_LIMIT = 500;

/**
 * GET /v1/admin/refunds?provider=&status=&since=&nextToken= (IAM, admin role): the ledger's refund
 * lines, then the goodwill credits, one Scan page at a time; follow `nextToken` until it is absent
 * (a page may hold no matching line and still have a next one).
 */
export const handler = httpHandler(async (event) => {
  adminIdOf(event);
  const query = parseQuery(event.queryStringParameters as Record<string, string | undefined> | null);
  if (!query.ok) throw new HttpError(400, 'invalid_request', query.message);
  const cursor = decodeCursor(query.nextToken);
  if (!cursor)
    throw new HttpError(
      400,
      'invalid_request',
      'nextToken: is not a token this API gave out; start again without it.',
    );

  const page = await documentClient.send(
    new ScanCommand({
      TableName: cursor.table === 'ledger' ? refundLedgerTable : creditsTable,
      Limit: SCAN_LIMIT,
      ...(cursor.startKey ? { ExclusiveStartKey: cursor.startKey } : {}),
    }),
  );
  const items = page.Items ?? [];
  const refunds =
    cursor.table === 'ledger' ? items.flatMap(refundLinesOf).filter((l) => matches(l, query.filters)) : [];
  const credits =
    cursor.table === 'credits' ? items.map(creditLineOf).filter((c) => matches(c, query.filters)) : [];
  const next = page.LastEvaluatedKey
    ? encodeCursor({ table: cursor.table, startKey: page.LastEvaluatedKey })
    : cursor.table === 'ledger'
      ? encodeCursor({ table: 'credits' })
      : undefined;
  return json(200, { refunds, credits, ...(next ? { nextToken: next } : {}) });
});
