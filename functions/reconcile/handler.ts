/**
 * Reconciliation, two ways in, one report: the EventBridge Scheduler invocation (the report goes to
 * the log, with `disagreements` counted by a metric filter) and `POST /v1/admin/reconciliation`
 * (AWS_IAM, admin role; the report is the answer). Reads the ledger and asks the configured payment
 * provider about each refund; pays nothing, changes nothing.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { HttpError, json } from '../shared/http.js';
import { ledgerLines } from '../shared/ledger.js';
import { logger } from '../shared/logger.js';
import { paymentProviderFromEnv } from '../shared/payments/index.js';
import type { ProviderRefund } from '../shared/payments/provider.js';
import { type ProviderRefundView, type ReconcileReport, reconcile, refundIdsToAsk } from './domain.js';

const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);
/** Refunds asked about at once (Stripe allows 25 reads/s in test mode, 100 live). */
const PARALLEL = 4;
/** Stop asking this long before the Lambda's timeout; the report says it is incomplete. */
const TIME_MARGIN_MS = 5_000;
/** API Gateway gives up after 29 s: an API call answers within this. */
const API_BUDGET_MS = 20_000;

/** The provider's answer as the comparison reads it (amount and currency when the adapter gives them). */
function viewOf(refund: ProviderRefund | null): ProviderRefundView | null {
  if (!refund) return null;
  const extra = refund as ProviderRefund & { amount?: number; currency?: string };
  return {
    status: refund.status,
    ...(refund.failureReason ? { failureReason: refund.failureReason } : {}),
    ...(typeof extra.amount === 'number' ? { amount: extra.amount } : {}),
    ...(typeof extra.currency === 'string' ? { currency: extra.currency } : {}),
  };
}

async function run(context: Context, budgetMs: number): Promise<ReconcileReport> {
  const deadline = Date.now() + Math.min(budgetMs, context.getRemainingTimeInMillis() - TIME_MARGIN_MS);
  const provider = await paymentProviderFromEnv();
  const lines = await ledgerLines(documentClient, refundLedgerTable);
  const ids = refundIdsToAsk(lines, provider.name);
  const answers = new Map<string, ProviderRefundView | null>();
  for (let i = 0; i < ids.length && Date.now() < deadline; i += PARALLEL) {
    const batch = ids.slice(i, i + PARALLEL);
    const views = await Promise.all(batch.map(async (id) => viewOf(await provider.refundStatus(id))));
    batch.forEach((id, n) => {
      answers.set(id, views[n] ?? null);
    });
  }
  const report = reconcile(lines, provider.name, answers, new Date());
  for (const d of report.disagreements)
    logger.warn('Reconciliation disagreement', {
      reconcileDisagreement: d.kind,
      customerId: d.customerId,
      chargeId: d.chargeId,
      caseId: d.caseId,
      providerRefundId: d.providerRefundId,
      detail: d.detail,
    });
  // The metric filter on this log group counts `disagreements`: the ReconciliationDisagreements alarm.
  logger.info('Reconciliation finished', {
    disagreements: report.disagreements.length,
    lines: report.lines,
    checked: report.checked,
    agreed: report.agreed,
    otherProvider: report.otherProvider,
    complete: report.complete,
    provider: report.provider,
  });
  return report;
}

const isApiEvent = (event: unknown): event is APIGatewayProxyEvent =>
  typeof event === 'object' && event !== null && 'httpMethod' in event && 'requestContext' in event;

async function overApi(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  try {
    // The gateway authorized the call (AWS_IAM with the admin policy; locally an admin token).
    const identity = event.requestContext?.identity;
    logger.info('Reconciliation asked over the API', {
      caller: identity?.userArn ?? identity?.caller ?? null,
    });
    return json(200, await run(context, API_BUDGET_MS));
  } catch (error) {
    if (error instanceof HttpError)
      return json(error.statusCode, { error: { code: error.code, message: error.message } });
    logger.error('Reconciliation failed', error as Error);
    return json(500, { error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  }
}

export const handler = middy<unknown, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .handler(async (event, context) => {
    if (isApiEvent(event)) return overApi(event, context);
    // Scheduled: a failure is a failed invocation (the schedule retries; the errors alarm sees it).
    const report = await run(context, Number.POSITIVE_INFINITY);
    return {
      disagreements: report.disagreements.length,
      checked: report.checked,
      agreed: report.agreed,
      complete: report.complete,
    };
  });
