import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { applyRefundStatus, type LedgerLine, reserveRefund } from '../shared/ledger.js';
import { logger } from '../shared/logger.js';
import { countMetric } from '../shared/metrics.js';
import { configuredProviderName, paymentProviderFromEnv } from '../shared/payments/index.js';
import { PaymentDeclined } from '../shared/payments/provider.js';
import { minorUnits } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';
import { type RefundLineView, summarize } from './domain.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
const providerName = configuredProviderName();

const eventSchema = z.object({
  caseId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  source: z.enum(['auto', 'agent']),
  charges: z.array(
    // A line's currency, when given, is informational: what was refunded is in the charge's own currency.
    z.object({
      chargeId: z.string().check(z.minLength(1)),
      amount: minorUnits,
      currency: z.optional(z.string()),
    }),
  ),
});

function view(chargeId: string, currency: string, line: LedgerLine): RefundLineView {
  return {
    chargeId,
    amount: line.amount,
    currency,
    status: line.status,
    ...(line.providerRefundId ? { providerRefundId: line.providerRefundId } : {}),
    ...(line.failureReason ? { failureReason: line.failureReason } : {}),
  };
}

/**
 * Refunds each charge's amount, exactly once, in two phases: the ledger line is reserved `pending`, the payment
 * provider is called with the line's idempotency key, and the line records the provider's refund id and status.
 * Safe to retry at any point: a reserved line is finished with the same key (the provider pays once); a charge
 * another case refunded is skipped. A refusal that will not succeed on retry fails the line (the workflow hands
 * the case to a person); any other fault is thrown for the state machine's Retry.
 */
export const handler = stepHandler(eventSchema, async ({ caseId, customerId, source, charges }) => {
  const at = new Date().toISOString();
  const lines = [];
  // One charge at a time: a fault part-way leaves each finished charge recorded in the ledger.
  for (const { chargeId, amount } of charges) {
    const reserved = await reserveRefund(documentClient, tables, {
      caseId,
      customerId,
      chargeId,
      amount,
      source,
      at,
      provider: providerName,
    });
    // No currency only for a charge neither the account nor the ledger knows: nothing was refunded on it.
    const currency = reserved.currency ?? 'unknown';
    let line = reserved.line;
    // A line already at the provider (a retry after the provider answered) is reported as it stands.
    if (line && line.status === 'pending' && !line.providerRefundId) {
      line = await payAtProvider(
        caseId,
        customerId,
        chargeId,
        currency,
        line,
        reserved.charge?.paymentIntentId,
      );
    }
    lines.push({ chargeId, currency, line: line ? view(chargeId, currency, line) : null });
  }
  // The case's timeline gets the refund when the outcome is recorded (in the order it happened).
  return summarize(lines);
});

async function payAtProvider(
  caseId: string,
  customerId: string,
  chargeId: string,
  currency: string,
  line: LedgerLine,
  paymentIntentId: string | undefined,
): Promise<LedgerLine> {
  const provider = await paymentProviderFromEnv();
  let outcome: { providerRefundId: string | null; status: LedgerLine['status']; failureReason?: string };
  try {
    outcome = await provider.refund({
      idempotencyKey: line.idempotencyKey,
      caseId,
      customerId,
      chargeId,
      ...(paymentIntentId ? { paymentIntentId } : {}),
      amount: line.amount,
      currency,
    });
  } catch (error) {
    if (!(error instanceof PaymentDeclined)) throw error;
    logger.warn('The payment provider refused a refund', { caseId, chargeId, code: error.code });
    countMetric('RefundFailed');
    outcome = { providerRefundId: null, status: 'failed', failureReason: error.code };
  }
  const applied = await applyRefundStatus(
    documentClient,
    tables.refundLedgerTable,
    {
      customerId,
      chargeId,
      caseId,
      ...outcome,
      at: new Date().toISOString(),
    },
    line,
  );
  return applied.line ?? line;
}
