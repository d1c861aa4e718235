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
