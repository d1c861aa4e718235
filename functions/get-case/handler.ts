import { type CaseMoney, publicView } from '../shared/case-record.js';
import { readCaseRecord } from '../shared/cases.js';
import { creditOfCase } from '../shared/credits.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { caseIdOf, customerIdOf, HttpError, httpHandler, json } from '../shared/http.js';
import { caseLedgerLines } from '../shared/ledger.js';

const casesTable = requiredEnv(ENV.casesTable);
const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);
const creditsTable = requiredEnv(ENV.creditsTable);

/** The case's refunds with the provider's status, and its goodwill credit: what the customer can follow. */
async function caseMoney(customerId: string, caseId: string): Promise<CaseMoney> {
  const [lines, credit] = await Promise.all([
    caseLedgerLines(documentClient, refundLedgerTable, customerId, caseId),
    creditOfCase(documentClient, creditsTable, customerId, caseId),
  ]);
  return {
    refunds: lines.map((line) => ({
      chargeId: line.chargeId,
      amount: line.amount,
      currency: line.currency,
      status: line.status,
      ...(line.providerRefundId ? { providerRefundId: line.providerRefundId } : {}),
    })),
    credits: credit
      ? [
          {
            amount: credit.amount,
            currency: credit.currency,
            status: credit.status,
            ...(credit.providerCreditId ? { providerCreditId: credit.providerCreditId } : {}),
          },
        ]
      : [],
  };
}

/** GET /v1/support-requests/{caseId}: the caller's own case; anyone else's is a 404, as if it did not exist. */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const caseId = caseIdOf(event);
  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record || record.customerId !== customerId) {
    throw new HttpError(404, 'case_not_found', `No support request ${caseId} was found for you.`);
  }
  return json(200, publicView(record, await caseMoney(customerId, caseId)));
});
