import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLocalServerState } from '../../cli/local.js';
import { runCli } from '../../cli/program.js';
import { formatCallback, readQueue } from '../../cli/queue.js';
import { localstackApiUrl, resolutionBody, resolutionUrl, resolveLocal } from '../../cli/resolve.js';
import { captureIo } from './support.js';

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let origin: string;
const requests: Captured[] = [];
let reply: { status: number; body: unknown } = { status: 202, body: { status: 'resolving' } };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  requests.length = 0;
  reply = { status: 202, body: { status: 'resolving' } };
});

describe('resolve', () => {
  it('builds the body: decision, amount in minor units, a note', () => {
    expect(resolutionBody('goodwill_credit', '1500', 'sorry for the wait')).toEqual({
      decision: 'goodwill_credit',
      amount: 1500,
      note: 'sorry for the wait',
    });
    expect(resolutionBody('deny', undefined, undefined)).toEqual({
      decision: 'deny',
      note: 'deny (refund-hub CLI)',
    });
    expect(() => resolutionBody('approve_refund', '0', 'x')).toThrow('amount is in minor units');
    // A case with charges in several currencies needs the approval's currency (the API's 422 otherwise).
    expect(resolutionBody('approve_refund', undefined, 'x', 'EUR')).toEqual({
      decision: 'approve_refund',
      currency: 'EUR',
      note: 'x',
    });
    expect(() => resolutionBody('approve_refund', undefined, 'x', 'euro')).toThrow('ISO 4217');
  });

  it('maps API URLs: trailing slash or not, and LocalStack’s _user_request_ form', () => {
    expect(resolutionUrl('http://127.0.0.1:3000/v1', 'case-1')).toBe(
      'http://127.0.0.1:3000/v1/agent/cases/case-1/resolution',
    );
    expect(resolutionUrl('https://abc.execute-api.us-east-1.amazonaws.com/v1/', 'case-1')).toBe(
      'https://abc.execute-api.us-east-1.amazonaws.com/v1/agent/cases/case-1/resolution',
    );
    expect(
      localstackApiUrl('https://abc123.execute-api.us-east-1.amazonaws.com/v1/', 'http://localhost:4566/'),
    ).toBe('http://localhost:4566/restapis/abc123/v1/_user_request_/');
  });

  it('on the local server: POSTs with the agent token', async () => {
    const state = {
      apiUrl: `${origin}/v1`,
      agentToken: 'jwt-agent',
      sqsEndpoint: '',
      queueUrls: {} as never,
    };
    const response = await resolveLocal(state, 'case-1', { decision: 'approve_refund', note: 'ok' });
    expect(response.status).toBe(202);
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/v1/agent/cases/case-1/resolution' });
    expect(requests[0]?.headers.authorization).toBe('Bearer jwt-agent');
    expect(JSON.parse(requests[0]?.body ?? '{}')).toEqual({ decision: 'approve_refund', note: 'ok' });
  });

  it('on AWS/LocalStack: SigV4-signs the POST for execute-api', async () => {
    const io = captureIo();
    const code = await runCli(
      [
        'resolve',
        'case-9',
        'goodwill_credit',
        '1500',
        '--note',
        'late delivery',
        '--endpoint',
        'http://127.0.0.1:9',
        '--api-url',
        `${origin}/v1/`,
      ],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout).toEqual([
      'case case-9: goodwill_credit 1500 accepted (HTTP 202, resolving); the workflow resumes',
    ]);
    expect(requests[0]?.url).toBe('/v1/agent/cases/case-9/resolution');
    expect(requests[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
    expect(requests[0]?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(JSON.parse(requests[0]?.body ?? '{}')).toEqual({
      decision: 'goodwill_credit',
      amount: 1500,
      note: 'late delivery',
    });
  });

  it('a refusal from the API is one line with its code', async () => {
    reply = {
      status: 409,
      body: {
        error: {
          code: 'case_not_waiting',
          message: 'Case case-9 is not waiting for an agent (status resolved).',
        },
      },
    };
    const io = captureIo();
    const code = await runCli(
      ['resolve', 'case-9', 'deny', '--endpoint', 'http://127.0.0.1:9', '--api-url', `${origin}/v1/`],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderr).toEqual([
      'refund-hub: Resolution refused (409 case_not_waiting): Case case-9 is not waiting for an agent (status resolved).',
    ]);
  });

  it('the local server unreachable is one line saying to start it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const dir = mkdtempSync(path.join(tmpdir(), 'refund-hub-cli-'));
    const file = path.join(dir, '.refund-hub-local.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiUrl: `http://127.0.0.1:${port}/v1`,
        agentToken: 't',
        sqsEndpoint: '',
        queueUrls: {},
      }),
    );
    const state = readLocalServerState(file);
    const error = await resolveLocal(state, 'case-1', { decision: 'deny', note: 'x' }).catch(
      (e: unknown) => e,
    );
    const { explain } = await import('../../cli/errors.js');
    expect(explain(error, { target: 'the local server', endpoint: state.apiUrl })).toBe(
      `Cannot reach http://127.0.0.1:${port}/v1 (ECONNREFUSED). Start the local runtime with: npm start`,
    );
  });

  it('without the local server file: start the local runtime with npm start first', () => {
    expect(() =>
      readLocalServerState(path.join(tmpdir(), 'does-not-exist', '.refund-hub-local.json')),
    ).toThrow('start the local runtime with npm start first');
  });
});

describe('agent queue', () => {
  const sqsMock = mockClient(SQSClient);
  const cfnMock = mockClient(CloudFormationClient);
  afterEach(() => {
    sqsMock.reset();
    cfnMock.reset();
  });

  const callback = (caseId: string, receives: number) => ({
    MessageId: `m-${caseId}`,
    ReceiptHandle: `rh-${caseId}`,
    Attributes: { ApproximateReceiveCount: String(receives) },
    Body: JSON.stringify({
      caseId,
      customerId: 'C-1004',
      queue: 'security',
      priority: 'urgent',
      reason: 'account_security',
      contact: 'call',
      phoneNumber: '+442071838750',
      message: 'Someone logged into my account',
      intent: 'account_security',
      escalation: 0,
      requestedAt: '2026-03-20T12:00:00Z',
    }),
  });

  it('peeks by default (nothing deleted) and deletes what it showed with --ack', async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [callback('case-1', 1), callback('case-2', 4)] })
      .resolves({ Messages: [callback('case-1', 2)] });
    sqsMock.on(DeleteMessageCommand).resolves({});
    const sqs = new SQSClient({ region: 'us-east-1' });

    const peeked = await readQueue(sqs, 'https://sqs/q');
    expect(peeked.map((m) => m.MessageId)).toEqual(['m-case-1', 'm-case-2']);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.VisibilityTimeout).toBe(0);

    sqsMock.resetHistory();
    await readQueue(sqs, 'https://sqs/q', { ack: true });
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual([
      'rh-case-1',
      'rh-case-2',
    ]);
  });

  it('prints who to call and why, and warns before a request would be dead-lettered', () => {
    expect(formatCallback(callback('case-2', 4))).toEqual([
      'case-2  urgent  account_security  customer C-1004  call +442071838750 [received 4x: at 5 it moves to the dead-letter queue]',
      '    "Someone logged into my account" (intent account_security, requested 2026-03-20T12:00:00Z)',
    ]);
  });

  it('on AWS finds the team queue among the stack resources', async () => {
    cfnMock.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'CallbackDispatchsecurityDeadLetters0A1B2C3D',
          PhysicalResourceId: 'https://sqs.us-east-1.amazonaws.com/1/dlq',
          ResourceType: 'AWS::SQS::Queue',
          LastUpdatedTimestamp: new Date(),
          ResourceStatus: 'CREATE_COMPLETE',
        },
        {
          LogicalResourceId: 'CallbackDispatchsecurityQueue9F8E7D6C',
          PhysicalResourceId: 'https://sqs.us-east-1.amazonaws.com/1/security',
          ResourceType: 'AWS::SQS::Queue',
          LastUpdatedTimestamp: new Date(),
          ResourceStatus: 'CREATE_COMPLETE',
        },
      ],
    });
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [callback('case-1', 1)] })
      .resolves({});
    const io = captureIo();

    const code = await runCli(['agent', 'queue', 'security', '--region', 'us-east-1'], io);

    expect(code).toBe(0);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.QueueUrl).toBe(
      'https://sqs.us-east-1.amazonaws.com/1/security',
    );
    expect(io.stdout[0]).toBe('1 callback request on the security queue');
  });
});
