import { publicView } from '../returns-core/domain.js';
import { returnsOfCustomer } from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { customerIdOf, httpHandler, json } from '../shared/http.js';

const returnsTable = requiredEnv(ENV.returnsTable);

/** GET /v1/returns: the caller's own returns, newest first. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const records = await returnsOfCustomer(documentClient, returnsTable, customerId);
  return json(200, { items: records.map(publicView) });
});
