/** GET /v1/orders on AWS: a customer route (Cognito), reads only: the account's orders and the customer's returns. */
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';

let stack: RefundHubStack;
let template: Template;

beforeAll(() => {
  stack = synthStack().stack;
  template = Template.fromStack(stack);
}, 60_000);

const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const tableArn = (table: dynamodb.ITable) => JSON.stringify({ 'Fn::GetAtt': [logicalId(table), 'Arn'] });
const indexArn = (table: dynamodb.ITable, index: string) =>
  JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(table), 'Arn'] }, `/index/${index}`]] });

function grantsOf(fn: lambda.IFunction): string[] {
  const roleId = stack.getLogicalId(fn.role?.node.defaultChild as iam.CfnRole);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .flatMap((s: { Action: string | string[]; Resource: unknown }) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).flatMap((action) =>
        (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => `${action} ${JSON.stringify(r)}`),
      ),
    )
    .filter((grant) => !grant.startsWith('xray:'))
    .sort();
}

describe('GET /v1/orders', () => {
  it('is a customer route: the Cognito user pool authorizer, like the other customer routes', () => {
    const method = stack.api.api.methods.find(
      (m) => m.resource.path === '/orders' && m.httpMethod === 'GET',
    ) as apigateway.Method;
    const cfn = method.node.defaultChild as apigateway.CfnMethod;
    expect(cfn.authorizationType).toBe('COGNITO_USER_POOLS');
    expect(cfn.authorizerId).toBeDefined();
  });

  it("reads only: Query on the accounts table and on the Returns table's byCustomer index", () => {
    expect(grantsOf(stack.api.listOrders.function)).toEqual(
      [
        `dynamodb:Query ${tableArn(stack.data.accounts)}`,
        `dynamodb:Query ${indexArn(stack.data.returns, 'byCustomer')}`,
      ].sort(),
    );
  });

  it('reads the return window the returns workflow enforces', () => {
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack.api.listOrders.function)];
    const env = fn?.Properties.Environment as { Variables: Record<string, unknown> };
    expect(env.Variables.RETURN_WINDOW_DAYS).toBe(String(stack.config.returnWindowDays));
  });
});
