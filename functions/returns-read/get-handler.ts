import { isReturnId, publicView } from '../returns-core/domain.js';
import { getReturn } from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { customerIdOf, HttpError, httpHandler, json } from '../shared/http.js';

const returnsTable = requiredEnv(ENV.returnsTable);

/** GET /v1/returns/{returnId}: status, label, refund and timeline; another customer's return is a 404, as a missing one. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const returnId = event.pathParameters?.returnId;
  const notFound = new HttpError(404, 'return_not_found', 'No return with this id was found.');
  if (!isReturnId(returnId)) throw notFound;
  const record = await getReturn(documentClient, returnsTable, returnId);
  if (!record || record.customerId !== customerId) throw notFound;
  return json(200, publicView(record));
});
