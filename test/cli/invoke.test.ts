import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requiredOutput, stackOutputs } from '../../cli/aws.js';
import { runCli } from '../../cli/program.js';
import { CARD_PLACEHOLDER } from '../../functions/intake/redact.js';
import { captureIo, executionArn, historyOf, page, STATE_MACHINE_ARN } from './support.js';

const cfnMock = mockClient(CloudFormationClient);
const ddbMock = mockClient(DynamoDBDocumentClient);
const sfnMock = mockClient(SFNClient);

const CASES_TABLE = 'RefundHub-DataCases1A2B3C4D-XYZ';

beforeEach(() => {
  cfnMock.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'RefundHub',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: [
          { OutputKey: 'ApiUrl', OutputValue: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/' },
          { OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE_ARN },
        ],
      },
    ],
  });
  // Two pages: the cases table is on the second (ListStackResources is paginated).
  cfnMock
    .on(ListStackResourcesCommand, { StackName: 'RefundHub' })
    .resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'DataAccounts5E3C9A2B',
          PhysicalResourceId: 'RefundHub-DataAccounts',
          ResourceType: 'AWS::DynamoDB::Table',
          LastUpdatedTimestamp: new Date(),
          ResourceStatus: 'CREATE_COMPLETE',
        },
      ],
      NextToken: 'page-2',
    })
    .on(ListStackResourcesCommand, { StackName: 'RefundHub', NextToken: 'page-2' })
    .resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'DataCases1A2B3C4D',
          PhysicalResourceId: CASES_TABLE,
          ResourceType: 'AWS::DynamoDB::Table',
          LastUpdatedTimestamp: new Date(),
          ResourceStatus: 'CREATE_COMPLETE',
        },
      ],
    });
  ddbMock.on(PutCommand).resolves({});
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
    executionArn: executionArn(input.name),
    startDate: new Date(),
  }));
});

afterEach(() => {
  cfnMock.reset();
  ddbMock.reset();
  sfnMock.reset();
});

const AWS_ARGS = ['--region', 'us-east-1'];

describe('stack output lookup', () => {
  it('reads the outputs of the named stack', async () => {
    const outputs = await stackOutputs(new CloudFormationClient({ region: 'us-east-1' }), 'RefundHub');
    expect(outputs.StateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(cfnMock.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({ StackName: 'RefundHub' });
  });

  it('says which output is missing', async () => {
    await expect(
      requiredOutput(new CloudFormationClient({ region: 'us-east-1' }), 'RefundHub', 'CallbackTopicArn'),
    ).rejects.toThrow('Stack RefundHub has no CallbackTopicArn output');
  });
});

describe('invoke', () => {
  it('writes the case record as intake does and starts an execution named after the case, with the message redacted', async () => {
    // Prepare
    const io = captureIo();

    // Act
    const code = await runCli(
      [
        'invoke',
        '--customer',
        'C-1001',
        '--message',
        'Refund the charge on 4111 1111 1111 1111 please',
        '--order',
        'O-7',
        '--phone',
        '+12065550101',
        ...AWS_ARGS,
      ],
      io,
    );

    // Assess
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    const put = ddbMock.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe(CASES_TABLE);
    expect(put?.ConditionExpression).toBe('attribute_not_exists(caseId)');
    const record = put?.Item as Record<string, unknown>;
    expect(record.message).toBe(`Refund the charge on ${CARD_PLACEHOLDER} please`);

    const start = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(start?.name).toMatch(/^case-[0-9a-f]{32}$/);
    expect(start?.name).toBe(record.caseId);
    const input = JSON.parse(start?.input ?? '{}');
    expect(Object.keys(input).sort()).toEqual(
      ['caseId', 'customerId', 'message', 'orderId', 'callbackPhone', 'requestedAt'].sort(),
    );
    expect(input).toMatchObject({
      caseId: record.caseId,
      customerId: 'C-1001',
      message: `Refund the charge on ${CARD_PLACEHOLDER} please`,
      orderId: 'O-7',
      callbackPhone: '+12065550101',
    });
    expect(Date.now() - Date.parse(input.requestedAt)).toBeLessThan(60_000);
    expect(io.stdout).toEqual([`case ${record.caseId}`, `execution ${executionArn(String(record.caseId))}`]);
  });

  it('skips CloudFormation when the state machine and the cases table are given', async () => {
    const io = captureIo();
    const code = await runCli(
      [
        'invoke',
        '--customer',
        'C-1',
        '--message',
        'hello',
        '--state-machine-arn',
        STATE_MACHINE_ARN,
        '--cases-table',
        'cases',
        ...AWS_ARGS,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(cfnMock.calls()).toHaveLength(0);
    expect(ddbMock.commandCalls(PutCommand)[0]?.args[0].input.TableName).toBe('cases');
  });

  it('follows to the outcome and exits 0 on success', async () => {
    // Prepare
    const events = historyOf([{ name: 'StartCase' }, { name: 'RecordOutcome', type: 'Task' }], {
      type: 'ExecutionSucceeded',
    });
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', startDate: new Date() });
    sfnMock.on(GetExecutionHistoryCommand).callsFake((input) => page(events, input.nextToken, 100));
    ddbMock.on(GetCommand).callsFake(() => ({
      Item: {
        caseId: 'x',
        status: 'resolved',
        outcome: 'auto_refunded',
        reason: 'billing_error',
        rule: 9,
        refundedAmount: 1499,
        currency: 'USD',
        refundedChargeIds: ['CH-2'],
        callbackOffered: false,
      },
    }));
    const io = captureIo();

    // Act
    const code = await runCli(
      [
        'invoke',
        '--customer',
        'C-1001',
        '--message',
        'Subscription refund',
        '--follow',
        '--interval',
        '1',
        ...AWS_ARGS,
      ],
      io,
    );

    // Assess
    expect(code).toBe(0);
    expect(io.stdout.some((l) => l.endsWith('→ RecordOutcome'))).toBe(true);
    expect(io.stdout).toContain('status: SUCCEEDED');
    expect(io.stdout).toContain('outcome: auto_refunded (billing_error, rule 9)');
    expect(io.stdout).toContain('refunded: 14.99 USD (CH-2)');
  });

  it('follows to a failure and exits 3', async () => {
    const events = historyOf([{ name: 'StartCase' }], {
      type: 'ExecutionFailed',
      error: 'CaseNeedsAttention',
      cause: 'steps kept failing',
    });
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'CaseNeedsAttention', cause: 'steps kept failing' });
    sfnMock.on(GetExecutionHistoryCommand).callsFake((input) => page(events, input.nextToken, 100));
    ddbMock.on(GetCommand).resolves({});
    const io = captureIo();

    const code = await runCli(
      ['invoke', '--customer', 'C-1', '--message', 'hello', '--follow', '--interval', '1', ...AWS_ARGS],
      io,
    );

    expect(code).toBe(3);
    expect(io.stdout).toContain('status: FAILED');
    expect(io.stdout).toContain('error: CaseNeedsAttention: steps kept failing');
    expect(io.stderr).toEqual([]);
  });
});

describe('actionable errors: one line on stderr, a non-zero exit code, no stack trace', () => {
  const awsError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), { name, ...extra });

  async function expectOneLine(
    args: string[],
    code: number,
    line: string | RegExp,
    env: NodeJS.ProcessEnv = {},
  ) {
    const io = captureIo(env);
    const exit = await runCli(args, io);
    expect(exit).toBe(code);
    // A usage error may add the command's usage line under its one line.
    expect(io.stderr.filter((l, i) => !(i > 0 && l.startsWith('usage: ')))).toHaveLength(1);
    expect(io.stderr[0]).toMatch(line);
    expect(io.stderr.join('\n')).not.toMatch(/^\s+at /m);
    return io;
  }

  it('no credentials', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    await expectOneLine(
      ['invoke', '--customer', 'C-1', '--message', 'hello', ...AWS_ARGS],
      1,
      /^refund-hub: No AWS credentials found: configure a profile .* or use --local .* --endpoint for LocalStack\.$/,
    );
  });

  it('endpoint unreachable (ECONNREFUSED)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('fetch failed'), { cause: refused }));
    await expectOneLine(
      ['invoke', '--customer', 'C-1', '--message', 'hello', '--endpoint', 'http://localhost:4566'],
      1,
      'refund-hub: Cannot reach http://localhost:4566 (ECONNREFUSED). Is LocalStack running? Start it with: docker compose up -d',
    );
  });

  it('stack not deployed (AWS and LocalStack)', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .rejects(awsError('ValidationError', 'Stack with id RefundHub does not exist'));
    await expectOneLine(
      ['invoke', '--customer', 'C-1', '--message', 'hello', ...AWS_ARGS],
      1,
      /^refund-hub: Stack RefundHub is not deployed in this account and region: deploy it with npx cdk deploy/,
    );
    await expectOneLine(
      ['invoke', '--customer', 'C-1', '--message', 'hello'],
      1,
      'refund-hub: Stack RefundHub is not deployed on LocalStack at http://localhost:4566: deploy it with npm run localstack:deploy.',
      { AWS_ENDPOINT_URL: 'http://localhost:4566' },
    );
  });

  it('execution not found', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .rejects(awsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn('nope')}'`));
    await expectOneLine(
      ['history', executionArn('nope'), ...AWS_ARGS],
      1,
      `refund-hub: Execution not found: '${executionArn('nope')}'`,
    );
  });

  it('an unexpected error is one line too', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .rejects(awsError('ThrottlingException', 'Rate exceeded\nmore detail'));
    await expectOneLine(
      ['history', executionArn('x'), ...AWS_ARGS],
      1,
      'refund-hub: ThrottlingException: Rate exceeded',
    );
  });

  it.each([
    [['invoke', '--message', 'hello'], /required option '--customer <id>' not specified/],
    [['invoke', '--customer', 'C-1', '--message', '   '], /--message: message must not be empty/],
    [['invoke', '--customer', 'C-1', '--message', 'hi', '--phone', '2065550101'], /^refund-hub: --phone: /],
    [
      ['invoke', '--customer', 'C-1', '--message', 'hi', '--interval', 'soon'],
      /--interval must be a positive whole number/,
    ],
    [['history', 'not a case!'], /expected an execution ARN \(arn:aws:states:\.\.\.\) or a case id/],
    [['resolve', 'case-1', 'refund'], /decision must be one of approve_refund, goodwill_credit, deny/],
    [
      ['resolve', 'case-1', 'goodwill_credit', '--amount', '14.99', '--note', 'x'],
      /--amount is in minor units/,
    ],
    [['agent', 'resolve', 'case-1', 'maybe'], /decision must be one of/],
    [['agent', 'queue', 'sales'], /team must be one of billing, delivery, security, general/],
    [
      ['invoke', '--customer', 'C-1', '--message', 'hi', '--endpoint', 'localhost'],
      /--endpoint must be a URL/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad arguments %j → exit 2', async (args, line) => {
    await expectOneLine(args, 2, line);
    expect(cfnMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('--help prints the usage and exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('Exit codes: 0 ok');
  });
});
