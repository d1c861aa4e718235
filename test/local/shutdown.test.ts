/**
 * Stopping `npm start` under load: the server runs as its own process on a data dir, as a user runs
 * it, takes cases (some handed to a person and waiting for an agent, others mid-flight), then gets
 * SIGTERM or SIGINT. It must stop cleanly: exit 0, no unhandled rejection (States.Aborted) on stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  call,
  closeClientConnections,
  type ServerProcess,
  sendCases,
  startServerProcess,
  stopServerProcess,
} from '../../bench/server-process.js';

const dirs: string[] = [];
const servers: ServerProcess[] = [];

afterAll(async () => {
  closeClientConnections();
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Resolves once one of the cases waits for an agent (its execution running, its token out). */
async function someCaseWaitsForAnAgent(
  server: ServerProcess,
  caseIds: () => { caseId: string; token: string }[],
) {
  for (let attempt = 0; attempt < 300; attempt++) {
    for (const { caseId, token } of caseIds()) {
      const read = await call(server.origin, 'GET', `/v1/support-requests/${caseId}`, token);
      if (read.status === 200 && (JSON.parse(read.body) as { status: string }).status === 'awaiting_agent')
        return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no case was waiting for an agent');
}

describe.each(['SIGTERM', 'SIGINT'] as const)('stopping the local API with %s under load', (signal) => {
  it('exits 0 with no unhandled rejection, with cases waiting for agents and cases mid-flight', async () => {
    // Prepare
    const dataDir = mkdtempSync(path.join(tmpdir(), 'refund-hub-shutdown-'));
    dirs.push(dataDir);
    const server = await startServerProcess({ args: ['--data-dir', dataDir] });
    servers.push(server);
    const abort = new AbortController();
    const accepted: { caseId: string; token: string }[] = [];
    // Unbounded load with 16 in flight: every fifth message asks for a person.
    const load = (async () => {
      for (let batch = 0; !abort.signal.aborted; batch++) {
        const sent = await sendCases(server, 16, 16, { firstIndex: batch * 16, signal: abort.signal });
        accepted.push(...sent.caseIds);
      }
    })().catch((error: Error) => error);
    await someCaseWaitsForAnAgent(server, () => accepted);

    // Act: the signal lands while requests and executions are under way.
    const exit = await stopServerProcess(server.child, signal);
    abort.abort();
    await load;

    // Assess
    const stderr = server.stderr();
    expect(stderr).toContain(`${signal}: stopping the local API`);
    expect(stderr).not.toMatch(/States\.Aborted|Unhandled|unhandledRejection|ERR_UNHANDLED_REJECTION/);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 120_000);
});
