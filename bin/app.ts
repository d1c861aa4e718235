#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { applyNagAcknowledgements } from '../lib/nag.js';
import { RefundHubStack } from '../lib/refund-hub-stack.js';

const app = new App();
const stack = new RefundHubStack(app, 'RefundHub', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description:
    'Refund Hub: guided refund workflow (classify, compare billing dates, refund once or hand off)',
});
applyNagAcknowledgements(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
