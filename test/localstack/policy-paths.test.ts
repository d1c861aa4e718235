/**
 * Every POLICY.md path against the stack deployed on LocalStack (`docker compose up -d`,
 * `npm run localstack:deploy`), through the CLI's own code: seed the example customers, start each
 * case as `refund-hub invoke` does, follow it, and check outcome/reason/queue against the scenario's
 * `expect`. Skipped unless LOCALSTACK_ENDPOINT is set: there is no Docker in CI.
 *
 *   LOCALSTACK_ENDPOINT=http://localhost:4566 npx vitest run test/localstack
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connection,
  clientConfig,
  connectionFrom,
  queueUrl,
  requiredOutput,
  stackResources,
  tableName,
} from '../../cli/aws.js';
import { type CaseStore, dynamoCaseStore, startCase } from '../../cli/cases.js';
import { follow, pathOf } from '../../cli/history.js';
import { demoDataFile } from '../../cli/local.js';
import { runCli } from '../../cli/program.js';
import { readQueue } from '../../cli/queue.js';
import { localstackApiUrl, resolveSigned } from '../../cli/resolve.js';
import { readScenarios, seedAccounts } from '../../cli/seed.js';
import type { CaseRecord } from '../../functions/shared/case-record.js';
import { accountOf, type Scenario } from '../../local/scenario.js';

const ENDPOINT = process.env.LOCALSTACK_ENDPOINT;
/** Lambda containers start cold on LocalStack: a case can take tens of seconds the first time. */
const CASE_TIMEOUT_MS = 180_000;
/** Customers are namespaced per run, so the refund ledger of an earlier run never changes an outcome. */
const RUN = `ls${Date.now().toString(36)}`;

describe.skipIf(!ENDPOINT)(
  'LocalStack integration (set LOCALSTACK_ENDPOINT=http://localhost:4566 to run)',
  () => {
    let connection: Connection;
    let sfn: SFNClient;
    let cases: CaseStore;
    let stateMachineArn: string;
    let resources: Awaited<ReturnType<typeof stackResources>>;
    const scenarios: Scenario[] = [];
    const running: string[] = [];

    const customerOf = (scenario: Scenario) => `${scenario.customer.id}-${RUN}`;

    beforeAll(async () => {
      connection = connectionFrom({ endpoint: ENDPOINT }, { ...process.env, AWS_ENDPOINT_URL: undefined });
      const cloudformation = new CloudFormationClient(clientConfig(connection));
      stateMachineArn = await requiredOutput(cloudformation, connection.stackName, 'StateMachineArn');
      resources = await stackResources(cloudformation, connection.stackName);
      const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(connection)), {
        marshallOptions: { removeUndefinedValues: true },
      });
      cases = dynamoCaseStore(documentClient, tableName(resources, 'Cases', connection.stackName));
      sfn = new SFNClient(clientConfig(connection));

      const file = demoDataFile();
      if (!file)
        throw new Error('No example scenarios (../shared/scenarios/examples.jsonl or local/demo-data.jsonl)');
      scenarios.push(...readScenarios(file));
      await seedAccounts(
        documentClient,
        tableName(resources, 'Accounts', connection.stackName),
        scenarios.map((s) => accountOf(s, customerOf(s))),
      );
    }, CASE_TIMEOUT_MS);

    afterAll(async () => {
      // Leave nothing waiting for an agent on LocalStack.
      for (const executionArn of running) {
        await sfn
          ?.send(new StopExecutionCommand({ executionArn, cause: 'test run over' }))
          .catch(() => undefined);
      }
    });

    async function runScenario(scenario: Scenario, message = scenario.message) {
      const started = await startCase(
        sfn,
        stateMachineArn,
        cases,
        {
          customerId: customerOf(scenario),
          message,
          ...(scenario.orderId ? { orderId: scenario.orderId } : {}),
          ...(scenario.callbackPhone ? { callbackPhone: scenario.callbackPhone } : {}),
        },
        scenario.now ? new Date(scenario.now) : new Date(),
      );
      const result = await follow(sfn, started.executionArn, {
        print: () => {},
        intervalMs: 1000,
        timeoutMs: CASE_TIMEOUT_MS - 10_000,
        readCase: () => cases.get(started.caseId),
      });
      if (result.waitingForAgent) running.push(started.executionArn);
      return { started, result, record: result.record as CaseRecord };
    }

    function expectMatches(record: CaseRecord, expected: NonNullable<Scenario['expect']>) {
      const actual: Record<string, unknown> = {
        intent: record.intent ?? null,
        outcome: record.outcome ?? null,
        reason: record.reason ?? null,
        refundedChargeIds: record.refundedChargeIds ?? [],
        refundedAmount: record.refundedAmount ?? 0,
        handoffQueue: record.outcome === 'human_handoff' ? (record.handoffQueue ?? null) : null,
        callbackOffered: record.callbackOffered ?? false,
      };
      for (const [field, value] of Object.entries(expected)) {
        expect({ field, value: actual[field] }).toEqual({ field, value });
      }
    }

    it(
      'runs every example scenario to the outcome, reason and queue it expects',
      async () => {
        expect(scenarios.length).toBeGreaterThan(0);
        for (const scenario of scenarios) {
          const { result, record } = await runScenario(scenario);
          expect({ id: scenario.id, status: result.waitingForAgent ? 'WAITING' : result.status }).toEqual({
            id: scenario.id,
            status: record?.outcome === 'human_handoff' ? 'WAITING' : 'SUCCEEDED',
          });
          expectMatches(record, scenario.expect ?? {});
        }
      },
      CASE_TIMEOUT_MS * 4,
    );

    it(
      'rule 3: the same billing error a second time is already_refunded (the ledger refunds once)',
      async () => {
        const scenario = scenarios.find((s) => s.expect?.outcome === 'auto_refunded');
        if (!scenario) return;
        const { record } = await runScenario(scenario);
        expect(record).toMatchObject({
          outcome: 'no_refund_due',
          reason: 'already_refunded',
          refundedAmount: 0,
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      'rule 11: a frustrated customer with a low-value order is handed to the delivery queue (sentiment)',
      async () => {
        const scenario = scenarios.find((s) => s.expect?.reason === 'order_tracking');
        if (!scenario) return;
        const { record, result } = await runScenario(
          scenario,
          'This is ridiculous, I am furious. Where is my package?',
        );
        expect(result.waitingForAgent).toBe(true);
        expect(record).toMatchObject({
          outcome: 'human_handoff',
          reason: 'sentiment',
          handoffQueue: 'delivery',
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      'a handoff is on its team queue, and an agent resolution (SigV4, IAM route) finishes the case',
      async () => {
        const scenario = scenarios.find((s) => s.expect?.reason === 'account_security');
        if (!scenario) return;
        const { started, result } = await runScenario(scenario);
        expect(result.waitingForAgent).toBe(true);

        const sqs = new SQSClient(clientConfig(connection));
        const waiting = await readQueue(sqs, queueUrl(resources, 'security', connection.stackName), {
          max: 50,
        });
        expect(waiting.map((m) => JSON.parse(m.Body ?? '{}').caseId)).toContain(started.caseId);

        const cloudformation = new CloudFormationClient(clientConfig(connection));
        const apiUrl = localstackApiUrl(
          await requiredOutput(cloudformation, connection.stackName, 'ApiUrl'),
          String(connection.endpoint),
        );
        await resolveSigned(
          apiUrl,
          started.caseId,
          // POLICY v2: a deny speaks to the customer through customerMessage (the note is internal).
          {
            decision: 'deny' as const,
            note: 'verified with the customer: no takeover',
            ...{ customerMessage: 'We checked your account with you: it is secure.' },
          },
          connection.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
          connection.region ?? 'us-east-1',
        );
        const done = await follow(sfn, started.executionArn, {
          print: () => {},
          intervalMs: 1000,
          timeoutMs: CASE_TIMEOUT_MS - 10_000,
          throughHandoff: true,
        });
        expect(done.status).toBe('SUCCEEDED');
        expect(pathOf(done.events)).toContain('RecordResolution');
      },
      CASE_TIMEOUT_MS,
    );

    it(
      '`refund-hub invoke --follow` on LocalStack prints the path and the outcome',
      async () => {
        const scenario = scenarios.find((s) => s.expect?.outcome === 'self_service');
        if (!scenario) return;
        const lines: string[] = [];
        const errors: string[] = [];
        const code = await runCli(
          [
            'invoke',
            '--customer',
            customerOf(scenario),
            '--message',
            scenario.message,
            '--follow',
            '--endpoint',
            String(ENDPOINT),
            '--interval',
            '1000',
          ],
          { out: (l) => lines.push(...l.split('\n')), err: (l) => errors.push(l), env: process.env },
        );
        expect(errors).toEqual([]);
        expect(code).toBe(0);
        expect(lines).toContain('status: SUCCEEDED');
        expect(lines.some((l) => l.startsWith('outcome: self_service'))).toBe(true);
      },
      CASE_TIMEOUT_MS,
    );
  },
);
