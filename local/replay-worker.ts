/**
 * A replay worker process: its own embedded runtime (one per process, its handlers on their own
 * thread), running the scenarios the parent (local/replay.ts) sends over IPC and answering with
 * each report. Its daily refund budget is the parent's table (one for the whole run). Started by `replay()` with
 * `workers > 1`; not meant to be run by hand.
 */
import './quiet.js';
import { type LocalRuntimeOptions, startLocalRuntime } from './runtime.js';
import { type ParsedLine, type RunOptions, ScenarioRunner } from './scenario-runner.js';

type ParentMessage = { type: 'run'; id: number; parsed: ParsedLine } | { type: 'stop' };

const send = process.send?.bind(process);
if (!send) throw new Error('local/replay-worker.ts runs as a replay worker (forked with IPC)');
const runOptions = JSON.parse(process.argv[2] ?? '{}') as RunOptions;
const concurrency = Number(process.argv[3] ?? 12);
const context = JSON.parse(process.argv[4] ?? '{}') as Record<string, unknown>;
// The tables the parent serves to all workers (the daily refund budget), by role.
const tableEndpoints = JSON.parse(process.argv[5] ?? '{}') as LocalRuntimeOptions['tableEndpoints'];
const runtime = await startLocalRuntime({
  handlerThread: true,
  context,
  ...(tableEndpoints ? { tableEndpoints } : {}),
});
const runner = new ScenarioRunner(runtime, runOptions, concurrency);

process.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') {
    // Exit once stopped: a stopped execution may leave its Task timer behind.
    void runtime.stop().finally(() => process.exit(0));
    return;
  }
  runner.run(message.parsed).then(
    (report) => send({ type: 'result', id: message.id, report }),
    (error: Error) => send({ type: 'error', id: message.id, message: error.message }),
  );
});
// The parent going away ends the worker too.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
