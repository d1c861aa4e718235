/** The admin role on AWS: IAM-authorized /admin/ routes, least privilege behind them, and the two invoke policies. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';
import { stackGrants } from './grants.js';

let stack: RefundHubStack;
let template: Template;

beforeAll(() => {
  stack = synthStack().stack;
  template = Template.fromStack(stack);
}, 60_000);

const { logicalId, tableArn, grantsOf } = stackGrants(() => ({ stack, template }));

/** The `METHOD /path` each execute-api:Invoke resource of a managed policy allows. */
function invocableBy(policy: iam.ManagedPolicy): string[] {
  const resource = template.findResources('AWS::IAM::ManagedPolicy')[logicalId(policy)];
  const statements = resource?.Properties.PolicyDocument.Statement as {
    Action: string;
    Resource: unknown[];
  }[];
  return statements
    .flatMap((s) => {
      expect(s.Action).toBe('execute-api:Invoke');
      return s.Resource;
    })
    .map((arn) => {
      const parts = (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      const [method, ...path] = String(parts.at(-1)).split('/').filter(Boolean);
      return `${method} /${path.join('/')}`;
    })
    .sort();
}

describe('admin routes', () => {
  it('are IAM-authorized, like the agent routes', () => {
    const methods = stack.api.api.methods
      .filter((m) => m.resource.path.startsWith('/admin/'))
      .map(
        (m) =>
          `${m.httpMethod} ${m.resource.path} ${(m.node.defaultChild as apigateway.CfnMethod).authorizationType}`,
      );
    expect(methods).toEqual(
      expect.arrayContaining([
        'PUT /admin/customers/{customerId}/account AWS_IAM',
        'GET /admin/refunds AWS_IAM',
      ]),
    );
  });

  it('give the account PUT exactly BatchWriteItem on accounts and Query on the ledger', () => {
    const { accounts, refundLedger } = stack.data;
    expect(grantsOf(stack.api.adminAccount.function)).toEqual(
      [`dynamodb:BatchWriteItem ${tableArn(accounts)}`, `dynamodb:Query ${tableArn(refundLedger)}`].sort(),
    );
  });

  it('give the refunds listing exactly Scan on the ledger and the credits', () => {
    const { credits, refundLedger } = stack.data;
    expect(grantsOf(stack.api.adminRefunds.function)).toEqual(
      [`dynamodb:Scan ${tableArn(credits)}`, `dynamodb:Scan ${tableArn(refundLedger)}`].sort(),
    );
  });
});

describe('invoke policies', () => {
  it('let agents invoke the agent routes only, and admins the admin routes only', () => {
    const agent = invocableBy(stack.api.agentInvokePolicy);
    const admin = invocableBy(stack.api.adminInvokePolicy);
    // Issue 14: the queue view, the evidence pack and the second approval join claim and resolution.
    expect([...agent].sort()).toEqual([
      'GET /agent/cases',
      'GET /agent/cases/*',
      'GET /agent/returns',
      'POST /agent/cases/*/approvals',
      'POST /agent/cases/*/claim',
      'POST /agent/cases/*/resolution',
      'POST /agent/returns/*/inspection',
    ]);
    expect(admin).toEqual(expect.arrayContaining(['GET /admin/refunds', 'PUT /admin/customers/*/account']));
    expect(admin.every((route) => / \/admin\//.test(route))).toBe(true);
  });

  it('cover every IAM route between them', () => {
    const iamRoutes = stack.api.api.methods
      .filter((m) => (m.node.defaultChild as apigateway.CfnMethod).authorizationType === 'AWS_IAM')
      .map((m) => `${m.httpMethod} ${m.resource.path.replace(/\{[^}]*\}/g, '*')}`)
      .sort();
    expect(
      [...invocableBy(stack.api.agentInvokePolicy), ...invocableBy(stack.api.adminInvokePolicy)].sort(),
    ).toEqual(iamRoutes);
  });

  it('are stack outputs, to attach to the agents’ and operators’ roles', () => {
    template.hasOutput('AgentInvokePolicyArn', { Value: { Ref: logicalId(stack.api.agentInvokePolicy) } });
    template.hasOutput('AdminInvokePolicyArn', { Value: { Ref: logicalId(stack.api.adminInvokePolicy) } });
  });

  it('fail the synth for an IAM route added after them (it would be in neither)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const late = new RefundHubStack(app, 'RefundHub');
    late.api.api.root.addResource('late').addMethod('GET', new apigateway.MockIntegration(), {
      authorizationType: apigateway.AuthorizationType.IAM,
    });
    expect(() => app.synth()).toThrow(/GET \/late is IAM-authorized but in neither invoke policy/);
  }, 60_000);
});
