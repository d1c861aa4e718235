/**
 * `npm run replay -- FILE.jsonl [--trace] [--concurrency N] [--workers N]`: runs every scenario of the file
 * through the real workflow on the embedded runtime (POLICY.md "Replay format").
 * stdout: one JSON result a line, in input order. stderr: progress and a summary.
 * Exit 0 when everything matches `expect`, 1 on a mismatch or a failed execution, 2 on unreadable input.
 */
import '../local/quiet.js';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { contextOptions } from '../local/context-option.js';
import { EXIT, replay } from '../local/replay.js';
import { runWhatIf } from '../local/what-if-run.js';

const USAGE =
  'usage: npm run replay -- FILE.jsonl [--trace] [--concurrency N] [--workers N] [--no-progress] [--no-expect] [-c refundHub:KEY=VALUE]...\n' +
  '  --concurrency N  executions in flight, across all workers (default 48)\n' +
  '  -c KEY=VALUE     operator configuration, as cdk -c (e.g. -c refundHub:paymentProvider=stripe)\n' +
  '  --config KEY=VALUE  the same, the refundHub: prefix optional (e.g. --config autoRefundMode=approve)\n' +
  '  --what-if KEY=VALUE...  replay twice, as configured and with the change(s): tables on stderr, changed scenarios on\n' +
  '                   stdout (repeatable; `--what-if a=1 b=2` is the same as `--what-if a=1 --what-if b=2`)\n' +
  '                   (the expectations are not checked: a change is meant to change outcomes)\n' +
  "  --no-expect      do not compare results with each scenario's expect (exit 0 unless an execution failed)\n" +
  '  --workers N      processes, each with its own runtime and handler thread, all counting one daily refund budget\n' +
  '                   (default: 1 below 500 scenarios, else half the cores, at most 4; never more than --concurrency)';

let results: Writable;

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  let context: Record<string, unknown> | undefined;
  let entries: string[] = [];
  let change: string[] = [];
  try {
    parsed = parse();
    entries = [...(parsed.values.context ?? []), ...(parsed.values.config ?? []).map(withPrefix)];
    change = [...(parsed.values['what-if'] ?? []), ...parsed.moreChanges].map(withPrefix);
    context = entries.length > 0 ? contextOptions(entries) : undefined;
    contextOptions(change);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.unreadable;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  results = reserveStdoutForResults();
  const [input, ...rest] = positionals;
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (
    !input ||
    rest.length > 0 ||
    (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) ||
    (workers !== undefined && !(Number.isInteger(workers) && workers > 0))
  ) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.unreadable;
  }
  if (change.length > 0) {
    const passThrough = [
      ...(concurrency ? ['--concurrency', String(concurrency)] : []),
      ...(workers ? ['--workers', String(workers)] : []),
      ...(values['no-progress'] ? ['--no-progress'] : []),
    ];
    return runWhatIf({
      input,
      context: entries,
      change,
      passThrough,
      stdout: results,
      stderr: process.stderr,
    });
  }
  const summary = await replay({
    input,
    stdout: results,
    trace: values.trace ?? false,
    ...(concurrency ? { concurrency } : {}),
    ...(workers ? { workers } : {}),
    ...(values['no-progress'] ? { progress: false } : {}),
    ...(values['no-expect'] ? { expectations: false } : {}),
    ...(context ? { context } : {}),
  });
  return summary.exitCode;
}

/**
 * stdout carries result lines only: whatever else would print there (a handler's INFO logs, when
 * POWERTOOLS_LOG_LEVEL asks for them) goes to stderr. Returns the stream for the results.
 */
function reserveStdoutForResults(): Writable {
  const stdout = process.stdout;
  const writeResult = stdout.write.bind(stdout);
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (writeResult(chunk)) callback();
      else stdout.once('drain', () => callback());
    },
  });
}

/** `autoRefundMode=approve` means `refundHub:autoRefundMode=approve`; a key that names its prefix keeps it. */
function withPrefix(entry: string): string {
  return /^[^=]*:/.test(entry) ? entry : `refundHub:${entry}`;
}

/**
 * The arguments; `--what-if a=1 b=2` reads as `--what-if a=1 --what-if b=2` (the words after a `--what-if` up to the
 * next option are all changes), so the file is the one positional left.
 */
function parse() {
  const parsed = parseArgs({
    allowPositionals: true,
    tokens: true,
    options: {
      trace: { type: 'boolean' },
      concurrency: { type: 'string' },
      workers: { type: 'string' },
      'no-progress': { type: 'boolean' },
      'no-expect': { type: 'boolean' },
      context: { type: 'string', short: 'c', multiple: true },
      // POLICY "Replay format": `--config key=value`, the same keys as `-c` (with or without the refundHub: prefix).
      config: { type: 'string', multiple: true },
      'what-if': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const moreChanges: number[] = [];
  let afterWhatIf = false;
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'option') afterWhatIf = token.name === 'what-if';
    else if (token.kind === 'positional' && afterWhatIf && /^[^=\s]+=/.test(token.value))
      moreChanges.push(token.index);
    else afterWhatIf = false;
  }
  const changeTokens = new Set(moreChanges);
  const rest = (parsed.tokens ?? []).filter((t) => t.kind === 'positional' && !changeTokens.has(t.index));
  return {
    values: parsed.values,
    positionals: rest.map((t) => (t.kind === 'positional' ? t.value : '')),
    moreChanges: (parsed.tokens ?? []).flatMap((t) =>
      t.kind === 'positional' && changeTokens.has(t.index) ? [t.value] : [],
    ),
  };
}

// Exit explicitly once the results are flushed: an execution stopped while it waited for an agent
// can leave the Task's timeout timer behind, which would keep the process alive until it fires.
main().then(
  (code) => (results ? results.end(() => process.exit(code)) : process.exit(code)),
  (error: Error) => {
    process.stderr.write(`replay failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
