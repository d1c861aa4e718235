import { Template } from 'aws-cdk-lib/assertions';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';
import { stackGrants } from './grants.js';

let stack: RefundHubStack;
let template: Template;

beforeAll(() => {
  stack = synthStack().stack;
  template = Template.fromStack(stack);
}, 60_000);

const { logicalId, tableArn, indexArn, grantsOf } = stackGrants(() => ({ stack, template }));

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
