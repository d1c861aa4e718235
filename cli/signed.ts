/**
 * One SigV4 signer for every IAM route the CLI calls (the agent routes, the admin routes): the request
 * signed for `execute-api` with the caller's credentials, its query string included, ready for fetch.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { StaticCredentials } from './aws.js';

export type SigningCredentials = StaticCredentials & { readonly sessionToken?: string };

/** The fetch init of a signed request to `url` (method, signed headers, the JSON body if any). */
export async function signedInit(
  method: string,
  url: URL,
  body: unknown,
  credentials: SigningCredentials,
  region: string,
): Promise<RequestInit> {
  const payload = body !== undefined ? JSON.stringify(body) : undefined;
  const request = new HttpRequest({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
  const signed = await signer.sign(request);
  return {
    method,
    headers: signed.headers as Record<string, string>,
    ...(payload !== undefined ? { body: payload } : {}),
  };
}

/** An answer of the Refund Hub API as the CLI reads it. */
export interface ApiAnswer {
  readonly status: number;
  /** The JSON body; `{ message }` with the start of the text when it is not JSON. */
  readonly body: Record<string, unknown>;
}

/** The API as one caller (an agent, an operator) reaches it: locally with a token, on AWS signed with SigV4. */
export interface CallerApi {
  /** For messages: `the local server at ...`, or the API URL. */
  readonly target: string;
  /** `path` is relative to the API base (`agent/cases/...`, `admin/refunds?since=...`). */
  request(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
}
