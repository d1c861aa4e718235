/**
 * Runs the two passes of a what-if replay, each a replay process of its own (handlers read their configuration at
 * module load, so one process replays one configuration), and prints the comparison: tables on stderr, one JSON line
 * per changed scenario on stdout.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { PROJECT_ROOT } from '../lib/paths.js';
import { type ComparedResult, changedScenarios, chargeCurrenciesOf, whatIfReport } from './what-if.js';

export interface WhatIfOptions {
  readonly input: string;
  /** `-c` entries of both passes (the configuration as it is). */
  readonly context: readonly string[];
  /** `-c` entries added to the second pass. */
  readonly change: readonly string[];
  /** Passed to both passes unchanged (--concurrency, --workers, --no-progress). */
  readonly passThrough: readonly string[];
  readonly stdout: Writable;
  readonly stderr: Writable;
}

function pass(options: WhatIfOptions, label: string, context: readonly string[]): Promise<ComparedResult[]> {
  options.stderr.write(`\n== ${label}\n`);
  const args = [
    ...process.execArgv,
    path.join(PROJECT_ROOT, 'scripts/replay.ts'),
    options.input,
    // Expectations describe the file as written; the change is meant to break some: each pass skips them.
    '--no-expect',
    ...options.passThrough,
    ...context.flatMap((entry) => ['-c', entry]),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  const results: ComparedResult[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') results.push(JSON.parse(line) as ComparedResult);
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      // With expectations skipped, 1 says that some executions failed: the pass's summary lists them, the comparison
      // still covers every scenario that has a result.
      if (code === 0 || code === 1) resolve(results);
      else reject(new Error(`the replay pass "${label}" exited with ${code}`));
    }),
  );
}

/** Both passes, then the report. Resolves to the exit code (0, or 2 when a pass could not run). */
export async function runWhatIf(options: WhatIfOptions): Promise<number> {
  const before = await pass(options, 'as configured', options.context);
  const after = await pass(options, `with ${options.change.join(' ')}`, [
    ...options.context,
    ...options.change,
  ]);
  const currencies = chargeCurrenciesOf(readFileSync(options.input, 'utf8').split('\n'));
  for (const change of changedScenarios(before, after)) options.stdout.write(`${JSON.stringify(change)}\n`);
  options.stderr.write(`${whatIfReport(before, after, currencies, options.change)}\n`);
  return 0;
}
