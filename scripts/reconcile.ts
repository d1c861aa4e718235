/**
 * `npm run reconcile -- [--local | --endpoint URL] [--stack NAME] [--json]`: runs reconciliation now
 * (`POST /v1/admin/reconciliation`: the refund ledger against the payment provider; nothing is paid
 * or changed) and prints the disagreements as a table. Exit 0 when the ledger and the provider
 * agree, 1 when anything disagrees (or the run was incomplete), 2 on a usage error.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AdminApi, adminApiForFlags, describeFailure, parseAdminArgs } from '../cli/admin.js';
import { CliError } from '../cli/errors.js';
import type { Disagreement, ReconcileReport } from '../functions/reconcile/domain.js';

const USAGE = 'Usage: npm run reconcile -- [--local | --endpoint URL] [--stack NAME] [--json]';

/** `POST /v1/admin/reconciliation` and its report. */
export async function requestReconciliation(api: AdminApi): Promise<ReconcileReport> {
  const response = await api.request('POST', 'admin/reconciliation', {});
  if (response.status !== 200)
    throw new CliError(`Reconciliation refused by ${api.target} (${describeFailure(response)})`);
  if (!Array.isArray((response.body as Partial<ReconcileReport>).disagreements))
    throw new CliError(`${api.target} answered something that is not a reconciliation report`);
  return response.body as unknown as ReconcileReport;
}

/** 0 when the ledger and the provider agree on every line asked about; 1 otherwise (an incomplete run proves nothing). */
export const exitCodeOf = (report: ReconcileReport): number =>
  report.disagreements.length > 0 || !report.complete ? 1 : 0;

const COLUMNS = ['kind', 'case', 'charge', 'refund', 'ledger', 'provider', 'detail'] as const;

function row(d: Disagreement): string[] {
  const ledger = `${d.ledger.status} ${d.ledger.amount} ${d.ledger.currency}`;
  const provider = d.provider
    ? [d.provider.status, d.provider.amount, d.provider.currency?.toUpperCase()]
        .filter((v) => v !== undefined)
        .join(' ')
    : '-';
  return [d.kind, d.caseId, d.chargeId, d.providerRefundId ?? '-', ledger, provider, d.detail];
}

/** The report as a plain-text table with a summary line; the detail column is last (it is the longest). */
export function reportTable(report: ReconcileReport): string {
  const summary =
    `${report.lines} ledger line(s), ${report.checked} checked with ${report.provider}, ${report.agreed} agree, ` +
    `${report.disagreements.length} disagreement(s)` +
    (report.otherProvider ? `, ${report.otherProvider} of another provider not asked` : '') +
    (report.complete ? '' : ', INCOMPLETE (out of time: run again)') +
    ` (${report.generatedAt})`;
  if (report.disagreements.length === 0) return `${summary}\n`;
  const rows = [COLUMNS.map(String), ...report.disagreements.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(rows[0] ?? []), ...rows.slice(1).map(line)].join('\n')}\n\n${summary}\n`;
}

export async function main(argv = process.argv.slice(2), io = process): Promise<number> {
  const { values } = parseAdminArgs(argv, { json: { type: 'boolean' } }, USAGE);
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const api = await adminApiForFlags(values);
  const report = await requestReconciliation(api);
  io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : reportTable(report));
  return exitCodeOf(report);
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
