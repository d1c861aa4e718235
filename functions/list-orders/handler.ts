import { earlierReturnsOf } from '../returns-core/domain.js';
import { returnsOfCustomer } from '../returns-core/store.js';
import { type AccountItem, accountFromItems } from '../shared/accounts.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor.js';
import { documentClient } from '../shared/document-client.js';
import { queryAll } from '../shared/dynamo.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { customerIdOf, httpHandler, json } from '../shared/http.js';
import * as z from '../shared/zod.js';
import { orderPage } from './domain.js';

const accountsTable = requiredEnv(ENV.accountsTable);
/** The Returns table (GSI byCustomer), when the stack has one: what earlier returns took back is not returnable again. */
const returnsTable = process.env[ENV.returnsTable];
const returnWindowDays = numberEnv(ENV.returnWindowDays, 30);
const MAX_PAGE = 50;

/** The position a page ended at, with the customer it belongs to: a cursor only pages through the caller's orders. */
const cursorSchema = (customerId: string) =>
  z.strictObject({
    customerId: z.literal(customerId),
    placedAt: z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)))),
    orderId: z.string().check(z.minLength(1), z.maxLength(64)),
  });

/** GET /v1/orders?limit=&nextToken=: the caller's own orders, newest first, each with what is returnable of it now. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const limit = pageLimit(event.queryStringParameters?.limit, 10, MAX_PAGE);
  const after = decodeCursor(event.queryStringParameters?.nextToken, cursorSchema(customerId));
  const [items, returns] = await Promise.all([
    queryAll(documentClient, {
      TableName: accountsTable,
      KeyConditionExpression: 'customerId = :c AND begins_with(sk, :o)',
      ExpressionAttributeValues: { ':c': customerId, ':o': 'ORDER#' },
    }),
    returnsTable ? returnsOfCustomer(documentClient, returnsTable, customerId) : Promise.resolve([]),
  ]);
  const { orders } = accountFromItems(customerId, items as unknown as AccountItem[]);
  const page = orderPage(orders, earlierReturnsOf(returns).forQuantities, new Date().toISOString(), {
    returnWindowDays,
    limit,
    ...(after ? { after: { placedAt: after.placedAt, orderId: after.orderId } } : {}),
  });
  return json(200, {
    orders: page.orders,
    nextToken: encodeCursor(page.next ? { customerId, ...page.next } : undefined),
  });
});
