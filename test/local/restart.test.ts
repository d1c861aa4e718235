/**
 * A crash leaves no case stuck: `npm start -- --data-dir DIR` is killed (SIGKILL) under load and
 * started again on the same data. Every case the API acknowledged (202) must then reach an outcome,
 * or wait for an agent whose claim works, and no charge may be refunded twice (read from the ledger
 * on disk). The server runs as a child process, as a user runs it; tokens survive the restart
 * because both runs sign with the same LOCAL_JWT_SECRET.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../bench/server-process.js';
import { createLocalAuth } from '../../local/auth.js';
import { loadDemoCustomers } from '../../local/demo.js';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';
import { LOCAL_REGION } from '../../local/template.js';

const SECRET = randomBytes(24).toString('base64url');
const auth = createLocalAuth({ secret: SECRET });
const customers = loadDemoCustomers();
const dataDir = mkdtempSync(path.join(tmpdir(), 'refund-hub-restart-'));

/** Requests sent in the first run; it is killed once this many were acknowledged. */
const REQUESTS = 240;
const KILL_AFTER_ACKNOWLEDGED = 100;
const IN_FLIGHT = 16;
/** Bound on recovery after the restart (generous: the machine may be loaded). */
const RECOVERY_DEADLINE_MS = 120_000;

const servers: ServerProcess[] = [];

afterAll(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  if (!process.env.KEEP_RESTART_DATA) rmSync(dataDir, { recursive: true, force: true });
});

/** The local API over `dataDir` in its own process (node with the tsx loader, so SIGKILL hits the server itself). */
async function startServer(): Promise<ServerProcess & { baseUrl: string }> {
  const server = await startServerProcess({
    args: ['--data-dir', dataDir],
    env: { LOCAL_JWT_SECRET: SECRET },
    readyTimeoutMs: 90_000,
  });
  servers.push(server);
  return { ...server, baseUrl: `${server.origin}/v1` };
}

const kill = (child: ChildProcess) => stopServerProcess(child, 'SIGKILL');

async function call(
  baseUrl: string,
  method: string,
  pathname: string,
  token: string,
  body?: unknown,
  headers = {},
) {
  const response = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

/** Runs `task` over `items`, `limit` at a time; stops taking new items once `stop()` says so. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  stop = () => false,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length && !stop()) {
        const item = items[next] as T;
        next += 1;
        await task(item);
      }
    }),
  );
}

interface Acknowledged {
  readonly caseId: string;
  readonly customerId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The tables on disk, read with dynalite over the same LevelDB folder once no server holds it. */
async function readTables() {
  const server = dynalite({ path: dataDir, createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    }),
  );
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    const scan = async (pattern: RegExp) => {
      const name = TableNames.find((t) => pattern.test(t));
      if (!name) throw new Error(`no table like ${pattern}`);
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    return { ledger: await scan(/RefundLedger/), cases: await scan(/Cases/) };
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('a crash of the local runtime under load', () => {
  it('leaves no acknowledged case stuck after a restart, and refunds no charge twice', async () => {
    // Prepare: the first run, under load.
    const first = await startServer();
    const tokens = new Map(
      await Promise.all(
        customers.map(async (c) => [c.customerId, await auth.customerToken(c.customerId)] as const),
      ),
    );
    const requests = Array.from(
      { length: REQUESTS },
      (_, i) => customers[i % customers.length] as (typeof customers)[number],
    );
    const acknowledged: Acknowledged[] = [];
    let killed = false;

    // Act: kill it (SIGKILL) while requests and executions are in flight.
    await pool(
      requests,
      IN_FLIGHT,
      async (customer) => {
        const body = {
          message: customer.scenario.message,
          ...(customer.scenario.orderId ? { orderId: customer.scenario.orderId } : {}),
          ...(customer.scenario.callbackPhone ? { callbackPhone: customer.scenario.callbackPhone } : {}),
        };
        try {
          const response = await call(
            first.baseUrl,
            'POST',
            '/support-requests',
            tokens.get(customer.customerId) ?? '',
            body,
            {
              'Idempotency-Key': randomUUID(),
            },
          );
          if (response.status === 202) {
            acknowledged.push({ caseId: String(response.body.caseId), customerId: customer.customerId });
          }
        } catch {
          // The connection died with the server: this request was never acknowledged.
        }
        if (!killed && acknowledged.length >= KILL_AFTER_ACKNOWLEDGED) {
          killed = true;
          await kill(first.child);
        }
      },
      () => killed,
    );
    await kill(first.child);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);

    // The second run, on the same data: its start-up sweep starts every open case again.
    const second = await startServer();
    expect(second.stdout()).toMatch(/Case sweeper: \d+ open case\(s\) from an earlier run started again/);
    const agentToken = await auth.agentToken('agent-restart-test');
    const pending = new Map(acknowledged.map((c) => [c.caseId, c]));
    const settled = new Map<string, string>();
    /** What the API last said of each case still pending (for the failure message). */
    const lastSeen = new Map<string, unknown>();
    const deadline = Date.now() + RECOVERY_DEADLINE_MS;
    while (pending.size > 0 && Date.now() < deadline) {
      await pool([...pending.values()], 8, async ({ caseId, customerId }) => {
        const found = await call(
          second.baseUrl,
          'GET',
          `/support-requests/${caseId}`,
          tokens.get(customerId) ?? '',
        );
        const status = String(found.body?.status);
        lastSeen.set(caseId, {
          http: found.status,
          status,
          timeline: (found.body?.timeline as { step: string }[] | undefined)?.map((e) => e.step),
        });
        if (status === 'resolved' || status === 'needs_attention') {
          settled.set(caseId, status);
          pending.delete(caseId);
        } else if (status === 'awaiting_agent') {
          // Waiting for an agent counts once an agent can actually pick it up.
          const claimed = await call(second.baseUrl, 'POST', `/agent/cases/${caseId}/claim`, agentToken);
          lastSeen.set(caseId, { status, claim: claimed.status, error: claimed.body?.error });
          if (claimed.status === 200) {
            settled.set(caseId, 'awaiting_agent (claimed)');
            pending.delete(caseId);
          }
        }
      });
      if (pending.size > 0) await sleep(500);
    }
    await kill(second.child);

    // Assess: every acknowledged case reached an outcome or an agent, none needed attention.
    expect(
      [...pending.keys()].map((caseId) => ({ caseId, ...(lastSeen.get(caseId) as object) })),
      `cases still stuck after the restart (data in ${dataDir}); the second run said: ${/Case sweeper.*$/m.exec(second.stdout())?.[0]}`,
    ).toEqual([]);
    expect([...settled.values()].filter((s) => s === 'needs_attention')).toEqual([]);
    const statuses = new Set(settled.values());
    expect(statuses).toContain('resolved');
    expect(statuses).toContain('awaiting_agent (claimed)');

    // ...and the ledger on disk: no charge refunded past its amount, each automatic refund once.
    const { ledger, cases } = await readTables();
    const chargeAmount = new Map<string, number>(
      customers.flatMap((c) =>
        c.scenario.charges.map((ch) => [`${c.customerId}/${ch.id}`, ch.amount] as const),
      ),
    );
    expect(ledger.length).toBeGreaterThan(0);
    for (const item of ledger) {
      const key = `${item.customerId}/${item.chargeId}`;
      const lines = Object.entries(item)
        .filter(([name]) => name.startsWith('case:'))
        .map(([name, line]) => ({
          caseId: name.slice('case:'.length),
          ...(line as { amount: number; source: string }),
        }));
      expect(item.refundedTotal, key).toBe(lines.reduce((sum, l) => sum + l.amount, 0));
      expect(item.refundedTotal as number, key).toBeLessThanOrEqual(chargeAmount.get(key) ?? 0);
      const autos = lines.filter((l) => l.source === 'auto');
      expect(autos.length, key).toBeLessThanOrEqual(1);
      if (autos[0]) expect(item.autoRefundCaseId, key).toBe(autos[0].caseId);
    }
    // A case that says it refunded automatically is the one the ledger paid, with the amount paid.
    const autoRefunded = cases.filter((c) => c.outcome === 'auto_refunded');
    expect(autoRefunded.length).toBeGreaterThan(0);
    for (const record of autoRefunded) {
      const paid = ledger
        .filter((item) => item.customerId === record.customerId && item[`case:${record.caseId}`])
        .reduce((sum, item) => sum + (item[`case:${record.caseId}`] as { amount: number }).amount, 0);
      expect(record.refundedAmount, String(record.caseId)).toBe(paid);
      expect(paid).toBeGreaterThan(0);
    }
  }, 300_000);
});
