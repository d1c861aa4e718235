import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { remainderOf } from '../returns-core/domain.js';
import { ACCOUNT_SK } from '../shared/accounts.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { applyRefundStatus, type LedgerLine, ledgerTotals, reserveRefund } from '../shared/ledger.js';
import { logger } from '../shared/logger.js';
import { configuredProviderName, paymentProviderFromEnv } from '../shared/payments/index.js';
import { PaymentDeclined } from '../shared/payments/provider.js';
import { minorUnits } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import type { Charge } from '../shared/types.js';
import * as z from '../shared/zod.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
const providerName = configuredProviderName();

const eventSchema = z.object({
  returnId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  chargeId: z.nullable(z.string().check(z.minLength(1))),
  amount: minorUnits,
});

function result(chargeId: string | null, currency: string, line: LedgerLine | null, nothingLeft: boolean) {
  const held = line && (line.status === 'pending' || line.status === 'succeeded');
  return {
    chargeId,
    refundedAmount: held ? line.amount : 0,
    currency,
    status: line?.status ?? 'none',
    failed: line?.status === 'failed' || line?.status === 'canceled',
    failureReason: line?.failureReason ?? null,
    nothingLeft,
  };
}

/**
 * IssueReturnRefund: the return's refund on the order's charge, at most its remainder, through the same exactly-once
 * ledger and payment provider as every other refund. The return id is the ledger line's case: one line per return,
 * so a retried step (or a crash after the provider answered) finishes the same line with the same idempotency key.
 */
export const handler = stepHandler(eventSchema, async ({ returnId, customerId, chargeId, amount }) => {
  if (chargeId === null) return result(null, '', null, true);
  const [chargeItem, totals] = await Promise.all([
    documentClient.send(
      new GetCommand({
        TableName: tables.accountsTable,
        Key: { customerId, sk: ACCOUNT_SK.charge(chargeId) },
        ConsistentRead: true,
      }),
    ),
    ledgerTotals(documentClient, tables.refundLedgerTable, customerId, returnId),
  ]);
  const charge = chargeItem.Item?.data as Charge | undefined;
  if (!charge) return result(chargeId, '', null, true);
  // Never more than what is left of the charge (a support case may have refunded part of it already).
  const capped = Math.min(amount, remainderOf(charge, totals.get(chargeId) ?? 0));
  const at = new Date().toISOString();
  const reserved = await reserveRefund(documentClient, tables, {
    caseId: returnId,
    customerId,
    chargeId,
    amount: capped,
    source: 'return',
    at,
    provider: providerName,
  });
  let line = reserved.line;
  if (line && line.status === 'pending' && !line.providerRefundId)
    line = await payAtProvider(returnId, customerId, charge, line);
  return result(chargeId, charge.currency, line, line === null);
});

async function payAtProvider(
  returnId: string,
  customerId: string,
  charge: Charge,
  line: LedgerLine,
): Promise<LedgerLine> {
  const provider = await paymentProviderFromEnv();
  let outcome: { providerRefundId: string | null; status: LedgerLine['status']; failureReason?: string };
  try {
    outcome = await provider.refund({
      idempotencyKey: line.idempotencyKey,
      caseId: returnId,
      customerId,
      chargeId: charge.id,
      ...(charge.paymentIntentId ? { paymentIntentId: charge.paymentIntentId } : {}),
      amount: line.amount,
      currency: charge.currency,
    });
  } catch (error) {
    if (!(error instanceof PaymentDeclined)) throw error;
    logger.warn('The payment provider refused a return refund', {
      returnId,
      chargeId: charge.id,
      code: error.code,
    });
    outcome = { providerRefundId: null, status: 'failed', failureReason: error.code };
  }
  const applied = await applyRefundStatus(
    documentClient,
    tables.refundLedgerTable,
    { customerId, chargeId: charge.id, caseId: returnId, ...outcome, at: new Date().toISOString() },
    line,
  );
  return applied.line ?? line;
}
