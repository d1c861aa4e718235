/**
 * `npm run import -- FILE.jsonl [--local | --endpoint URL] [--stack NAME] [--concurrency N]`:
 * loads accounts written in the account part of the replay format (POLICY.md: `customer`,
 * `subscriptions`, `charges`, `orders`; other fields are ignored) with one
 * `PUT /v1/admin/customers/{id}/account` per line. Progress on stderr; exit 1 if any line failed.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AdminApi, adminApiForFlags, describeFailure, parseAdminArgs } from '../cli/admin.js';
import { CliError } from '../cli/errors.js';
import { type Progress, progress } from '../cli/progress.js';

export interface AccountLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly customerId: string;
  readonly body: {
    readonly profile: Record<string, unknown>;
    readonly subscriptions?: unknown;
    readonly charges?: unknown;
    readonly orders?: unknown;
  };
}

export interface LineFailure {
  readonly line: number;
  readonly customerId?: string;
  readonly message: string;
}

/** Each non-empty line as an account PUT, or the reason it is not one. */
export function parseAccountLines(text: string): { accounts: AccountLine[]; failures: LineFailure[] } {
  const accounts: AccountLine[] = [];
  const failures: LineFailure[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      failures.push({ line, message: 'not valid JSON' });
      return;
    }
    const record = value as Record<string, unknown> | null;
    const customer =
      record && typeof record === 'object' ? (record.customer as Record<string, unknown>) : undefined;
    const customerId = customer && typeof customer === 'object' ? customer.id : undefined;
    if (typeof customerId !== 'string' || customerId === '') {
      failures.push({ line, message: 'no customer.id (each line needs { "customer": { "id": ... } })' });
      return;
    }
    const body = {
      profile: customer as Record<string, unknown>,
      ...(record?.subscriptions !== undefined ? { subscriptions: record.subscriptions } : {}),
      ...(record?.charges !== undefined ? { charges: record.charges } : {}),
      ...(record?.orders !== undefined ? { orders: record.orders } : {}),
    };
    accounts.push({ line, customerId, body });
  });
  return { accounts, failures };
}

/** Answers worth sending the same (idempotent) PUT again for. */
const RETRYABLE = new Set([429, 502, 503, 504]);

export interface ImportOptions {
  /** PUTs in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Attempts per line on a retryable answer (503 retry_safe, throttling). @default 4 */
  readonly attempts?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ImportResult {
  readonly imported: number;
  readonly written: { profile: number; subscriptions: number; charges: number; orders: number };
  readonly failures: LineFailure[];
}

/** PUTs every account, `concurrency` at a time; a failure of one line never stops the others. */
export async function importAccounts(
  api: AdminApi,
  accounts: readonly AccountLine[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const attempts = Math.max(1, options.attempts ?? 4);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const written = { profile: 0, subscriptions: 0, charges: 0, orders: 0 };
  const failures: LineFailure[] = [];
  let imported = 0;
  let done = 0;
  let next = 0;

  const putOne = async (account: AccountLine) => {
    const route = `admin/customers/${encodeURIComponent(account.customerId)}/account`;
    let failure = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(200 * 2 ** (attempt - 2));
      try {
        const response = await api.request('PUT', route, account.body);
        if (response.status === 200) {
          const counts = (response.body.written ?? {}) as Partial<typeof written>;
          for (const key of Object.keys(written) as (keyof typeof written)[])
            written[key] += counts[key] ?? 0;
          imported++;
          return;
        }
        failure = describeFailure(response);
        if (!RETRYABLE.has(response.status)) break;
      } catch (error) {
        failure = (error as Error).message;
      }
    }
    failures.push({ line: account.line, customerId: account.customerId, message: failure });
  };

  const worker = async () => {
    while (next < accounts.length) {
      const account = accounts[next++] as AccountLine;
      await putOne(account);
      done++;
      options.onProgress?.(done, accounts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
  failures.sort((a, b) => a.line - b.line);
  return { imported, written, failures };
}

/** `imported 120/500 (38.2/s)`, on one line on a terminal, else about every 5%. */
function progressReporter(stream: NodeJS.WriteStream) {
  let bar: Progress | undefined;
  return (done: number, total: number) => {
    bar ??= progress(stream, total, true, {
      unit: 'accounts',
      plainEvery: 0.05,
      plainLine: (d, t, perSecond) => `imported ${d}/${t} (${perSecond.toFixed(1)}/s)`,
    });
    bar.update(done);
    if (done === total) bar.end();
  };
}

const USAGE =
  'Usage: npm run import -- FILE.jsonl [--local | --endpoint URL] [--stack NAME] [--concurrency N]';

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values, positionals } = parseAdminArgs(argv, { concurrency: { type: 'string' } }, USAGE, true);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new CliError(USAGE, 2);
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new CliError(`--concurrency must be a whole number from 1 to 64, got ${values.concurrency}`, 2);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }

  const { accounts, failures: unreadable } = parseAccountLines(text);
  const api = await adminApiForFlags(values);
  process.stderr.write(`Importing ${accounts.length} account(s) from ${file} into ${api.target}\n`);
  const started = performance.now();
  const result = await importAccounts(api, accounts, {
    concurrency,
    onProgress: progressReporter(process.stderr),
  });
  const seconds = (performance.now() - started) / 1000;
  const failures = [...unreadable, ...result.failures].sort((a, b) => a.line - b.line);
  const w = result.written;
  process.stderr.write(
    `Imported ${result.imported} of ${accounts.length + unreadable.length} line(s) in ${seconds.toFixed(1)} s: ` +
      `${w.profile} profile(s), ${w.subscriptions} subscription(s), ${w.charges} charge(s), ${w.orders} order(s).\n`,
  );
  if (failures.length === 0) return 0;
  process.stderr.write(`${failures.length} line(s) failed:\n`);
  for (const f of failures)
    process.stderr.write(
      `  line ${f.line}${f.customerId ? ` (customer ${f.customerId})` : ''}: ${f.message}\n`,
    );
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(error instanceof CliError ? error.exitCode : 1);
    },
  );
}
