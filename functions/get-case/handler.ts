import { publicView } from '../shared/case-record.js';
import { readCaseRecord } from '../shared/cases.js';
import { documentClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { caseIdOf, customerIdOf, HttpError, httpHandler, json } from '../shared/http.js';

const casesTable = requiredEnv(ENV.casesTable);

/** GET /v1/support-requests/{caseId}: the caller's own case; anyone else's is a 404, as if it did not exist. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const caseId = caseIdOf(event);
  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record || record.customerId !== customerId) {
    throw new HttpError(404, 'case_not_found', `No support request ${caseId} was found for you.`);
  }
  return json(200, publicView(record));
});
