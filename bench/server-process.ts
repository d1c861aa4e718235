/**
 * The local API as a user runs it (`npm start` is `node --import tsx local/server.ts`), in its own child process:
 * start it, send it cases through its HTTP API with bounded concurrency, read its RSS, stop it.
 * Shared by the benchmark (RSS after N cases) and the shutdown test (SIGTERM under load).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../lib/paths.js';

/** As `npm start` runs it: node itself, so a signal reaches the server and not a wrapper around it. */
export const SERVER_COMMAND = [process.execPath, '--import', 'tsx', 'local/server.ts'] as const;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly readyMs: number;
  readonly origin: string;
  /** The demo customers' tokens, in the order the ready text lists them. */
  readonly tokens: string[];
  readonly agentToken: string;
  /** Everything the server wrote to stdout (its ready text) and stderr so far. */
  stdout(): string;
  stderr(): string;
}

export interface StartServerOptions {
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Where the server's stderr goes: kept (and readable with `stderr()`), or also written to ours. */
  readonly echoStderr?: boolean;
  /** How long start-up may take (a restart sweeps the open cases first). @default 60000 */
  readonly readyTimeoutMs?: number;
}

/** Spawns the local API with a free port; resolves at its ready text with the demo tokens. */
export function startServerProcess(options: StartServerOptions = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [command, ...args] = SERVER_COMMAND;
    const child = spawn(command, [...args, ...(options.args ?? [])], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...options.env,
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let readyMs: number | undefined;
    let origin = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (options.echoStderr) process.stderr.write(c);
    });
    const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the local API was not ready within ${readyTimeoutMs / 1000} s:\n${out}\n${err}`));
    }, readyTimeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (readyMs === undefined) {
        const ready = /ready on (http:\/\/\S+)/.exec(out);
        if (!ready) return;
        readyMs = performance.now() - started;
        origin = ready[1] as string;
      }
      // The tokens follow the ready line; the agent token closes the list.
      const agentToken = /AGENT_TOKEN=(\S+)/.exec(out)?.[1];
      if (agentToken && out.endsWith('\n')) {
        clearTimeout(timer);
        const tokens = [...out.matchAll(/^\s+TOKEN=(\S+)$/gm)].map((m) => m[1] as string);
        resolve({ child, readyMs, origin, tokens, agentToken, stdout: () => out, stderr: () => err });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (readyMs === undefined)
        reject(new Error(`the local API exited ${code} before it was ready:\n${out}\n${err}`));
    });
  });
}

/** Sends the signal and resolves with the exit code (null when killed by a signal). */
export function stopServerProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, killedBy) => resolve({ code, signal: killedBy }));
    child.kill(signal);
  });
}

/** The child's resident set size in bytes, as the kernel counts it (Linux /proc). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function call(
  origin: string,
  method: string,
  pathname: string,
  token: string,
  body?: string,
): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      `${origin}${pathname}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function closeClientConnections(): void {
  agent.destroy();
}

/**
 * Messages that reach every kind of outcome on the demo accounts: refunds, answers, and cases handed
 * to a person (those wait for an agent, their execution running).
 */
export const LOAD_MESSAGES = [
  'Subscription refund',
  'where is my package?',
  'How do I cancel my subscription?',
  'Hello',
  'I want to talk to a person please',
] as const;

export interface LoadResult {
  readonly sent: number;
  readonly accepted: number;
  readonly errors: number;
  readonly caseIds: { caseId: string; token: string }[];
}

/**
 * POSTs `count` support requests with at most `concurrency` in flight, round-robin over the demo
 * customers. Stops early (without error) when `signal` aborts, e.g. once the server is told to stop.
 */
export async function sendCases(
  server: ServerProcess,
  count: number,
  concurrency: number,
  options: { firstIndex?: number; signal?: AbortSignal } = {},
): Promise<LoadResult> {
  const first = options.firstIndex ?? 0;
  let next = 0;
  let sent = 0;
  let accepted = 0;
  let errors = 0;
  const caseIds: { caseId: string; token: string }[] = [];
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      for (let i = next++; i < count; i = next++) {
        if (options.signal?.aborted) return;
        const index = first + i;
        const token = server.tokens[index % server.tokens.length] as string;
        const body = JSON.stringify({ message: LOAD_MESSAGES[index % LOAD_MESSAGES.length] });
        sent += 1;
        try {
          const created = await call(server.origin, 'POST', '/v1/support-requests', token, body);
          if (created.status !== 202) {
            errors += 1;
            continue;
          }
          accepted += 1;
          caseIds.push({ caseId: (JSON.parse(created.body) as { caseId: string }).caseId, token });
        } catch (error) {
          if (options.signal?.aborted) return;
          throw error;
        }
      }
    }),
  );
  return { sent, accepted, errors, caseIds };
}

/**
 * Waits until every case has an outcome (polling GET), or `timeoutMs` passes; resolves with how
 * many have none. With `agentToken`, a case handed to a person is resolved as an agent would
 * (`deny`, through the agent API), so its execution finishes too; without, waiting counts as settled.
 */
export async function waitForCasesToSettle(
  server: ServerProcess,
  cases: readonly { caseId: string; token: string }[],
  concurrency: number,
  options: { agentToken?: string; timeoutMs?: number } = {},
): Promise<number> {
  const deadline = performance.now() + (options.timeoutMs ?? 120_000);
  const settled = new Set(
    options.agentToken ? ['resolved', 'needs_attention'] : ['resolved', 'needs_attention', 'awaiting_agent'],
  );
  let pending = [...cases];
  while (pending.length > 0 && performance.now() < deadline) {
    const still: { caseId: string; token: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, concurrency) }, async () => {
        for (let i = next++; i < pending.length; i = next++) {
          const item = pending[i] as { caseId: string; token: string };
          const read = await call(server.origin, 'GET', `/v1/support-requests/${item.caseId}`, item.token);
          const status =
            read.status === 200 ? (JSON.parse(read.body) as { status?: string }).status : undefined;
          if (status && settled.has(status)) continue;
          still.push(item);
          if (status === 'awaiting_agent' && options.agentToken) {
            const body = JSON.stringify({
              decision: 'deny',
              note: 'benchmark agent: nothing to refund',
              customerMessage: 'We checked your request: nothing is due.',
            });
            await call(
              server.origin,
              'POST',
              `/v1/agent/cases/${item.caseId}/resolution`,
              options.agentToken,
              body,
            );
          }
        }
      }),
    );
    pending = still;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 200));
  }
  return pending.length;
}
