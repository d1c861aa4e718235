/**
 * The deployed bundle loads Powertools' Tracer (and its X-Ray SDK) only where it traces: on Lambda with tracing on, as
 * deployed, it is loaded at module load and the handler runs through its middleware; with POWERTOOLS_TRACE_ENABLED=false
 * it is never required. The bundle is run as Lambda runs it (CommonJS, in a fresh node), and `tracingEnabled` is
 * checked against the Tracer's own decision.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { describe, expect, it, vi } from 'vitest';
import { tracer, tracingEnabled, tracingMiddleware } from '../../functions/shared/tracer.js';
import { deployedBundle } from './deployed-bundle.js';

const bundle = deployedBundle('functions/get-case/handler.ts', 'get-case');

/** Requires the bundle in a fresh node as Lambda would, calls it once with a malformed case id (a 404, no DynamoDB call). */
function runBundle(tracing: string) {
  const script = `
    const { handler } = require(${JSON.stringify(bundle.file)});
    const loaded = Object.keys(require.cache).some((k) => k.includes('aws-xray-sdk-core'));
    handler({ pathParameters: { caseId: 'nope' }, requestContext: { authorizer: { claims: { sub: 'cust-1' } } } },
      { functionName: 'get-case', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 3000 })
      .then((r) => process.stdout.write(JSON.stringify({ loaded, status: r.statusCode })));`;
  const stdout = bundle.run(script, {
    POWERTOOLS_TRACE_ENABLED: tracing,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    CASES_TABLE_NAME: 'cases',
    REFUND_LEDGER_TABLE_NAME: 'ledger',
    CREDITS_TABLE_NAME: 'credits',
  });
  return JSON.parse(stdout) as { loaded: boolean; status: number };
}

describe('Tracer load (cold start)', () => {
  it('on Lambda with tracing on, loads the X-Ray SDK at module load and answers through the tracing middleware', () => {
    expect(runBundle('true')).toEqual({ loaded: true, status: 404 });
  }, 30_000);

  it('with POWERTOOLS_TRACE_ENABLED=false, never requires it and answers the same', () => {
    expect(runBundle('false')).toEqual({ loaded: false, status: 404 });
  }, 30_000);

  it("decides as Powertools' Tracer does, for every environment that switches it", () => {
    const cases: Record<string, string | undefined>[] = [
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'false' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'true' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' },
      { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' },
      { AWS_EXECUTION_ENV: '' },
      {},
    ];
    for (const env of cases) {
      vi.stubEnv('AWS_EXECUTION_ENV', env.AWS_EXECUTION_ENV ?? '');
      vi.stubEnv('POWERTOOLS_TRACE_ENABLED', env.POWERTOOLS_TRACE_ENABLED ?? '');
      vi.stubEnv('AWS_SAM_LOCAL', env.AWS_SAM_LOCAL ?? '');
      expect(tracingEnabled(), JSON.stringify(env)).toBe(new Tracer().isTracingEnabled());
    }
    vi.unstubAllEnvs();
  });

  it('run from source (the embedded runtime, tests) traces nothing and adds no middleware', () => {
    expect(tracer).toBeUndefined();
    expect(tracingMiddleware()).toEqual([]);
  });
});
