import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { holdsMoney, ledgerLines } from '../shared/ledger.js';
import { countMetric } from '../shared/metrics.js';
import { reserveBudget } from '../shared/refund-budget.js';
import { instant, minorUnits } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';
import { autoRefundsLast30Days, type GuardrailResult } from './domain.js';

const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);
const refundBudgetsTable = requiredEnv(ENV.refundBudgetsTable);

const eventSchema = z.object({
  caseId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  now: instant,
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  amount: minorUnits,
  maxAutoRefundsPer30Days: z.int().check(z.nonnegative()),
  dailyAutoRefundBudgets: z.record(z.string(), minorUnits),
});

/**
 * Rules 7 and 8 before an automatic refund: the customer's automatic refunds of the last 30 days (from the ledger), then
 * the currency's daily budget, reserved atomically for this case when the refund fits. The result is on the receipt.
 */
export const handler = stepHandler(eventSchema, async (event): Promise<GuardrailResult> => {
  const lines = await ledgerLines(documentClient, refundLedgerTable, event.customerId);
  const count = autoRefundsLast30Days(
    lines.map((l) => ({ caseId: l.caseId, source: l.source, at: l.at, holdsMoney: holdsMoney(l.status) })),
    event.now,
    event.caseId,
  );
  const base = { autoRefundsLast30Days: count, maxAutoRefundsPer30Days: event.maxAutoRefundsPer30Days };
  if (count >= event.maxAutoRefundsPer30Days) {
    countMetric('RefundVelocityHandoffs');
    return { verdict: 'refund_velocity', ...base, budget: null };
  }
  const budget = await reserveBudget(
    documentClient,
    refundBudgetsTable,
    { caseId: event.caseId, currency: event.currency, amount: event.amount, now: event.now },
    event.dailyAutoRefundBudgets[event.currency] ?? null,
  );
  // Crossing the day's budget raises the operators' alarm (lib/constructs/operations.ts).
  if (!budget.withinBudget) countMetric('BudgetExceeded');
  return { verdict: budget.withinBudget ? 'ok' : 'budget_exceeded', ...base, budget };
});
