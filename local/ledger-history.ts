/**
 * Replay's `ledger` history (POLICY "Replay format"): refunds Refund Hub made before the scenario, written as the ledger
 * would hold them (so remainders and "automatic once per charge" see them) and into the daily budget (rule 8).
 */
import { caseAttribute } from '../functions/issue-refund/domain.js';
import type { BudgetReservation } from '../functions/refund-guardrails/domain.js';
import { refundIdempotencyKey } from '../functions/shared/payments/provider.js';
import type { LedgerHistoryEntry } from './scenario.js';

/** The ledger items (one per charge) of a customer's history; each entry is a paid line of its own earlier case. */
export function ledgerHistoryItems(
  customerId: string,
  entries: readonly LedgerHistoryEntry[],
): Record<string, unknown>[] {
  const byCharge = new Map<string, Record<string, unknown>>();
  entries.forEach((entry, index) => {
    const caseId = `history-${index + 1}`;
    const item = byCharge.get(entry.chargeId) ?? {
      customerId,
      chargeId: entry.chargeId,
      currency: entry.currency,
      refundedTotal: 0,
      updatedAt: entry.at,
    };
    item.refundedTotal = (item.refundedTotal as number) + entry.amount;
    if (entry.source === 'auto' && item.autoRefundCaseId === undefined) item.autoRefundCaseId = caseId;
    item[caseAttribute(caseId)] = {
      amount: entry.amount,
      source: entry.source,
      at: entry.at,
      status: 'succeeded',
      provider: 'ledger',
      idempotencyKey: refundIdempotencyKey(caseId, entry.chargeId, entry.amount),
      attempt: 1,
      updatedAt: entry.at,
    };
    byCharge.set(entry.chargeId, item);
  });
  return [...byCharge.values()];
}

/** The history's automatic refunds per currency, as budget reservations keyed by scenario (a re-seed is harmless). */
export function budgetHistory(
  scenarioKey: string,
  entries: readonly LedgerHistoryEntry[],
): Map<string, Record<string, BudgetReservation>> {
  const byCurrency = new Map<string, Record<string, BudgetReservation>>();
  entries.forEach((entry, index) => {
    if (entry.source !== 'auto') return;
    const reservations = byCurrency.get(entry.currency) ?? {};
    reservations[`history:${scenarioKey}:${index + 1}`] = { amount: entry.amount, at: entry.at };
    byCurrency.set(entry.currency, reservations);
  });
  return byCurrency;
}
