/**
 * The local API's memory under load, as a user runs it: `local/server.ts` in its own process with
 * `--data-dir` (cases and messages in LevelDB on disk, so what is measured is the runtime and not the
 * product's data kept in memory), cases POSTed through its HTTP API with bounded concurrency, the
 * ones handed to a person resolved through the agent API, and the child's RSS read from /proc once
 * every case has an outcome.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readLocalServerState } from '../cli/local.js';
import { readQueue } from '../cli/queue.js';
import { LOCAL_CREDENTIALS } from '../local/emulators.js';
import { LOCAL_REGION } from '../local/template.js';
import {
  residentBytes,
  type ServerProcess,
  sendCases,
  startServerProcess,
  stopServerProcess,
  waitForCasesToSettle,
} from './server-process.js';

export interface RssPoint {
  /** Cases sent so far, every one with an outcome. */
  readonly cases: number;
  readonly rssBytes: number;
  /** Cases the server did not accept (non-202) or that had no outcome in time. */
  readonly errors: number;
}

export interface RssResult {
  readonly points: RssPoint[];
  readonly seconds: number;
  readonly exitCode: number | null;
}

/** Lets the server go idle (V8's memory reducer runs on idle) before the RSS is read. */
const IDLE_MS = 2000;

async function sendAndSettle(server: ServerProcess, count: number, firstIndex: number, concurrency: number) {
  const load = await sendCases(server, count, concurrency, { firstIndex });
  const unsettled = await waitForCasesToSettle(server, load.caseIds, concurrency, {
    agentToken: server.agentToken,
    timeoutMs: 180_000,
  });
  await workTeamQueues();
  return load.errors + unsettled;
}

/**
 * The agents take the callback requests off their team queues (readQueue with ack, as an integration consumer would), as
 * a desk does: requests left on the queues would be the product's data growing, not the runtime's memory.
 */
async function workTeamQueues(): Promise<void> {
  const state = readLocalServerState();
  const sqs = new SQSClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint: state.sqsEndpoint,
  });
  try {
    for (const queueUrl of Object.values(state.queueUrls)) {
      while ((await readQueue(sqs, queueUrl, { ack: true, max: 50, waitSeconds: 0 })).length > 0);
    }
  } finally {
    sqs.destroy();
  }
}

/** RSS after each checkpoint (e.g. 1,000 and 10,000 cases), one server from start to end. */
export async function measureServerRss(checkpoints: readonly number[], concurrency = 16): Promise<RssResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refund-hub-bench-rss-'));
  const server = await startServerProcess({ args: ['--data-dir', dataDir], echoStderr: true });
  const started = performance.now();
  const points: RssPoint[] = [];
  try {
    let sent = 0;
    let errors = 0;
    for (const checkpoint of [...checkpoints].sort((a, b) => a - b)) {
      errors += await sendAndSettle(server, checkpoint - sent, sent, concurrency);
      sent = checkpoint;
      await new Promise((r) => setTimeout(r, IDLE_MS));
      points.push({ cases: sent, rssBytes: residentBytes(server.child.pid as number), errors });
    }
  } finally {
    const exit = await stopServerProcess(server.child);
    rmSync(dataDir, { recursive: true, force: true });
    // biome-ignore lint/correctness/noUnsafeFinally: the result carries the exit code
    return { points, seconds: (performance.now() - started) / 1000, exitCode: exit.code };
  }
}
