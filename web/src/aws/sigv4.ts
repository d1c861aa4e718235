/**
 * SigV4 for the agent routes (IAM-authorized, service execute-api), signed in the browser with the identity
 * pool's temporary credentials.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface PlainRequest {
  readonly url: string;
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * The request with `authorization`, `x-amz-date` and (temporary credentials) `x-amz-security-token` added. The
 * `host` it was signed with is left out: a browser sets it itself (and refuses to be told).
 */
export async function signRequest(
  request: PlainRequest,
  credentials: AwsCredentials,
  region: string,
  signingDate: Date = new Date(),
): Promise<PlainRequest> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials,
    sha256: Sha256,
    // execute-api does not read x-amz-content-sha256; the payload hash is in the signature all the same.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    { signingDate },
  );
  const headers = Object.fromEntries(
    Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'),
  );
  return { ...request, method, headers };
}
