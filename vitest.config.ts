import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The web chat and console are built (when stale) before any file runs: the browser tests load web/dist.
    globalSetup: ['test/browser/global-setup.ts'],
    // Each file gets its own process: the embedded runtime reads handler configuration from the
    // environment once per process, as Lambda does.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Metrics and traces are AWS-side output: the tests assert the metric points (metric-points.ts), not EMF lines.
    env: {
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
