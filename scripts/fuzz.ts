/**
 * `npm run fuzz [-- --count 10000 --concurrency 16 --seed 1 --max-seconds 900 --url http://127.0.0.1:3000]`:
 * sends hostile requests (scripts/lib/hostile-requests.ts) to every route of the local API and
 * prints the counts by status and by route. Exits 1 on any 5xx, reset or unanswered request,
 * printing a few of them.
 *
 * Without `--url` it starts its own embedded runtime and local API in this process (demo
 * customers seeded). With `--url` it fuzzes a running `npm start` on loopback; tokens come from
 * `--customer-token`/`--agent-token`, else are signed with LOCAL_JWT_SECRET (start the server with
 * the same value), else the agent token is read from `.refund-hub-local.json` (the running server writes it).
 */
import '../local/quiet.js';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import pLimit from 'p-limit';
import { PROJECT_ROOT } from '../lib/paths.js';
import { createLocalAuth, type LocalAuth } from '../local/auth.js';
import { loadDemoCustomers } from '../local/demo.js';
import { loadTopology } from '../local/template.js';
import {
  describeHostile,
  type HostileRequest,
  type HostileRoute,
  type HostileTokens,
  hostileAgent,
  hostileRequest,
  sendHostile,
} from './lib/hostile-requests.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string' },
    'max-seconds': { type: 'string', default: '900' },
    'customer-token': { type: 'string', multiple: true },
    'agent-token': { type: 'string' },
  },
});

const positive = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number above 0, got ${text}`);
  return n;
};
const count = positive('count', values.count);
const concurrency = positive('concurrency', values.concurrency);
const maxSeconds = positive('max-seconds', values['max-seconds']);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

/** The `sub` of a JWT, read without verifying (the server verifies). */
const subjectOf = (token: string): string => {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sub?: unknown;
  };
  if (typeof payload.sub !== 'string') throw new Error('A --customer-token has no subject');
  return payload.sub;
};

interface Target {
  readonly origin: string;
  readonly stagePrefix: string;
  readonly routes: readonly HostileRoute[];
  readonly tokens: HostileTokens;
  stop(): Promise<void>;
}

/** Tokens signed with `auth` (the in-process API's, or LOCAL_JWT_SECRET's), else the ones given. */
async function tokensFor(customerIds: readonly string[], auth?: LocalAuth): Promise<HostileTokens> {
  const forged = await createLocalAuth({ secret: 'not-the-server-key' }).customerToken(
    customerIds[0] ?? 'C-1',
  );
  if (auth) {
    const customers: Record<string, string> = {};
    for (const id of customerIds) customers[id] = await auth.customerToken(id);
    return { customers, agent: values['agent-token'] ?? (await auth.agentToken('agent-fuzz')), forged };
  }
  const given = values['customer-token'] ?? [];
  if (given.length === 0)
    throw new Error(
      'With --url, pass --customer-token TOKEN (one the server printed), or run both with the same LOCAL_JWT_SECRET.',
    );
  let agent = values['agent-token'];
  if (!agent) {
    const file = path.join(PROJECT_ROOT, '.refund-hub-local.json');
    try {
      agent = (JSON.parse(readFileSync(file, 'utf8')) as { agentToken?: string }).agentToken;
    } catch {
      agent = undefined;
    }
    if (!agent)
      throw new Error(`No agent token: pass --agent-token, or start the server here (it writes ${file}).`);
  }
  return { customers: Object.fromEntries(given.map((t) => [subjectOf(t), t])), agent, forged };
}

async function target(): Promise<Target> {
  const customerIds = loadDemoCustomers().map((c) => c.customerId);
  if (values.url !== undefined) {
    const url = new URL(values.url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
      throw new Error(`--url must be a loopback address, not ${url.hostname}`);
    const topology = loadTopology();
    return {
      origin: url.origin,
      stagePrefix: `/${topology.apiStageName}`,
      routes: topology.apiRoutes,
      tokens: await tokensFor(customerIds, process.env.LOCAL_JWT_SECRET ? createLocalAuth() : undefined),
      stop: async () => undefined,
    };
  }
  const [{ startLocalRuntime }, { seedDemoCustomers }, { startApiServer }] = await Promise.all([
    import('../local/runtime.js'),
    import('../local/demo.js'),
    import('../local/server.js'),
  ]);
  const runtime = await startLocalRuntime();
  await seedDemoCustomers(runtime, loadDemoCustomers());
  const auth = createLocalAuth();
  const api = await startApiServer(runtime, { port: 0, auth });
  return {
    origin: api.origin,
    stagePrefix: `/${runtime.topology.apiStageName}`,
    routes: api.routes,
    tokens: await tokensFor(customerIds, auth),
    stop: async () => {
      await api.close();
      await runtime.stop();
    },
  };
}

/** A few real cases (each demo customer's scenario message), so requests also reach existing cases. */
async function seedCases(t: Target, agent: ReturnType<typeof hostileAgent>): Promise<string[]> {
  const ids: string[] = [];
  for (const customer of loadDemoCustomers()) {
    const token = t.tokens.customers[customer.customerId];
    if (!token) continue;
    const response = await sendHostile(
      t.origin,
      t.stagePrefix,
      {
        route: 'seed',
        method: 'POST',
        target: '/support-requests',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: customer.scenario.message }),
      },
      agent,
    );
    const caseId = (JSON.parse(response.body) as { caseId?: string }).caseId;
    if (response.status === 202 && caseId) ids.push(caseId);
  }
  return ids;
}

type Outcome = { status: number } | { failure: string };

async function main(): Promise<void> {
  const t = await target();
  const agent = hostileAgent(concurrency);
  const caseIds = await seedCases(t, agent);
  const arbitrary = hostileRequest({ routes: t.routes, tokens: t.tokens, caseIds, oversizedBodies: true });
  process.stderr.write(
    `Fuzzing ${t.origin}${t.stagePrefix}: ${count} requests, ${concurrency} at a time, seed ${seed}, at most ${maxSeconds} s\n`,
  );

  const byStatus = new Map<string, number>();
  const byRoute = new Map<string, Map<string, number>>();
  const failures: { request: HostileRequest; outcome: string }[] = [];
  const bump = (route: string, key: string) => {
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    const row = byRoute.get(route) ?? new Map<string, number>();
    row.set(key, (row.get(key) ?? 0) + 1);
    byRoute.set(route, row);
  };

  const limit = pLimit(concurrency);
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  let sent = 0;
  // Generated in batches: a few oversized bodies at a time, never all 10,000 requests in memory.
  const BATCH = 500;
  for (let offset = 0; offset < count && performance.now() < deadline; offset += BATCH) {
    const batch = fc.sample(arbitrary, { numRuns: Math.min(BATCH, count - offset), seed: seed + offset });
    await Promise.all(
      batch.map((request) =>
        limit(async () => {
          if (performance.now() >= deadline) return;
          sent += 1;
          let outcome: Outcome;
          try {
            outcome = { status: (await sendHostile(t.origin, t.stagePrefix, request, agent)).status };
          } catch (error) {
            outcome = { failure: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
          }
          const key = 'status' in outcome ? String(outcome.status) : outcome.failure;
          bump(request.route, key);
          if (!('status' in outcome) || outcome.status >= 500) failures.push({ request, outcome: key });
        }),
      ),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await t.stop();

  const statuses = [...byStatus.keys()].sort();
  const rows = [
    ['route', ...statuses, 'total'],
    ...[...byRoute.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, row]) => [
        route,
        ...statuses.map((s) => String(row.get(s) ?? 0)),
        String([...row.values()].reduce((a, b) => a + b, 0)),
      ]),
    ['all', ...statuses.map((s) => String(byStatus.get(s) ?? 0)), String(sent)],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const table = [
    line(rows[0] ?? []),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ];
  process.stdout.write(
    `${table.join('\n')}\n\n${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s), seed ${seed}\n`,
  );
  if (sent < count)
    process.stdout.write(`Stopped after --max-seconds ${maxSeconds}: ${count - sent} not sent.\n`);
  if (failures.length > 0) {
    process.stdout.write(`\n${failures.length} requests got a 5xx or no answer; the first few:\n`);
    for (const f of failures.slice(0, 5))
      process.stdout.write(`- ${f.outcome} ← ${f.request.route}\n  ${describeHostile(f.request)}\n`);
    process.exit(1);
  }
  process.exit(sent < count ? 1 : 0);
}

main().catch((error: Error) => {
  process.stderr.write(`fuzz failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
