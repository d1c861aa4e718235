import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES_BY_AGENT_QUEUE_INDEX } from '../../functions/shared/case-record.js';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';
import { stackGrants } from './grants.js';

let stack: RefundHubStack;
let template: Template;

beforeAll(() => {
  stack = synthStack().stack;
  template = Template.fromStack(stack);
}, 60_000);

const { tableArn, indexArn, grantsOf } = stackGrants(() => ({ stack, template }));

describe('the agents queue index', () => {
  it('indexes the cases table by team queue and rank (urgency, then dispatch time)', () => {
    expect(CASES_BY_AGENT_QUEUE_INDEX).toBe('byAgentQueue');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byAgentQueue',
          KeySchema: [
            { AttributeName: 'agentQueue', KeyType: 'HASH' },
            { AttributeName: 'agentRank', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ]),
    });
  });
});

describe('agent read routes', () => {
  const methodOf = (path: string) =>
    stack.api.api.methods.find(
      (m) => m.resource.path === path && m.httpMethod === 'GET',
    ) as apigateway.Method;

  it('are IAM-authorized', () => {
    for (const path of ['/agent/cases', '/agent/cases/{caseId}']) {
      expect((methodOf(path).node.defaultChild as apigateway.CfnMethod).authorizationType).toBe('AWS_IAM');
    }
  });

  it('give the queue view exactly Query on the byAgentQueue index (never SQS)', () => {
    expect(grantsOf(stack.api.agentListCases.function)).toEqual([
      `dynamodb:Query ${indexArn(stack.data.cases, 'byAgentQueue')}`,
    ]);
  });

  it('give the evidence pack reads only: the case, the customer index, the account, the ledger and the credit', () => {
    const { accounts, cases, credits, refundLedger } = stack.data;
    expect(grantsOf(stack.api.agentCaseEvidence.function)).toEqual(
      [
        `dynamodb:GetItem ${tableArn(cases)}`,
        `dynamodb:Query ${indexArn(cases, 'byCustomer')}`,
        `dynamodb:Query ${tableArn(accounts)}`,
        `dynamodb:Query ${tableArn(refundLedger)}`,
        `dynamodb:GetItem ${tableArn(credits)}`,
      ].sort(),
    );
  });
});
