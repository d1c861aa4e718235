import { z } from 'zod';
import { documentClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { refundCharge } from '../shared/ledger.js';
import { minorUnits } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import { summarize } from './domain.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};

const eventSchema = z.object({
  caseId: z.string().min(1),
  customerId: z.string().min(1),
  source: z.enum(['auto', 'agent']),
  charges: z.array(
    // A line's currency, when given, is informational: what was refunded is in the charge's own currency.
    z.object({ chargeId: z.string().min(1), amount: minorUnits, currency: z.string().optional() }),
  ),
});

/**
 * Refunds each charge's amount through the exactly-once ledger (its only write). Safe to retry: a charge this case
 * already refunded is reported again, never paid twice; one another case refunded is skipped.
 */
export const handler = stepHandler(eventSchema, async ({ caseId, customerId, source, charges }) => {
  const at = new Date().toISOString();
  const lines = [];
  // One charge at a time: a fault part-way leaves each finished charge recorded in the ledger.
  for (const { chargeId, amount } of charges) {
    const { refunded, currency } = await refundCharge(documentClient, tables, {
      caseId,
      customerId,
      chargeId,
      amount,
      source,
      at,
    });
    // No currency only for a charge neither the account nor the ledger knows: nothing was refunded on it.
    lines.push({ chargeId, refunded, currency: currency ?? 'unknown' });
  }
  // The case's timeline gets the refund when the outcome is recorded (in the order it happened).
  return summarize(lines);
});
