/**
 * Card numbers and secrets never leave intake (POLICY.md "Redaction"), and only the secret goes:
 * requests sent through the local API (the edge, the real intake handler) and run by the
 * synthesized definition with every handler real, the trained classifier included. Reads every
 * place the text is kept or sent: the case record, the execution input and history, the callback
 * request on the team's SQS queue (through SNS), the message center and the logs.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { caseIdFor } from '../../functions/intake/domain.js';
import type { CaseRecord } from '../../functions/shared/case-record.js';
import { readCaseRecord } from '../../functions/shared/cases.js';
import { createLocalAuth } from '../../local/auth.js';
import { seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import {
  account,
  cancelledSubscription,
  FAST_RETRIES,
  messageCenter,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
  TeamQueues,
  timelineSteps,
} from './support.js';

// Every log line there is: the handlers read the level (and whether to log each event) once, at load.
vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
});

/** What the Powertools logger writes (JSON lines on stdout and stderr), captured for the whole file. */
const logs: string[] = [];
const capture = (chunk: unknown) => {
  logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  return true;
};

let runtime: LocalRuntime;
let api: ApiServer;
let queues: TeamQueues;
const auth = createLocalAuth({ secret: 'test-secret-for-redaction' });

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  runtime = await startLocalRuntime({ retryIntervalOverrides: FAST_RETRIES });
  api = await startApiServer(runtime, { port: 0, auth });
  queues = new TeamQueues(runtime);
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  queues?.destroy();
  await api?.close();
  await runtime?.stop();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function newCustomer(label: string): Promise<string> {
  const customerId = newCustomerId(label);
  await seedAccount(
    runtime,
    account(customerId, {
      phone: '+12065550107',
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [subscriptionCharge('CH-1', 'SUB-1', 1499, '2026-02-01T08:00:00Z')],
    }),
  );
  return customerId;
}

async function post(customerId: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await auth.customerToken(customerId)}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

const SETTLED = new Set(['awaiting_agent', 'resolved', 'needs_attention']);

/** The case once the workflow has an outcome (decided, or waiting for an agent). */
async function settledCase(caseId: string): Promise<CaseRecord> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const record = await readCaseRecord(runtime.documentClient, runtime.tables.cases, caseId);
    if (record && SETTLED.has(record.status)) return record;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Case ${caseId} has no outcome`);
}

async function submit(customerId: string, message: string) {
  const response = await post(customerId, '/support-requests', { message, callbackPhone: '+12065550142' });
  expect(response.status).toBe(202);
  const { caseId } = JSON.parse(response.text) as { caseId: string };
  return { response, caseId, record: await settledCase(caseId) };
}

describe('a message full of secrets that asks for a person', () => {
  const MESSAGE = [
    'Hi, I was double charged on my card 4539 1488 0343 6467, exp 09/27, cvv 918,',
    'and on my other card ４１１１ １１１１ １１１１ １１１１ and 5555.5555.5555.4444 and',
    '٣٧٨٢\u00a0٨٢٢٤٦٣\u00a0١٠٠٠٥ and 6011–1111–1111–1117.',
    'My password is hunter2, pw: Tr0ub4dor&3, passcode90817, PIN: 4821, pass word = s3cr3t.',
    'Order 113-4567890-1234567. Please let me talk to a person.',
  ].join(' ');
  const REDACTED = [
    'Hi, I was double charged on my card [card number removed], exp 09/27, cvv [removed],',
    'and on my other card [card number removed] and [card number removed] and',
    '[card number removed] and [card number removed].',
    'My password is [removed], pw: [removed], passcode[removed], PIN: [removed], pass word = [removed].',
    'Order 113-4567890-1234567. Please let me talk to a person.',
  ].join(' ');
  /** Each secret as it was typed, and the short ones with their keyword (a bare "918" could be a timestamp's). */
  const SECRETS = [
    '4539 1488 0343 6467',
    '4539148803436467',
    '0343 6467',
    '１１１１',
    '5555.5555',
    '5555555555554444',
    '٨٢٢٤٦٣',
    '378282246310005',
    '1111–1117',
    '6011111111111117',
    'cvv 918',
    'hunter2',
    'Tr0ub4dor',
    '90817',
    'PIN: 4821',
    's3cr3t',
  ];

  function expectNoSecret(place: string, text: string) {
    for (const secret of SECRETS)
      expect(text.includes(secret), `${place} holds ${JSON.stringify(secret)}`).toBe(false);
  }

  it('keeps no secret in any place the text is kept or sent, and the request still reaches a person', async () => {
    // Prepare
    const customerId = await newCustomer('secrets');
    const logsBefore = logs.length;

    // Act
    const { response, caseId, record } = await submit(customerId, MESSAGE);

    // Assess: the request, with only the secrets gone, is handed to a person as asked
    expectNoSecret('the API answer', response.text);
    expect(record).toMatchObject({
      message: REDACTED,
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'customer_request',
    });
    expectNoSecret('the case record', JSON.stringify(record));
    expect(record.timeline[0]).toMatchObject({
      step: 'received',
      detail: 'sensitive data removed from the message',
    });

    // Assess: the execution's input and every event of its history
    const execution = runtime.executor.describe(caseId);
    if (!execution) throw new Error(`no execution ${caseId}`);
    expect(execution.input).toMatchObject({ message: REDACTED });
    expectNoSecret('the execution input', execution.inputText);
    expect(execution.events.length).toBeGreaterThan(5);
    expectNoSecret('the execution history', JSON.stringify(execution.events));

    // Assess: the callback request as it landed on the team's queue (through SNS)
    const callbacks = await queues.forCase(caseId);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]?.request).toMatchObject({
      message: REDACTED,
      reason: 'customer_request',
      phoneNumber: '+12065550142',
    });
    expectNoSecret('the callback request', callbacks[0]?.body ?? '');

    // Assess: the message center
    const messages = await messageCenter(runtime, customerId);
    expect(messages.length).toBeGreaterThan(0);
    expectNoSecret('the message center', JSON.stringify(messages));

    // Assess: the logs, which did capture this case's text (each step logs its event)
    const written = logs.slice(logsBefore).join('');
    expect(written).toContain(caseId);
    expect(written).toContain('Please let me talk to a person.');
    expectNoSecret('the logs', written);
  });
});

describe('only the secret goes: the request routes as the customer wrote it', () => {
  it.each([
    ['passcode 4821, talk to a person please', 'passcode [removed], talk to a person please'],
    [
      'Card 4111 1111 1111 1111 passcode 9876. Talk to a person please',
      'Card [card number removed] passcode [removed]. Talk to a person please',
    ],
  ])('%j still reaches a person (customer_request)', async (message, redacted) => {
    // Prepare
    const customerId = await newCustomer('person');

    // Act
    const { caseId, record } = await submit(customerId, message);

    // Assess
    expect(record).toMatchObject({
      message: redacted,
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'customer_request',
    });
    expect(timelineSteps(record)).toContain('callback_dispatched');
    const callbacks = await queues.forCase(caseId);
    expect(callbacks.map((c) => c.request.message)).toEqual([redacted]);
  });

  it('keeps "I forgot my password, how do I reset it?" whole on the case', async () => {
    // Prepare
    const customerId = await newCustomer('forgot');
    const message = 'I forgot my password, how do I reset it?';

    // Act
    const { record } = await submit(customerId, message);

    // Assess
    expect(record.message).toBe(message);
    expect(record.timeline[0]).not.toHaveProperty('detail');
  });
});

describe('a phone number field holds a phone number', () => {
  // E.164-shaped and a Luhn-valid Amex number
  const CARD_AS_PHONE = '+374270820565692';

  it('refuses a callbackPhone that is a card number (400) and opens no case', async () => {
    // Prepare
    const customerId = await newCustomer('phone');
    const key = 'redaction-phone-1';

    // Act
    const response = await post(
      customerId,
      '/support-requests',
      { message: 'please call me back', callbackPhone: CARD_AS_PHONE },
      { 'Idempotency-Key': key },
    );

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'invalid_request' } });
    expect(response.text).toContain('callbackPhone');
    expect(response.text).not.toContain('374270820565692');
    const caseId = caseIdFor(customerId, key);
    expect(await readCaseRecord(runtime.documentClient, runtime.tables.cases, caseId)).toBeUndefined();
    expect(runtime.executor.describe(caseId)).toBeUndefined();
  });

  it('refuses a callback phoneNumber that is a card number (400) and starts no callback', async () => {
    // Prepare: a case the assistant answered on its own
    const customerId = await newCustomer('callback-phone');
    const { caseId, record } = await submit(customerId, 'where is my package?');
    expect(record.status).toBe('resolved');

    // Act
    const response = await post(customerId, `/support-requests/${caseId}/callback`, {
      phoneNumber: CARD_AS_PHONE,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'invalid_request' } });
    expect(runtime.executor.describe(`${caseId}-callback`)).toBeUndefined();
    const after = await settledCase(caseId);
    expect(timelineSteps(after)).not.toContain('callback_requested');
  });

  it('still takes a real phone number on the callback', async () => {
    const customerId = await newCustomer('callback-ok');
    const { caseId } = await submit(customerId, 'where is my package?');

    const response = await post(customerId, `/support-requests/${caseId}/callback`, {
      phoneNumber: '+12065550199',
    });

    expect(response.status).toBe(202);
    const callback = runtime.executor.describe(`${caseId}-callback`);
    if (!callback) throw new Error('no callback execution');
    expect(callback.input).toMatchObject({ callbackPhone: '+12065550199' });
    await expect.poll(async () => (await queues.forCase(caseId)).length, { timeout: 20_000 }).toBe(1);
  });
});
