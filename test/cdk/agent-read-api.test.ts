/** The agents' read side on AWS: the byAgentQueue index, the two GET routes (IAM) and least privilege behind them. */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES_BY_AGENT_QUEUE_INDEX } from '../../functions/shared/case-record.js';
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
