/** What is left to refund of a customer's charges, and which of them a case is about: shared by resolution and approval. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadCustomerAccount } from '../shared/account-store.js';
import type { CaseRecord } from '../shared/case-record.js';
import { pendingAgentRefunds } from '../shared/cases.js';
import type { RefundableCharge } from './domain.js';

export interface RemainderTables {
  readonly casesTable: string;
  readonly accountsTable: string;
  readonly refundLedgerTable: string;
}

type Facts = {
  billing?: { billingErrors?: { chargeId: string }[]; currency?: string | null } | null;
  order?: { found?: boolean; orderId?: string | null; currency?: string | null } | null;
};

const factsOf = (record: CaseRecord) => (record.receipt?.facts ?? {}) as Facts;

/** The currency the case was decided in: its billing errors' (one currency), else its order's. */
export function caseCurrency(record: CaseRecord): string | null {
  const facts = factsOf(record);
  if ((facts.billing?.billingErrors ?? []).length > 0) return facts.billing?.currency ?? null;
  return facts.order?.found ? (facts.order.currency ?? null) : null;
}

/**
 * Every charge of the customer with its remainder: the charge less what was refunded outside Refund Hub, what its
 * ledger holds (both merged by loadCustomerAccount) and what other cases' approvals claimed but the workflow has not
 * paid yet. Also the case's own charges: its billing errors, else the charge that paid for its order (receipt facts).
 */
export async function caseCharges(
  client: DynamoDBDocumentClient,
  tables: RemainderTables,
  record: CaseRecord,
) {
  const [account, pending] = await Promise.all([
    loadCustomerAccount(client, tables, record.customerId),
    pendingAgentRefunds(client, tables, record.customerId, record.caseId),
  ]);
  const customerCharges: RefundableCharge[] = account.charges.map((charge) => ({
    chargeId: charge.id,
    refundable: Math.max(0, charge.amount - (charge.refundedAmount ?? 0) - (pending.get(charge.id) ?? 0)),
    currency: charge.currency,
    chargedAt: charge.chargedAt,
  }));
  const facts = factsOf(record);
  const errorIds = (facts.billing?.billingErrors ?? []).map((e) => e.chargeId);
  const orderId = facts.order?.found ? facts.order.orderId : null;
  const orderChargeIds = orderId ? account.charges.filter((c) => c.orderId === orderId).map((c) => c.id) : [];
  return { customerCharges, defaultChargeIds: errorIds.length > 0 ? errorIds : orderChargeIds };
}
