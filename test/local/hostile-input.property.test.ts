/**
 * Property: whatever a hostile client sends to any route of the local API (routes from the
 * synthesized template; generators in scripts/lib/hostile-requests.ts), the answer is never a 5xx,
 * and a 4xx changes nothing: no case, execution, message or ledger line, no item rewritten.
 *
 * Requests go one at a time; after each, the runtime settles (every execution finished or waiting
 * for an agent), so a 4xx is compared with a quiet world, not one where earlier cases still move.
 */
import '../../local/quiet.js';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalAuth } from '../../local/auth.js';
import { loadDemoCustomers, seedDemoCustomers } from '../../local/demo.js';
import type { LocalExecution } from '../../local/executor.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import {
  describeHostile,
  type HostileTokens,
  hostileAgent,
  hostileRequest,
  sendHostile,
} from '../../scripts/lib/hostile-requests.js';

const RUNS = 300;

let runtime: LocalRuntime;
let api: ApiServer;
let tokens: HostileTokens;
const caseIds: string[] = [];
const auth = createLocalAuth({ secret: 'test-secret-for-the-property-suite' });
const agent = hostileAgent(1);

let startSpy: { mock: { results: { type: string; value: unknown }[] } };
/** Executions waiting for an agent, by the token they wait on. */
const waitingTokens = new Map<string, string>();

const startedExecutions = (): LocalExecution[] => {
  const byName = new Map<string, LocalExecution>();
  for (const result of startSpy.mock.results) {
    if (result.type === 'return')
      byName.set((result.value as LocalExecution).name, result.value as LocalExecution);
  }
  return [...byName.values()];
};

/** Waits until every execution has finished or waits for an agent (bounded). */
async function settle(): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const waiting = new Set(waitingTokens.values());
    const busy = startedExecutions().filter((e) => e.status === 'RUNNING' && !waiting.has(e.name));
    if (busy.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`Executions never settled: ${busy.map((e) => e.name).join(', ')}`);
    await Promise.race([
      Promise.all(busy.map((e) => e.done)),
      new Promise((resolve) => setTimeout(resolve, 25)),
    ]);
  }
}

const scanAll = async (table: string) => {
  const items: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await runtime.documentClient.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.map((item) => JSON.stringify(item)).sort();
};

/** Everything a request could change: every table's items and the executions started. */
const world = async () => ({
  cases: await scanAll(runtime.tables.cases),
  messages: await scanAll(runtime.tables.messages),
  ledger: await scanAll(runtime.tables.refundLedger),
  accounts: await scanAll(runtime.tables.accounts),
  executions: startedExecutions()
    .map((e) => e.name)
    .sort(),
});

beforeAll(async () => {
  // No SLA timer fires during the run: an escalation would change cases between requests.
  runtime = await startLocalRuntime({ context: { 'refundHub:callbackSlaSeconds': 86_400 } });
  api = await startApiServer(runtime, { port: 0, auth });
  const customers = loadDemoCustomers();
  await seedDemoCustomers(runtime, customers);

  startSpy = vi.spyOn(runtime.executor, 'start');
  runtime.executor.on('waiting', ({ executionName, token }: { executionName: string; token: string }) => {
    waitingTokens.set(token, executionName);
  });
  for (const method of ['sendTaskSuccess', 'sendTaskFailure'] as const) {
    const real = runtime.executor[method].bind(runtime.executor) as (token: string, ...rest: never[]) => void;
    vi.spyOn(runtime.executor, method).mockImplementation(((token: string, ...rest: never[]) => {
      real(token, ...rest);
      // Only once the token was accepted does the execution resume.
      waitingTokens.delete(token);
    }) as never);
  }

  const customerTokens: Record<string, string> = {};
  for (const c of customers) customerTokens[c.customerId] = await auth.customerToken(c.customerId);
  tokens = {
    customers: customerTokens,
    agent: await auth.agentToken('agent-property'),
    forged: await createLocalAuth({ secret: 'someone-elses-key' }).customerToken(
      customers[0]?.customerId ?? 'C-1',
    ),
  };
  // One real case per demo customer (auto-refunded, answered, waiting for an agent, ...).
  for (const c of customers) {
    const response = await fetch(`${api.baseUrl}/support-requests`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${customerTokens[c.customerId]}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ message: c.scenario.message }),
    });
    caseIds.push(((await response.json()) as { caseId: string }).caseId);
  }
  await settle();
}, 120_000);

afterAll(async () => {
  agent.destroy();
  await api?.close();
  await runtime?.stop();
});

describe('hostile requests to every route of the local API', () => {
  it(`never get a 5xx, and a 4xx writes nothing (${RUNS} requests)`, async () => {
    const statuses = new Map<number, number>();
    const routesHit = new Set<string>();
    const stagePrefix = new URL(api.baseUrl).pathname;
    let before = await world();
    await fc.assert(
      fc.asyncProperty(hostileRequest({ routes: api.routes, tokens, caseIds }), async (request) => {
        const response = await sendHostile(api.origin, stagePrefix, request, agent);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        routesHit.add(request.route);
        await settle();
        const after = await world();
        const seen = `${response.status} for\n  ${describeHostile(request)}\n  → ${response.body.slice(0, 300)}`;
        expect(response.status, seen).toBeGreaterThanOrEqual(200);
        expect(response.status, seen).toBeLessThan(500);
        if (response.status >= 400) {
          expect(after, `a ${seen}\nchanged what is stored or started an execution`).toEqual(before);
          if (request.method !== 'HEAD')
            expect(JSON.parse(response.body), seen).toEqual({
              error: { code: expect.any(String), message: expect.any(String) },
            });
        }
        before = after;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The run reached every route, and some requests got through (not only refusals).
    expect([...routesHit].sort()).toEqual(
      expect.arrayContaining(api.routes.map((r) => `${r.httpMethod} ${r.resourcePath}`)),
    );
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
  }, 600_000);
});
