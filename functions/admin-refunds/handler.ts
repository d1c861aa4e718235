import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { adminIdOf } from '../admin-account/identity.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { HttpError, httpHandler, json } from '../shared/http.js';
import {
  type CreditLine,
  creditLineOf,
  decodeCursor,
  encodeCursor,
  matches,
  type PageCursor,
  parseQuery,
  type RefundLine,
  refundLinesOf,
} from './domain.js';

const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);
const creditsTable = requiredEnv(ENV.creditsTable);

/** Items read per page (across both tables), so a call never runs long whatever the tables' size. */
const SCAN_LIMIT = 500;

/**
 * GET /v1/admin/refunds?provider=&status=&since=&nextToken= (IAM, admin role): the ledger's refund
 * lines, then the goodwill credits, at most SCAN_LIMIT items read per call; follow `nextToken` until it is absent
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

  // Read up to SCAN_LIMIT items per call, going on from the ledger to the credits within one call.
  const refunds: RefundLine[] = [];
  const credits: CreditLine[] = [];
  let at: PageCursor | undefined = cursor;
  let read = 0;
  while (at && read < SCAN_LIMIT) {
    const page: ScanCommandOutput = await documentClient.send(
      new ScanCommand({
        TableName: at.table === 'ledger' ? refundLedgerTable : creditsTable,
        Limit: SCAN_LIMIT - read,
        ...(at.startKey ? { ExclusiveStartKey: at.startKey } : {}),
      }),
    );
    const items = page.Items ?? [];
    read += items.length;
    if (at.table === 'ledger')
      refunds.push(...items.flatMap(refundLinesOf).filter((l) => matches(l, query.filters)));
    else credits.push(...items.map(creditLineOf).filter((c) => matches(c, query.filters)));
    at = page.LastEvaluatedKey
      ? { table: at.table, startKey: page.LastEvaluatedKey }
      : at.table === 'ledger'
        ? { table: 'credits' }
        : undefined;
  }
  const next = at ? encodeCursor(at) : undefined;
  return json(200, { refunds, credits, ...(next ? { nextToken: next } : {}) });
});
