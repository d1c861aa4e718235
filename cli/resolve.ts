/**
 * An agent's resolution (issue #5): `POST /v1/agent/cases/{caseId}/resolution` with
 * `{ decision, amount?, currency?, note }`. Locally with the local server's agent token; on AWS and LocalStack
 * SigV4-signed for `execute-api` (the route is IAM-authorized).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { StaticCredentials } from './aws.js';
import { CliError, UsageError } from './errors.js';
import type { LocalServerState } from './local.js';

export const DECISIONS = ['approve_refund', 'goodwill_credit', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface ResolutionBody {
  readonly decision: Decision;
  readonly amount?: number;
  /** The currency of an approval on a case with charges in several (ISO 4217, e.g. EUR). */
  readonly currency?: string;
  readonly note: string;
}

export function resolutionBody(
  decision: string,
  amount: string | undefined,
  note: string | undefined,
  currency?: string,
): ResolutionBody {
  if (!(DECISIONS as readonly string[]).includes(decision)) {
    throw new UsageError(`decision must be one of ${DECISIONS.join(', ')}, got ${decision}`);
  }
  let minor: number | undefined;
  if (amount !== undefined) {
    if (!/^\d+$/.test(amount) || Number(amount) <= 0) {
      throw new UsageError(
        `amount is in minor units (cents), a positive whole number such as 1499 for $14.99; got ${amount}`,
      );
    }
    minor = Number(amount);
  }
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    throw new UsageError(`currency is an ISO 4217 code such as EUR; got ${currency}`);
  }
  const text = note?.trim() || `${decision} (refund-hub CLI)`;
  return {
    decision: decision as Decision,
    ...(minor !== undefined ? { amount: minor } : {}),
    ...(currency !== undefined ? { currency } : {}),
    note: text,
  };
}

/** `<base>agent/cases/<caseId>/resolution`, whatever the base's trailing slash. */
export function resolutionUrl(apiUrl: string, caseId: string): string {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return new URL(`agent/cases/${encodeURIComponent(caseId)}/resolution`, base).toString();
}

/**
 * The stack's `ApiUrl` output on LocalStack names an AWS host (`<id>.execute-api.<region>.amazonaws.com`)
 * that does not resolve; LocalStack serves the stage at `<endpoint>/restapis/<id>/<stage>/_user_request_/`.
 */
export function localstackApiUrl(apiUrl: string, endpoint: string): string {
  const url = new URL(apiUrl);
  const apiId = url.hostname.split('.')[0];
  const stage = url.pathname.split('/').filter(Boolean)[0] ?? 'v1';
  return `${endpoint.replace(/\/+$/, '')}/restapis/${apiId}/${stage}/_user_request_/`;
}

export interface ResolutionResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function send(url: string, init: RequestInit, target: string): Promise<ResolutionResponse> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    // fetch wraps ECONNREFUSED in a TypeError whose cause carries the code: let explain() see it.
    const cause = (error as Error).cause ?? error;
    throw Object.assign(new Error(`Could not reach ${url}: ${(cause as Error).message ?? String(cause)}`), {
      cause,
      target,
    });
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  if (!response.ok) {
    const error = (body.error ?? body) as { code?: string; message?: string; Message?: string };
    const message = error.message ?? error.Message ?? (text.slice(0, 200) || response.statusText);
    throw new CliError(
      `Resolution refused (${response.status}${error.code ? ` ${error.code}` : ''}): ${message}`,
    );
  }
  return { status: response.status, body };
}

/** On the running local server: the agent token stands in for SigV4. */
export function resolveLocal(state: LocalServerState, caseId: string, body: ResolutionBody) {
  return send(
    resolutionUrl(state.apiUrl, caseId),
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${state.agentToken}` },
      body: JSON.stringify(body),
    },
    'the local server',
  );
}

/** On AWS or LocalStack: SigV4 for `execute-api` with the caller's credentials. */
export async function resolveSigned(
  apiUrl: string,
  caseId: string,
  body: ResolutionBody,
  credentials: StaticCredentials & { sessionToken?: string },
  region: string,
): Promise<ResolutionResponse> {
  const url = new URL(resolutionUrl(apiUrl, caseId));
  const payload = JSON.stringify(body);
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body: payload,
  });
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
  const signed = await signer.sign(request);
  return send(
    url.toString(),
    { method: 'POST', headers: signed.headers as Record<string, string>, body: payload },
    'AWS',
  );
}
