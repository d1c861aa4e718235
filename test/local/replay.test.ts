/**
 * Replay (`npm run replay`): the example scenarios through the real workflow, exit codes, the output
 * format, `--trace`, and the command line itself. One embedded runtime for the in-process runs
 * (one per process); the CLI runs in a child process with its own.
 */
import '../../local/quiet.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDataFile } from '../../local/demo.js';
import { replay } from '../../local/replay.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { RESULT_FIELDS } from '../../local/scenario.js';
import { replayCli } from './replay-cli.js';

const EXAMPLES = demoDataFile();
const dir = mkdtempSync(path.join(tmpdir(), 'replay-test-'));
let runtime: LocalRuntime;
let runs = 0;

function collect() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

/** Replays a file on this file's runtime, in its own namespace (the same scenarios may run twice). */
async function run(input: string, options: { trace?: boolean } = {}) {
  runs += 1;
  const stdout = collect();
  const stderr = collect();
  const summary = await replay({
    input,
    runtime,
    namespace: `run${runs}/`,
    stdout: stdout.stream,
    stderr: stderr.stream,
    progress: false,
    ...options,
  });
  const lines = stdout
    .text()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { summary, lines, stderr: stderr.text() };
}

function writeLines(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const exampleLines = () =>
  readFileSync(EXAMPLES, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

beforeAll(async () => {
  runtime = await startLocalRuntime();
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('replay of the example scenarios', () => {
  it('reports every scenario in input order, all matching expect (exit 0)', async () => {
    const { summary, lines, stderr } = await run(EXAMPLES);
    const ids = exampleLines().map((l) => (JSON.parse(l) as { id: string }).id);
    expect(summary.exitCode).toBe(0);
    expect(summary.mismatches).toEqual([]);
    expect(lines.map((l) => l.id)).toEqual(ids);
    for (const line of lines) expect(Object.keys(line)).toEqual(RESULT_FIELDS);
    expect(stderr).toContain('| outcome | reason | count |');
    expect(stderr).toContain('Mismatches against expect: 0');
  });

  it('reports handoffQueue only for human_handoff, and handed-off cases without waiting for an agent', async () => {
    const { lines } = await run(EXAMPLES);
    for (const line of lines) {
      if (line.outcome === 'human_handoff') expect(line.handoffQueue).toEqual(expect.any(String));
      else expect(line.handoffQueue).toBeNull();
    }
    expect(lines.some((l) => l.outcome === 'human_handoff')).toBe(true);
  });

  it('leaves no execution running', async () => {
    const { lines } = await run(EXAMPLES);
    for (const line of lines) {
      const execution = runtime.executor.describe(String(line.caseId));
      expect(execution === undefined || execution.status !== 'RUNNING').toBe(true);
    }
  });

  it('adds the states entered with --trace', async () => {
    const { lines } = await run(EXAMPLES, { trace: true });
    const refund = lines.find((l) => l.outcome === 'auto_refunded');
    expect(refund?.trace).toEqual(
      expect.arrayContaining(['ClassifyMessage', 'IssueRefund', 'RecordOutcome']),
    );
    const handoff = lines.find((l) => l.outcome === 'human_handoff');
    expect(handoff?.trace).toContain('RequestHumanCallback');
  });
});

describe('isolation', () => {
  it('keeps scenarios that share customer and charge ids apart (each refunds its own charge)', async () => {
    const [first] = exampleLines().filter((l) => l.includes('"auto_refunded"'));
    const scenario = JSON.parse(first as string) as Record<string, unknown>;
    const file = writeLines(
      'same-customer.jsonl',
      ['a', 'b', 'c'].map((suffix) => JSON.stringify({ ...scenario, id: `${scenario.id}-${suffix}` })),
    );
    const { summary, lines } = await run(file);
    expect(summary.exitCode).toBe(0);
    for (const line of lines) expect(line.outcome).toBe('auto_refunded');
  });
});

describe('mismatches and bad input', () => {
  it('exits 1 and names the field when a result differs from expect', async () => {
    const [first, ...rest] = exampleLines();
    const wrong = JSON.parse(first as string) as { expect: Record<string, unknown> };
    wrong.expect.refundedAmount = 1;
    const file = writeLines('mismatch.jsonl', [JSON.stringify(wrong), ...rest]);
    const { summary, stderr, lines } = await run(file);
    expect(summary.exitCode).toBe(1);
    expect(summary.mismatches).toEqual([
      expect.objectContaining({ field: 'refundedAmount', expected: 1, line: 1 }),
    ]);
    expect(stderr).toContain('refundedAmount');
    expect(lines).toHaveLength(rest.length + 1);
  });

  it('exits 2 naming the line of a schema error, before running anything', async () => {
    const lines = exampleLines();
    const bad = JSON.parse(lines[1] as string) as { charges: { amount: unknown }[] };
    (bad.charges[0] as { amount: unknown }).amount = 14.99;
    const file = writeLines('bad-schema.jsonl', [lines[0] as string, '', JSON.stringify(bad)]);
    const { summary, stderr, lines: out } = await run(file);
    expect(summary.exitCode).toBe(2);
    expect(stderr).toContain('line 3: charges.0.amount: expected integer');
    expect(out).toEqual([]);
  });

  it('exits 2 on a line that is not JSON', async () => {
    const file = writeLines('bad-json.jsonl', [exampleLines()[0] as string, '{"id": "x",']);
    const { summary, stderr } = await run(file);
    expect(summary.exitCode).toBe(2);
    expect(stderr).toMatch(/^line 2: not valid JSON/m);
  });

  it('exits 2 on a duplicated scenario id (namespaces would collide)', async () => {
    const line = exampleLines()[0] as string;
    const { summary, stderr } = await run(writeLines('dup.jsonl', [line, line]));
    expect(summary.exitCode).toBe(2);
    expect(stderr).toContain('line 2: id:');
  });
});

describe('npm run replay (command line)', () => {
  it.each([
    ['one process, handlers on their own thread (the default for a small file)', []],
    ['2 worker processes', ['--workers', '2']],
    ['the Stripe adapter, the real SDK against the emulator', ['-c', 'refundHub:paymentProvider=stripe']],
  ])(
    'prints only result lines on stdout, in input order, and exits 0 on the examples: %s',
    async (_, extra) => {
      // Handlers log at INFO: none of it may reach stdout.
      const { code, stdout, stderr } = await replayCli([EXAMPLES, '--trace', ...extra], {
        ...process.env,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      expect(code, stderr).toBe(0);
      const lines = stdout.split('\n').filter((l) => l !== '');
      const ids = exampleLines().map((l) => (JSON.parse(l) as { id: string }).id);
      expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(ids);
      for (const line of lines) expect(JSON.parse(line)).toHaveProperty('trace');
      expect(stderr).toContain('Mismatches against expect: 0');
    },
    // Two worker processes each start a runtime: under a loaded CI machine that alone took 58 s once.
    120_000,
  );
});
