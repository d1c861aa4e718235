/**
 * X-Ray tracing (Powertools Tracer), one per function: the handler chains in step-handler.ts and http.ts open a
 * segment per invocation, and the client modules (document-client.ts, sns-client.ts, sfn-client.ts) trace each AWS SDK call. Outside Lambda the Tracer switches itself off, and
 * the embedded runtime sets POWERTOOLS_TRACE_ENABLED=false besides, so locally both are plain pass-throughs.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: 'refund-hub' });
