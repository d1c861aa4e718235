/**
 * `npm run reconcile -- [--local | --endpoint URL] [--stack NAME] [--json]`: runs reconciliation now
 * (`POST /v1/admin/reconciliation`: the refund ledger against the payment provider; nothing is paid
 * or changed) and prints the disagreements as a table. Exit 0 when the ledger and the provider
 * agree, 1 when anything disagrees (or the run was incomplete), 2 on a usage error.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEFAULT_STACK, requiredOutput } from '../cli/aws.js';
import { CliError } from '../cli/errors.js';
import { LOCAL_STATE_FILE, readLocalServerState } from '../cli/local.js';
import type { Disagreement, ReconcileReport } from '../functions/reconcile/domain.js';

const USAGE = 'Usage: npm run reconcile -- [--local | --endpoint URL] [--stack NAME] [--json]';

/** Where the route is: the local server with its admin token, or an API base URL signed with SigV4. */
export interface ReconcileTarget {
  readonly url: string;
  /** The local server's admin token; none means SigV4 with the default credential chain. */
  readonly adminToken?: string;
}

/** `--local` (the running `npm start`), `--endpoint URL` (an API base URL), or the stack's ApiUrl output. */
export async function targetFrom(
  options: { local?: boolean; endpoint?: string; stack?: string },
  stateFile = LOCAL_STATE_FILE,
): Promise<ReconcileTarget> {
  if (options.local && options.endpoint) throw new CliError('Give --local or --endpoint, not both.', 2);
  if (options.local) {
    const state = readLocalServerState(stateFile) as { apiUrl: string; adminToken?: unknown };
    // Written by newer local servers only: read it without trusting its shape.
    if (typeof state.adminToken !== 'string' || !state.adminToken)
      throw new CliError(
        'The local server published no admin token (adminToken): restart it with npm start.',
      );
    return { url: state.apiUrl, adminToken: state.adminToken };
  }
  if (options.endpoint) {
    try {
      new URL(options.endpoint);
    } catch {
      throw new CliError(
        "--endpoint must be the API's base URL, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1/",
        2,
      );
    }
    return { url: options.endpoint };
  }
  return {
    url: await requiredOutput(new CloudFormationClient({}), options.stack ?? DEFAULT_STACK, 'ApiUrl'),
  };
}

const routeOf = (apiUrl: string) =>
  new URL('admin/reconciliation', apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);

async function headersFor(target: ReconcileTarget, url: URL, body: string): Promise<Record<string, string>> {
  if (target.adminToken)
    return { 'content-type': 'application/json', authorization: `Bearer ${target.adminToken}` };
  const sdk = new CloudFormationClient({});
  const region =
    /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/i.exec(url.hostname)?.[1] ?? (await sdk.config.region());
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: sdk.config.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    }),
  );
  return signed.headers as Record<string, string>;
}

/** `POST /v1/admin/reconciliation` and its report. */
export async function requestReconciliation(target: ReconcileTarget): Promise<ReconcileReport> {
  const url = routeOf(target.url);
  const body = '{}';
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: await headersFor(target, url, body), body });
  } catch (error) {
    const cause = ((error as Error).cause ?? error) as Error;
    throw new CliError(`Could not reach ${url.origin}: ${cause.message ?? String(cause)}`);
  }
  const text = await response.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    answer = { message: text.slice(0, 200) };
  }
  if (response.status !== 200) {
    const error = (answer.error ?? answer) as { code?: string; message?: string; Message?: string };
    throw new CliError(
      `Reconciliation refused by ${url.origin} (${response.status}${error.code ? ` ${error.code}` : ''}): ` +
        `${error.message ?? error.Message ?? response.statusText}`,
    );
  }
  if (!Array.isArray((answer as Partial<ReconcileReport>).disagreements))
    throw new CliError(`${url.origin} answered something that is not a reconciliation report`);
  return answer as unknown as ReconcileReport;
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
  let values: { local?: boolean; endpoint?: string; stack?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        local: { type: 'boolean' },
        endpoint: { type: 'string' },
        stack: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const target = await targetFrom({
    ...(values.local ? { local: true } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values.stack ? { stack: values.stack } : {}),
  });
  const report = await requestReconciliation(target);
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
