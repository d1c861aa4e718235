import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AccountItem, accountFromItems } from '../shared/accounts.js';
import { CASES_BY_CUSTOMER_INDEX } from '../shared/case-record.js';
import { readCaseRecord } from '../shared/cases.js';
import { creditOfCase } from '../shared/credits.js';
import { documentClient } from '../shared/document-client.js';
import { queryAll } from '../shared/dynamo.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { agentIdOf, caseIdOf, HttpError, httpHandler, json } from '../shared/http.js';
import { ledgerLines } from '../shared/ledger.js';
import { type EvidenceCase, type EvidenceInput, evidencePack, OTHER_CASES_SHOWN } from './evidence.js';

const casesTable = requiredEnv(ENV.casesTable);
const accountsTable = requiredEnv(ENV.accountsTable);
const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);
const creditsTable = requiredEnv(ENV.creditsTable);

/** The customer's newest cases (this one may be among them, so one more than shown). */
async function newestCases(customerId: string): Promise<EvidenceInput['customerCases']> {
  const names = ['caseId', 'createdAt', 'intent', 'outcome', 'reason', 'refundedTotals'];
  const result = await documentClient.send(
    new QueryCommand({
      TableName: casesTable,
      IndexName: CASES_BY_CUSTOMER_INDEX,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
      ProjectionExpression: names.map((_, i) => `#n${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
      ScanIndexForward: false,
      Limit: OTHER_CASES_SHOWN + 1,
    }),
  );
  return (result.Items ?? []) as unknown as EvidenceInput['customerCases'];
}

/**
 * GET /v1/agent/cases/{caseId} (IAM): the evidence pack. The account is read as stored (not merged with the
 * ledger): `refundedAmount` there is what was refunded outside Refund Hub, and the ledger's lines are shown beside it.
 */
export const handler = httpHandler(async (event) => {
  agentIdOf(event);
  const caseId = caseIdOf(event);
  const record = (await readCaseRecord(documentClient, casesTable, caseId)) as EvidenceCase | undefined;
  if (!record) throw new HttpError(404, 'case_not_found', `No case ${caseId}.`);
  const { customerId } = record;
  const [items, ledger, customerCases, credit] = await Promise.all([
    queryAll(documentClient, {
      TableName: accountsTable,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
    }),
    ledgerLines(documentClient, refundLedgerTable, customerId),
    newestCases(customerId),
    creditOfCase(documentClient, creditsTable, customerId, caseId),
  ]);
  const account = accountFromItems(customerId, items as unknown as AccountItem[]);
  return json(200, evidencePack({ record, account, ledger, customerCases, credit }, new Date()));
});
