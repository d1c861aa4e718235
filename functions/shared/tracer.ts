/**
 * X-Ray tracing (Powertools Tracer), one per function, loaded only when it would trace. The Tracer requires the X-Ray
 * SDK at import (about as long to load as the DynamoDB client itself, see `npm run bench -- --only module-load`), and
 * switched off it is a pass-through: so where it would be off (POWERTOOLS_TRACE_ENABLED=false, outside Lambda, SAM
 * or Amplify's mock: Powertools' own rule, `tracingEnabled` below) it is not loaded at all. On Lambda with X-Ray on,
 * as deployed, it is loaded at module load as before: the handler chains in step-handler.ts and http.ts open a
 * segment per invocation (`tracingMiddleware`) and the client modules (document-client.ts, sns-client.ts,
 * sfn-client.ts) trace each AWS SDK call (`traced`).
 */
import type * as TracerModule from '@aws-lambda-powertools/tracer';
import type * as TracerMiddleware from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';

/** Whether Powertools' Tracer would trace in this environment (its `isTracingEnabled` at construction). */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false;
  const execution = env.AWS_EXECUTION_ENV ?? '';
  return execution !== '' && execution !== 'AWS_Lambda_amplify-mock' && (env.AWS_SAM_LOCAL ?? '') === '';
}

// Only the Lambda bundle (CommonJS: esbuild sees the package, external with the layer, bundled without) loads it. From
// source (ESM: the embedded runtime, tests) there is no `require`, and nothing traces: no AWS_EXECUTION_ENV there.
const canLoad = typeof require === 'function';

/** The function's Tracer, or undefined where it would not trace (and is not loaded). */
export const tracer: TracerModule.Tracer | undefined =
  canLoad && tracingEnabled()
    ? new (require('@aws-lambda-powertools/tracer') as typeof TracerModule).Tracer({
        serviceName: 'refund-hub',
      })
    : undefined;

/** The client, its AWS SDK calls traced when the function traces. */
export function traced<C>(client: C): C {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * A segment per invocation when the function traces (responses can carry customer data: timing only, no body), as a
 * list for middy's `use`: empty where the function does not trace.
 */
export function tracingMiddleware<E, R>(): middy.MiddlewareObj<E, R>[] {
  if (!tracer) return [];
  const { captureLambdaHandler } =
    require('@aws-lambda-powertools/tracer/middleware') as typeof TracerMiddleware;
  return [captureLambdaHandler(tracer, { captureResponse: false })];
}
