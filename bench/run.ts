/**
 * `npm run bench [-- --cases 2000 --repeats 3 --large 10000 --concurrency 48 --clients 20 --requests 2000 --rate 20
 * --rss-cases 10000]`: measures the embedded runtime and prints a markdown table beside the targets. Each measurement that needs a
 * runtime runs in its own process (one runtime per process):
 *
 * - replay: a mixed batch of generated scenarios (every POLICY.md path, seeded PRNG, each with
 *   its `expect`) through the real workflow with replay's defaults (on 2 cores: one process, the
 *   handlers on their own thread), `--repeats` times (3), reporting the median run: throughput and
 *   per-case p50/p99; for comparison, the same with the handlers on the main thread, and with 2
 *   worker processes; then a larger batch (`--large`, 10,000 by default) with the defaults, where
 *   warm-up (V8 reaches full speed only after about 2,000 cases) weighs less;
 * - floor: the same definition and scenarios with no-op Tasks (minimal valid outputs, no I/O);
 * - start-up: `node --import tsx local/server.ts` (what `npm start` runs) with PORT=0, until its ready line;
 * - API: concurrent keep-alive clients POSTing a support request and GETting it back;
 * - memory: `npm start` on a data dir, cases POSTed through its API until every one has an outcome,
 *   its RSS read after 1,000, after half of `--rss-cases` and after `--rss-cases` (10,000; 0 skips it).
 *
 * `--only replay-workers [--replay-base DIR]`: the same batch with `--workers 1` and `--workers 2`, `--repeats` rounds
 * (each round one run of each, so drift hits both alike), and the ratio of the medians; with `--replay-base`, a
 * checkout of another revision (its own bench/child.ts) runs the same in the same rounds: before and after in one run.
 *
 * Benchmarks print; nothing here asserts a timing.
 */
import '../local/quiet.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../lib/paths.js';
import { DEFAULT_CONCURRENCY, defaultWorkers } from '../local/replay.js';
import { generateScenarios, PATHS } from './generate.js';
import { measureModuleLoads, moduleLoadRows } from './module-load.js';
import { measureServerRss } from './rss.js';
import {
  call,
  closeClientConnections,
  type ServerProcess,
  startServerProcess,
  stopServerProcess,
} from './server-process.js';
import { type ChildResult, percentile } from './stats.js';

/** "Flat after warm-up": RSS after the last RSS checkpoint at most this much above the one before it. */
const RSS_FLAT_MB = 64;
const TARGETS = { casesPerSecond: 200, apiP50Ms: 15, readyMs: 5000 };
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000' },
    large: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
    clients: { type: 'string', default: '20' },
    requests: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '20' },
    startups: { type: 'string', default: '3' },
    repeats: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
    'rss-cases': { type: 'string', default: '10000' },
    'module-loads': { type: 'string', default: '7' },
    /** A git revision: the module-load rows also show each function's bundle built from it, in the same rounds. */
    'module-load-base': { type: 'string' },
    only: { type: 'string' },
    /** With `--only replay-workers`: another checkout (e.g. `git archive REV | tar -x -C DIR`) measured alongside. */
    'replay-base': { type: 'string' },
  },
});
const cases = Math.max(PATHS.length, Number(values.cases));
/** The larger batch, replayed with replay's defaults; 0 skips it. */
const largeCases = Number(values.large) > 0 ? Math.max(PATHS.length, Number(values.large)) : 0;
const concurrency = Number(values.concurrency);
const clients = Number(values.clients);
const requests = Number(values.requests);
/** Customers arriving per second in the open-loop API measurement. */
const rate = Math.max(1, Number(values.rate));
const startups = Math.max(1, Number(values.startups));
/** Runs of the headline replay batch; the median run is reported (the VM's speed drifts). */
const repeats = Math.max(1, Number(values.repeats));
/** Cases sent to `npm start` for the RSS rows (RSS read after 1,000, half of this and this many); 0 skips it. */
const rssCases = Math.max(0, Math.floor(Number(values['rss-cases']) || 0));
// The middle row shows where RSS levels off (V8's heap and the allocator reach their working size).
const rssCheckpoints =
  rssCases > 0
    ? [
        ...new Set([
          Math.min(1000, rssCases),
          Math.max(Math.min(1000, rssCases), Math.round(rssCases / 2)),
          rssCases,
        ]),
      ]
    : [];

/** Fresh processes per function for the module-load rows; 0 skips them. */
const moduleLoads = Math.max(0, Math.floor(Number(values['module-loads']) || 0));

const childEnv = {
  ...process.env,
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function runChild(
  mode: 'replay' | 'floor',
  file: string,
  setup: { workers?: number; inline?: boolean; root?: string } = {},
): Promise<ChildResult> {
  const root = setup.root ?? PROJECT_ROOT;
  return new Promise((resolve, reject) => {
    const args = [
      path.join(root, 'bench/child.ts'),
      mode,
      file,
      String(concurrency),
      String(setup.workers ?? 'auto'),
      ...(setup.inline ? ['inline'] : []),
    ];
    const child = spawn(TSX, args, {
      cwd: root,
      // As `npm run replay` runs: a larger young generation (fewer, cheaper scavenges).
      env: {
        ...childEnv,
        NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-semi-space-size=64'].filter(Boolean).join(' '),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`bench child ${mode} exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

const MESSAGES = ['Subscription refund', 'where is my package?', 'How do I cancel my subscription?', 'Hello'];

async function loadApi(server: ServerProcess) {
  const post: number[] = [];
  const get: number[] = [];
  let errors = 0;
  let next = 0;
  const pairs = Math.max(1, Math.floor(requests / 2));
  // Warm-up: the first calls load lazily initialised code paths.
  for (const token of server.tokens.slice(0, 2))
    await call(server.origin, 'POST', '/v1/support-requests', token, JSON.stringify({ message: 'Hello' }));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < pairs; i = next++) {
        const token = server.tokens[i % server.tokens.length] as string;
        const body = JSON.stringify({ message: MESSAGES[i % MESSAGES.length] });
        const created = await call(server.origin, 'POST', '/v1/support-requests', token, body);
        post.push(created.ms);
        if (created.status !== 202) {
          errors += 1;
          continue;
        }
        const { caseId } = JSON.parse(created.body) as { caseId: string };
        const read = await call(server.origin, 'GET', `/v1/support-requests/${caseId}`, token);
        get.push(read.ms);
        if (read.status !== 200) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const all = [...post, ...get].sort((a, b) => a - b);
  post.sort((a, b) => a - b);
  get.sort((a, b) => a - b);
  return { seconds, count: all.length, errors, all, post, get };
}

/**
 * Open loop: a new POST-then-GET pair starts every 1/rate s whether or not earlier ones finished,
 * as customers arrive. The latency a customer sees at that load, not at saturation.
 */
async function paceApi(server: ServerProcess, pairsPerSecond: number, pairs: number) {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < pairs; i++) {
    const due = started + (i * 1000) / pairsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const token = server.tokens[i % server.tokens.length] as string;
    const body = JSON.stringify({ message: MESSAGES[i % MESSAGES.length] });
    inFlight.push(
      (async () => {
        const created = await call(server.origin, 'POST', '/v1/support-requests', token, body);
        latencies.push(created.ms);
        if (created.status !== 202) {
          errors += 1;
          return;
        }
        const { caseId } = JSON.parse(created.body) as { caseId: string };
        const read = await call(server.origin, 'GET', `/v1/support-requests/${caseId}`, token);
        latencies.push(read.ms);
        if (read.status !== 200) errors += 1;
      })(),
    );
  }
  await Promise.all(inFlight);
  return { all: latencies.sort((a, b) => a - b), errors };
}

/**
 * Request to dispatched callback, one customer at a time (the latency one caller feels, not throughput): POST a
 * "call me" request, then GET the case every 10 ms until its timeline shows `callback_dispatched` (written just
 * before the SNS publish). Reports what the client saw and what the case's own instants say (dispatch − created).
 */
async function callbackDispatch(server: ServerProcess, count: number) {
  const seen: number[] = [];
  const recorded: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i += 1) {
    const token = server.tokens[i % server.tokens.length] as string;
    const body = JSON.stringify({
      message: 'Please call me, I need to talk to a person',
      callbackPhone: '+12065550123',
    });
    const started = performance.now();
    const created = await call(server.origin, 'POST', '/v1/support-requests', token, body);
    if (created.status !== 202) {
      errors += 1;
      continue;
    }
    const { caseId } = JSON.parse(created.body) as { caseId: string };
    let dispatched: { at: string } | undefined;
    let createdAt = '';
    for (let poll = 0; poll < 1000 && !dispatched; poll += 1) {
      const read = await call(server.origin, 'GET', `/v1/support-requests/${caseId}`, token);
      const view = JSON.parse(read.body) as { createdAt: string; timeline?: { at: string; step: string }[] };
      createdAt = view.createdAt;
      dispatched = view.timeline?.find((entry) => entry.step === 'callback_dispatched');
      if (!dispatched) await new Promise((r) => setTimeout(r, 10));
    }
    if (!dispatched) {
      errors += 1;
      continue;
    }
    seen.push(performance.now() - started);
    recorded.push(Date.parse(dispatched.at) - Date.parse(createdAt));
  }
  return { seen: seen.sort((a, b) => a - b), recorded: recorded.sort((a, b) => a - b), errors };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const dispatchRow = (d: Awaited<ReturnType<typeof callbackDispatch>>) =>
  row(
    `request to dispatched callback, one caller at a time (${d.seen.length} "call me" requests, ${d.errors} errors): p50 / p99 as the client saw it · as the case records it`,
    `${ms(percentile(d.seen, 50))} / ${ms(percentile(d.seen, 99))} · ${ms(percentile(d.recorded, 50))} / ${ms(percentile(d.recorded, 99))}`,
    'the seed: a phone ringing within 60 s',
  );
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

/**
 * One row per RSS checkpoint, each with its growth since the first (1,000 cases). The last says whether RSS
 * stayed flat after warm-up: from the middle checkpoint on (V8's heap and the executor's kept executions fill up
 * over the first few thousand cases), at most RSS_FLAT_MB more.
 */
function rssRows(rss: Awaited<ReturnType<typeof measureServerRss>> | undefined): string[] {
  if (!rss || rss.points.length === 0) return [];
  const first = rss.points[0] as (typeof rss.points)[number];
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(0)} MB`;
  return rss.points.map((point, i) => {
    const label = `| \`npm start\` RSS after ${point.cases.toLocaleString('en-US')} cases (\`--data-dir\`, POSTed 16 at a time, handoffs resolved by an agent and taken off the queues)`;
    const errors = point.errors > 0 ? `, ${point.errors} without an outcome` : '';
    if (i === 0) return `${label} | ${mb(point.rssBytes)}${errors} | |`;
    const sinceFirst = `${signed((point.rssBytes - first.rssBytes) / 1048576)} after ${first.cases.toLocaleString('en-US')}`;
    if (i < rss.points.length - 1) return `${label} | ${mb(point.rssBytes)} (${sinceFirst})${errors} | |`;
    const previous = rss.points[i - 1] as (typeof rss.points)[number];
    const growth = (point.rssBytes - previous.rssBytes) / 1048576;
    const since = previous.cases.toLocaleString('en-US');
    const measured = `${mb(point.rssBytes)} (${sinceFirst}, ${signed(growth)} after ${since}; ${rss.seconds.toFixed(0)} s in all)`;
    return `${label} | ${measured}${errors} | flat after warm-up: ≤ ${RSS_FLAT_MB} MB above the ${since}-case row (${ok(growth <= RSS_FLAT_MB)}) |`;
  });
}
const ok = (pass: boolean) => (pass ? 'met' : '**not met**');
/** One markdown table row: what was measured, the figure, the target. */
const row = (measurement: string, measured: string, target = '') =>
  `| ${measurement} | ${measured} | ${target} |`;

function header(): string[] {
  return [
    `## Refund Hub local runtime benchmark`,
    '',
    `Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end.`,
    '',
    '| measurement | measured | target |',
    '|---|---|---|',
  ];
}

async function moduleLoadSection(): Promise<string[]> {
  if (moduleLoads === 0) return [];
  process.stderr.write(`bench: module load of each Lambda bundle, ${moduleLoads} fresh processes each...\n`);
  return moduleLoadRows(await measureModuleLoads(moduleLoads, values['module-load-base']), moduleLoads);
}

async function main() {
  if (values.only === 'callback-dispatch') {
    const server = await startServerProcess({ echoStderr: true });
    const measured = await callbackDispatch(server, 30);
    await stopServerProcess(server.child);
    closeClientConnections();
    process.stdout.write(`${[...header(), dispatchRow(measured), ''].join('\n')}\n`);
    return;
  }
  if (values.only !== undefined && values.only !== 'replay-workers') {
    if (values.only !== 'module-load')
      throw new Error(`--only knows module-load, callback-dispatch and replay-workers, got ${values.only}`);
    process.stdout.write(`${[...header(), ...(await moduleLoadSection()), ''].join('\n')}\n`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'refund-hub-bench-'));
  const writeScenarios = (count: number) => {
    const file = path.join(dir, `scenarios-${count}.jsonl`);
    writeFileSync(
      file,
      `${generateScenarios(count, Number(values.seed))
        .map((s) => JSON.stringify(s))
        .join('\n')}\n`,
    );
    return file;
  };
  const file = writeScenarios(cases);
  process.stderr.write(`bench: ${cases} scenarios (${PATHS.length} policy paths) in ${file}\n`);
  if (values.only === 'replay-workers') {
    process.stdout.write(`${[...header(), ...(await replayWorkerRows(file)), ''].join('\n')}\n`);
    return;
  }

  process.stderr.write(`bench: replay (real workflow, replay's defaults) x${repeats}...\n`);
  const runs: ChildResult[] = [];
  for (let i = 0; i < repeats; i += 1) runs.push(await runChild('replay', file));
  runs.sort((a, b) => a.casesPerSecond - b.casesPerSecond);
  const real = runs[Math.floor(runs.length / 2)] as ChildResult;
  const range =
    runs.length > 1
      ? `, median of ${runs.length} (min ${(runs[0] as ChildResult).casesPerSecond.toFixed(0)}, max ${(runs[runs.length - 1] as ChildResult).casesPerSecond.toFixed(0)})`
      : '';
  process.stderr.write('bench: replay (handlers on the main thread, 1 process)...\n');
  const inline = await runChild('replay', file, { workers: 1, inline: true });
  process.stderr.write('bench: replay (2 worker processes)...\n');
  const sharded = await runChild('replay', file, { workers: 2 });
  let large: ChildResult | undefined;
  if (largeCases > 0) {
    process.stderr.write(`bench: replay of ${largeCases} scenarios (replay's defaults)...\n`);
    large = await runChild('replay', writeScenarios(largeCases));
  }
  process.stderr.write('bench: floor (no-op Tasks)...\n');
  const floor = await runChild('floor', file, { workers: 1 });

  process.stderr.write(`bench: start-up x${startups} and API load...\n`);
  const readies: number[] = [];
  let api: Awaited<ReturnType<typeof loadApi>> | undefined;
  let paced: Awaited<ReturnType<typeof paceApi>> | undefined;
  let dispatch: Awaited<ReturnType<typeof callbackDispatch>> | undefined;
  let exitCode: number | null = null;
  for (let i = 0; i < startups; i += 1) {
    const server = await startServerProcess({ echoStderr: true });
    readies.push(server.readyMs);
    if (i === startups - 1) {
      paced = await paceApi(server, rate, Math.max(20, Math.floor(requests / 4)));
      api = await loadApi(server);
      dispatch = await callbackDispatch(server, 30);
    }
    exitCode = (await stopServerProcess(server.child)).code;
  }
  let rss: Awaited<ReturnType<typeof measureServerRss>> | undefined;
  if (rssCheckpoints.length > 0) {
    process.stderr.write(
      `bench: RSS of the local API (--data-dir) after ${rssCheckpoints.join(' and ')} cases...\n`,
    );
    rss = await measureServerRss(rssCheckpoints);
  }
  closeClientConnections();
  const moduleLoadLines = await moduleLoadSection();
  readies.sort((a, b) => a - b);
  const ready = percentile(readies, 50);
  if (!api) throw new Error('no API measurement');
  if (!paced) throw new Error('no paced API measurement');
  const apiP50 = percentile(paced.all, 50);

  const workers = defaultWorkers();
  const defaultSetup =
    workers === 1
      ? 'one process, handlers on their own thread'
      : `${workers} processes, each with its handler thread`;
  const lines = [
    ...header(),
    row(
      `replay throughput: ${real.cases} generated cases, every policy path, ${concurrency} in flight, replay's defaults (${defaultSetup})`,
      `${real.casesPerSecond.toFixed(0)} cases/s${range}`,
      `≥ ${TARGETS.casesPerSecond} cases/s (${ok(real.casesPerSecond >= TARGETS.casesPerSecond)})`,
    ),
    `| replay per case (start of the execution to its outcome) p50 / p99 | ${ms(real.p50)} / ${ms(real.p99)} | |`,
    ...(large
      ? [
          row(
            `replay throughput, ${large.cases} generated cases, replay's defaults`,
            `${large.casesPerSecond.toFixed(0)} cases/s, p50 / p99 ${ms(large.p50)} / ${ms(large.p99)}, ${large.cases - large.mismatches} / ${large.cases} match`,
            `≥ ${TARGETS.casesPerSecond} cases/s (${ok(large.casesPerSecond >= TARGETS.casesPerSecond)})`,
          ),
        ]
      : []),
    `| for comparison: ${inline.cases} cases, handlers on the main thread, 1 process | ${inline.casesPerSecond.toFixed(0)} cases/s | |`,
    `| for comparison: ${sharded.cases} cases, \`--workers 2\` (2 processes, each with its handler thread) | ${sharded.casesPerSecond.toFixed(0)} cases/s | |`,
    `| replay answers matching \`expect\` (every run) | ${runs.map((r) => r.cases - r.mismatches).join(', ')} / ${real.cases} (${runs.reduce((n, r) => n + r.failed, 0)} failed executions) | all |`,
    `| floor: same definition, no-op Tasks (no I/O), throughput | ${floor.casesPerSecond.toFixed(0)} cases/s | |`,
    `| floor per case p50 / p99 | ${ms(floor.p50)} / ${ms(floor.p99)} | |`,
    row(
      `API p50 / p99 at ${rate * 2} req/s (${rate} customers/s arriving, each POST then GET; open loop)`,
      `${ms(apiP50)} / ${ms(percentile(paced.all, 99))}, ${paced.errors} errors`,
      `p50 ≤ ${TARGETS.apiP50Ms} ms (${ok(apiP50 <= TARGETS.apiP50Ms)})`,
    ),
    `| API p50 / p99 at saturation: ${clients} keep-alive clients back to back, ${api.count} requests | ${ms(percentile(api.all, 50))} / ${ms(percentile(api.all, 99))} | |`,
    `| API POST p50 / p99 · GET p50 / p99 | ${ms(percentile(api.post, 50))} / ${ms(percentile(api.post, 99))} · ${ms(percentile(api.get, 50))} / ${ms(percentile(api.get, 99))} | |`,
    `| API throughput, errors | ${(api.count / api.seconds).toFixed(0)} req/s, ${api.errors} errors | |`,
    ...(dispatch ? [dispatchRow(dispatch)] : []),
    row(
      `start-up to ready line (\`npm start\`: \`node --import tsx local/server.ts\`, median of ${readies.length})`,
      `${ms(ready)} (min ${ms(readies[0] as number)}, max ${ms(readies[readies.length - 1] as number)})`,
      `≤ ${TARGETS.readyMs} ms (${ok(ready <= TARGETS.readyMs)})`,
    ),
    `| server exit code on SIGTERM | ${exitCode} | 0 |`,
    ...rssRows(rss),
    ...moduleLoadLines,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `--workers 1` against `--workers 2` on the batch, in rounds, for this checkout and `--replay-base` if given. */
async function replayWorkerRows(file: string): Promise<string[]> {
  const roots = [
    { label: 'this checkout', root: PROJECT_ROOT },
    ...(values['replay-base']
      ? [{ label: `base (${values['replay-base']})`, root: path.resolve(values['replay-base']) }]
      : []),
  ];
  const runs = new Map<string, ChildResult[]>();
  for (let round = 1; round <= repeats; round += 1) {
    for (const { label, root } of roots) {
      for (const workers of [1, 2]) {
        process.stderr.write(`bench: round ${round}/${repeats}, ${label}, --workers ${workers}...\n`);
        const key = `${label}\u0000${workers}`;
        runs.set(key, [...(runs.get(key) ?? []), await runChild('replay', file, { workers, root })]);
      }
    }
  }
  const median = (list: readonly ChildResult[]) =>
    [...list].sort((a, b) => a.casesPerSecond - b.casesPerSecond)[Math.floor(list.length / 2)] as ChildResult;
  const lines: string[] = [];
  for (const { label } of roots) {
    const byWorkers = [1, 2].map((workers) => runs.get(`${label}\u0000${workers}`) ?? []);
    for (const [i, list] of byWorkers.entries()) {
      const rates = list.map((r) => r.casesPerSecond.toFixed(0)).join(', ');
      const matches = list.map((r) => `${r.cases - r.mismatches}/${r.cases}`).join(', ');
      const failed = list.reduce((n, r) => n + r.failed, 0);
      lines.push(
        row(
          `${label}: ${cases} cases, \`--workers ${i + 1}\`, ${concurrency} in flight`,
          `${median(list).casesPerSecond.toFixed(0)} cases/s median (runs: ${rates}; p50 / p99 ${ms(median(list).p50)} / ${ms(median(list).p99)}; ${matches} match, ${failed} failed)`,
        ),
      );
    }
    const [one, two] = byWorkers.map(median) as [ChildResult, ChildResult];
    lines.push(
      row(
        `${label}: \`--workers 2\` / \`--workers 1\` (medians)`,
        `${(two.casesPerSecond / one.casesPerSecond).toFixed(2)}x`,
      ),
    );
  }
  return lines;
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
