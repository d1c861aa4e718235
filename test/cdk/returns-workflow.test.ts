/** The returns workflow's CDK intent: a second Standard state machine, every Task guarded, least privilege. */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';
import { type AslDefinition, stateMachineDefinition } from './state-machine-definition.js';

let stack: RefundHubStack;
let template: Template;
let definition: AslDefinition;

beforeAll(() => {
  stack = synthStack().stack;
  template = Template.fromStack(stack);
  definition = stateMachineDefinition(template, 'returns');
}, 60_000);

const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

function statementsOf(fnConstruct: IConstruct) {
  const roleId = logicalId((fnConstruct as unknown as { role: IConstruct }).role);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (p) =>
      (p.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } })
        .PolicyDocument.Statement,
  );
}
const actionsOf = (fnConstruct: IConstruct) =>
  statementsOf(fnConstruct).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('the returns state machine', () => {
  it('is a second Standard state machine with its own logs and tracing', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      DefinitionString: Match.anyValue(),
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    expect(definition.StartAt).toBe('StartReturn');
  });

  it('retries every Task and catches every fault into a hand-off to a person', () => {
    const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    for (const [name, task] of tasks) {
      const retry = (task as { Retry?: { ErrorEquals: string[] }[] }).Retry ?? [];
      const caught = (task as { Catch?: { ErrorEquals: string[]; Next: string }[] }).Catch ?? [];
      expect(
        retry.some((r) => r.ErrorEquals.includes('States.ALL')),
        `${name} retries faults`,
      ).toBe(true);
      expect(
        caught.some((c) => c.ErrorEquals.includes('States.ALL')),
        `${name} catches every fault`,
      ).toBe(true);
    }
  });

  it('waits for the carrier with the label life as the timeout, and a timeout expires the return', () => {
    const wait = definition.States.WaitForFirstScan as {
      Resource: string;
      TimeoutSeconds: number;
      Catch: { ErrorEquals: string[]; Next: string }[];
    };
    expect(wait.Resource).toMatch(/:states:::lambda:invoke\.waitForTaskToken$/);
    expect(wait.TimeoutSeconds).toBe(28 * 86_400);
    expect(wait.Catch[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'RecordExpired' });
  });

  it('never uses JSONata or variables (the embedded runtime runs it as it is)', () => {
    expect(JSON.stringify(definition)).not.toMatch(/"QueryLanguage":"JSONata"|"Assign"/);
  });
});

describe('least privilege', () => {
  it('only the refund step touches the ledger, and only the carrier webhook reads the carrier secret', () => {
    const steps = stack.returns.steps;
    expect(actionsOf(steps.refund?.function as IConstruct)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']),
    );
    for (const name of ['check', 'label', 'wait', 'awaitInspection', 'record'] as const) {
      const actions = actionsOf(steps[name]?.function as IConstruct);
      expect(actions, name).not.toContain('dynamodb:DeleteItem');
      expect(actions, name).not.toContain('secretsmanager:GetSecretValue');
    }
    const webhook = stack.api.returnsApi?.carrierWebhook.function as IConstruct;
    expect(actionsOf(webhook)).toContain('secretsmanager:GetSecretValue');
    expect(actionsOf(webhook)).toContain('states:SendTaskSuccess');
    expect(actionsOf(webhook)).not.toContain('states:StartExecution');
    expect(actionsOf(stack.api.returnsApi?.create.function as IConstruct)).toContain('states:StartExecution');
  });

  it('the carrier webhook takes no AWS or Cognito credentials; the inspection route is IAM and in the agents policy', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      ResourceId: { Ref: Match.stringLikeRegexp('Apiintegrationscarrierevents') },
    });
    const policy = template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('Refund Hub agents') },
    });
    expect(JSON.stringify(policy)).toMatch(/\/POST\/agent\/returns\/\*\/inspection/);
    expect(JSON.stringify(policy)).toMatch(/\/GET\/agent\/returns/);
  });

  it('a returns table with the customer, tracking id and agent-state indexes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'returnId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'byCustomer' }),
        Match.objectLike({ IndexName: 'byTrackingId' }),
        Match.objectLike({ IndexName: 'byAgentState' }),
      ]),
    });
  });
});
