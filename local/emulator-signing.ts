/**
 * Request signing for the emulators on loopback. dynalite refuses a request without a well-formed
 * SigV4 `Authorization` header and fauxqs reads the region from its credential scope, but none of
 * the emulators (nor the local Step Functions API) checks the signature; LocalStack does not check
 * it by default either. Computing real signatures (canonical request, HMAC chain, SHA-256 of the
 * body) cost a tenth of the handler thread, and skipping it made replay 12% faster. So the embedded
 * runtime gives the handlers' clients (and its own) a signer that writes the same header, with the
 * real credential scope and a zero signature. Everything else the clients do (middleware, retries,
 * serialisation, HTTP) stays the real SDK's; on AWS and LocalStack the handlers' clients sign as
 * usual, since only the embedded runtime calls this.
 */

/** The part of an SDK v3 request the signer touches. */
interface SignableRequest {
  headers: Record<string, string>;
}

/** The part of an SDK v3 client's resolved configuration that chooses the signer per request. */
export interface SignedClient {
  readonly config: {
    readonly httpAuthSchemes: { signer: unknown }[];
  };
}

/** What the SDK's auth scheme resolves per request: the service's signing name and region. */
interface SigningProperties {
  readonly name?: string;
  readonly region?: string;
}

const ZERO_SIGNATURE = '0'.repeat(64);

let lastSecond = Number.NaN;
let lastAmzDate = '';

/** Now in the SigV4 format (`20261125T181004Z`), formatted once a second rather than per request. */
function amzDateNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastAmzDate = `${new Date(second * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  }
  return lastAmzDate;
}

/** A signer that writes a well-formed SigV4 header (the real credential scope) without a signature. */
export const emulatorSigner = {
  async sign(
    request: SignableRequest,
    identity: { readonly accessKeyId?: string },
    signingProperties: SigningProperties = {},
  ): Promise<SignableRequest> {
    const date = amzDateNow();
    const scope = [
      identity.accessKeyId ?? 'local',
      date.slice(0, 8),
      signingProperties.region ?? 'us-east-1',
      signingProperties.name ?? 'execute-api',
      'aws4_request',
    ].join('/');
    request.headers['x-amz-date'] = date;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=${ZERO_SIGNATURE}`;
    return request;
  },
};

/**
 * Makes these clients sign with `emulatorSigner`. The SDK reads `config.httpAuthSchemes` on every
 * request, so clients already built at module load (as the handlers' are) take it from the next call.
 */
export function signForEmulators(clients: Iterable<SignedClient>): void {
  for (const client of clients) {
    for (const scheme of client.config.httpAuthSchemes) scheme.signer = emulatorSigner;
  }
}
