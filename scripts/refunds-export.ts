/**
 * `npm run refunds:export -- [--out FILE] [--since ISO] [--status pending,succeeded] [--local | --endpoint URL] [--stack NAME]`:
 * what to pay out of band with the `ledger` payment provider, as CSV: one row per ledger refund
 * line and per ledger goodwill credit, from `GET /v1/admin/refunds` (every page). Stdout by default.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { type AdminApi, adminApiForFlags, describeFailure, parseAdminArgs } from '../cli/admin.js';
import { CliError } from '../cli/errors.js';
import type { CreditLine, RefundLine } from '../functions/admin-refunds/domain.js';

/** What an operator pays: refunds still owed (pending) and recorded (succeeded); failed or canceled ones are not money owed. */
export const DEFAULT_STATUSES = ['pending', 'succeeded'] as const;

export const CSV_COLUMNS = [
  'kind',
  'caseId',
  'customerId',
  'chargeId',
  'amountMinor',
  'amount',
  'currency',
  'status',
  'at',
  'idempotencyKey',
] as const;

/** The currency's own number of decimals (JPY 0, USD 2, KWD 3), from Intl. */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** 1499 USD → `14.99`, 1499 JPY → `1499`, 5 KWD → `0.005`: integer arithmetic on the digits, never floating point. */
export function decimalAmount(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export interface ExportFilters {
  readonly statuses: readonly string[];
  readonly since?: string;
}

/** Every ledger-provider refund line and credit matching the filters, across every page. */
export async function fetchLedgerPayouts(
  api: AdminApi,
  filters: ExportFilters,
): Promise<{ refunds: RefundLine[]; credits: CreditLine[] }> {
  const refunds: RefundLine[] = [];
  const credits: CreditLine[] = [];
  let nextToken: string | undefined;
  do {
    const query = new URLSearchParams({ provider: 'ledger', status: filters.statuses.join(',') });
    if (filters.since) query.set('since', filters.since);
    if (nextToken) query.set('nextToken', nextToken);
    const response = await api.request('GET', `admin/refunds?${query}`);
    if (response.status !== 200) throw new CliError(`GET admin/refunds failed: ${describeFailure(response)}`);
    refunds.push(...((response.body.refunds ?? []) as RefundLine[]));
    credits.push(...((response.body.credits ?? []) as CreditLine[]));
    nextToken = typeof response.body.nextToken === 'string' ? response.body.nextToken : undefined;
  } while (nextToken);
  return { refunds, credits };
}

/** The CSV, oldest first; refunds and credits together. */
export function payoutCsv(refunds: readonly RefundLine[], credits: readonly CreditLine[]): string {
  const rows = [...refunds, ...credits]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.caseId.localeCompare(b.caseId))
    .map((line) => ({
      kind: line.kind,
      caseId: line.caseId,
      customerId: line.customerId,
      chargeId: line.kind === 'refund' ? line.chargeId : '',
      amountMinor: line.amount,
      amount: decimalAmount(line.amount, line.currency),
      currency: line.currency,
      status: line.status,
      at: line.at,
      idempotencyKey: line.idempotencyKey,
    }));
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}

/** `USD 129.97 (3 rows), EUR 12.00 (1 row)`: one total per currency, never added across them. */
export function totalsLine(lines: readonly (RefundLine | CreditLine)[]): string {
  const totals = new Map<string, { minor: number; rows: number }>();
  for (const line of lines) {
    const total = totals.get(line.currency) ?? { minor: 0, rows: 0 };
    totals.set(line.currency, { minor: total.minor + line.amount, rows: total.rows + 1 });
  }
  return [...totals]
    .map(
      ([currency, t]) =>
        `${currency} ${decimalAmount(t.minor, currency)} (${t.rows} row${t.rows === 1 ? '' : 's'})`,
    )
    .join(', ');
}

const USAGE =
  'Usage: npm run refunds:export -- [--out FILE] [--since ISO] [--status pending,succeeded] [--local | --endpoint URL] [--stack NAME]';

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseAdminArgs(
    argv,
    { out: { type: 'string' }, since: { type: 'string' }, status: { type: 'string', multiple: true } },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const statuses = values.status
    ?.flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean) ?? [...DEFAULT_STATUSES];
  const api = await adminApiForFlags(values);
  const { refunds, credits } = await fetchLedgerPayouts(api, {
    statuses,
    ...(values.since ? { since: values.since } : {}),
  });
  const csv = payoutCsv(refunds, credits);
  if (values.out) writeFileSync(values.out, csv);
  else process.stdout.write(csv);
  const totals = totalsLine([...refunds, ...credits]);
  process.stderr.write(
    `${refunds.length} refund line(s) and ${credits.length} credit(s) (status ${statuses.join(', ')})` +
      `${values.out ? ` written to ${values.out}` : ''}${totals ? `: ${totals}` : ''}\n`,
  );
  return 0;
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
