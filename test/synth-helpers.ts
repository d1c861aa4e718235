import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RefundHubConfig } from '../lib/config.js';
import { applyNagAcknowledgements } from '../lib/nag.js';
import { RefundHubStack } from '../lib/refund-hub-stack.js';

/**
 * Synthesizes the real app without bundling (tests need the template, not the zip files),
 * with cdk-nag's AwsSolutions pack attached as in `bin/app.ts`.
 */
export function synthStack(context: Record<string, unknown> = {}, config?: RefundHubConfig) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new RefundHubStack(app, 'RefundHub', config ? { config } : {});
  applyNagAcknowledgements(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
  return { app, stack };
}
