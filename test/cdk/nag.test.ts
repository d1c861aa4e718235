import { App, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { applyNagAcknowledgements } from '../../lib/nag.js';
import { RefundHubStack } from '../../lib/refund-hub-stack.js';

describe('cdk-nag gate', () => {
  it('fails the synth on a finding nobody acknowledged (acknowledgements are not blanket)', () => {
    // Prepare: the real stack, wired as bin/app.ts does, plus a queue without TLS or a dead-letter queue.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new RefundHubStack(app, 'RefundHub');
    new sqs.Queue(stack, 'UnreviewedQueue');
    applyNagAcknowledgements(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

    // Act / Assess
    expect(() => app.synth()).toThrow(/ValidationFailed|AwsSolutions-SQS/);
  }, 60_000);
});

describe('cdk-nag acknowledgements', () => {
  it('hold for a stack in a concrete region and account, as `cdk synth` builds it with CDK_DEFAULT_REGION', () => {
    // Prepare: bin/app.ts passes the CLI's default environment; findings then name the literal region.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new RefundHubStack(app, 'RefundHub', {
      env: { region: 'us-east-1', account: '123456789012' },
    });
    applyNagAcknowledgements(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

    // Act / Assess
    expect(() => app.synth()).not.toThrow();
  }, 60_000);
});
