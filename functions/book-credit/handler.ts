import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_SK } from '../shared/accounts.js';
import { reserveCredit, settleCredit } from '../shared/credits.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { logger } from '../shared/logger.js';
import { creditMetrics } from '../shared/metric-points.js';
import { emitMetrics } from '../shared/metrics.js';
import { configuredProviderName, paymentProviderFromEnv } from '../shared/payments/index.js';
import { PaymentDeclined } from '../shared/payments/provider.js';
import { minorUnits } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import type { CustomerProfile } from '../shared/types.js';
import * as z from '../shared/zod.js';

const accountsTable = requiredEnv(ENV.accountsTable);
const creditsTable = requiredEnv(ENV.creditsTable);
const providerName = configuredProviderName();

const goodwillCapMinor = numberEnv(ENV.goodwillCapMinor, 5000);

const eventSchema = z.object({
  caseId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  resolution: z.object({
    amount: z.nullish(minorUnits),
    currency: z.nullish(z.string().check(z.regex(/^[A-Z]{3}$/))),
    agentId: z.nullish(z.string()),
  }),
});

/**
 * Books an agent's goodwill credit once per case through the payment provider (Stripe: a customer balance
 * credit; the ledger: a credit line to pay out of band). Safe to retry: the case's credit item carries the
 * idempotency key. A final refusal is recorded as `failed` for the resolution to tell the customer.
 */
export const handler = stepHandler(eventSchema, async ({ caseId, customerId, resolution }) => {
  const at = new Date().toISOString();
  // The agent endpoint refuses credits over the cap; a resolution sent by any other client is capped here, before money moves.
  const amount = Math.min(resolution.amount ?? 0, goodwillCapMinor);
  const currency = resolution.currency ?? 'USD';
  const agentId = resolution.agentId;
  if (amount <= 0)
    return { amount: 0, currency, status: 'none', providerCreditId: null, failureReason: null };
  let credit = await reserveCredit(documentClient, creditsTable, {
    customerId,
    caseId,
    amount,
    currency,
    provider: providerName,
    ...(agentId ? { agentId } : {}),
    at,
  });
  const settling = credit.status === 'pending';
  if (credit.status === 'pending') {
    const provider = await paymentProviderFromEnv();
    const profile = await documentClient.send(
      new GetCommand({ TableName: accountsTable, Key: { customerId, sk: ACCOUNT_SK.profile } }),
    );
    const stripeCustomerId = (profile.Item?.data as CustomerProfile | undefined)?.stripeCustomerId;
    try {
      const booked = await provider.credit({
        idempotencyKey: credit.idempotencyKey,
        caseId,
        customerId,
        ...(stripeCustomerId ? { providerCustomerId: stripeCustomerId } : {}),
        amount: credit.amount,
        currency: credit.currency,
        description: `Goodwill credit (Refund Hub case ${caseId})`,
      });
      credit = await settleCredit(
        documentClient,
        creditsTable,
        credit,
        { status: 'succeeded', ...booked },
        at,
      );
    } catch (error) {
      if (!(error instanceof PaymentDeclined)) throw error;
      logger.warn('The payment provider refused a goodwill credit', { caseId, code: error.code });
      credit = await settleCredit(
        documentClient,
        creditsTable,
        credit,
        { status: 'failed', providerCreditId: null, failureReason: error.code },
        at,
      );
    }
  }
  // Only the invocation that settled the credit counts it: a retried step reads it back settled.
  if (settling) emitMetrics(creditMetrics(credit));
  return {
    amount: credit.amount,
    currency: credit.currency,
    status: credit.status,
    providerCreditId: credit.providerCreditId ?? null,
    failureReason: credit.failureReason ?? null,
  };
});
