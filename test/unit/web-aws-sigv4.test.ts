import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AwsCredentials, signRequest } from '../../web/src/aws/sigv4.js';

const credentials: AwsCredentials = {
  accessKeyId: 'ASIAEXAMPLEAGENT0001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==',
};
const when = new Date('2026-12-02T07:30:00.000Z');
const api = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * SigV4 written out from the AWS documentation ("Create a signed AWS API request"), independently of the signer
 * the page uses: canonical request, string to sign, derived key, signature.
 */
function expectedAuthorization(method: string, url: string, headers: Record<string, string>, body = '') {
  const { host, pathname, searchParams } = new URL(url);
  const amzDate = when.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const all: Record<string, string> = {
    ...headers,
    host,
    'x-amz-date': amzDate,
    'x-amz-security-token': credentials.sessionToken ?? '',
  };
  const names = Object.keys(all)
    .map((n) => n.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((n) => `${n}:${String(all[n]).trim()}\n`).join('');
  const canonicalQuery = [...searchParams]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a, x], [b, y]) => (a === b ? (x ?? '').localeCompare(y ?? '') : (a ?? '').localeCompare(b ?? '')))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  // execute-api: every path segment URI-encoded (once more after the URL's own encoding).
  const canonicalPath = pathname
    .split('/')
    .map((segment) => encode(segment))
    .join('/');
  const canonicalRequest = [
    method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    names.join(';'),
    sha256(body),
  ].join('\n');
  const scope = `${day}/eu-west-1/execute-api/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = ['eu-west-1', 'execute-api', 'aws4_request'].reduce<Buffer>(
    (k, part) => hmac(k, part),
    hmac(`AWS4${credentials.secretAccessKey}`, day),
  );
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    amzDate,
    canonicalRequest,
  };
}

describe('SigV4 for the agent routes (execute-api)', () => {
  it('signs a queue read with its query string exactly as the documented algorithm does', async () => {
    // Prepare
    const url = `${api}/v1/agent/cases?queue=billing&status=awaiting_agent,claimed&limit=25`;

    // Act
    const signed = await signRequest({ url, method: 'get', headers: {} }, credentials, 'eu-west-1', when);

    // Assess
    const expected = expectedAuthorization('GET', url, {});
    expect(expected.canonicalRequest).toContain('limit=25&queue=billing&status=awaiting_agent%2Cclaimed');
    expect(signed.headers.authorization).toBe(expected.authorization);
    expect(signed.headers['x-amz-date']).toBe(expected.amzDate);
    expect(signed.headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(signed.method).toBe('GET');
    // The browser sets Host itself and refuses a page that tries to.
    expect(Object.keys(signed.headers).map((h) => h.toLowerCase())).not.toContain('host');
  });

  it('covers a decision body and the headers sent with it (content-type, idempotency key)', async () => {
    const url = `${api}/v1/agent/cases/case-0123456789abcdef0123456789abcdef/resolution`;
    const body = JSON.stringify({
      decision: 'refund',
      chargeIds: ['ch_1'],
      customerMessage: 'Refunded: €12.00',
    });
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'resolve-1' };

    const signed = await signRequest({ url, method: 'POST', headers, body }, credentials, 'eu-west-1', when);

    const expected = expectedAuthorization('POST', url, headers, body);
    expect(signed.headers.authorization).toBe(expected.authorization);
    expect(signed.headers.authorization).toContain(
      'SignedHeaders=content-type;host;idempotency-key;x-amz-date;x-amz-security-token,',
    );
    expect(signed.body).toBe(body);
    // A changed body no longer matches the signature.
    const tampered = expectedAuthorization('POST', url, headers, body.replace('12.00', '99.00'));
    expect(signed.headers.authorization).not.toBe(tampered.authorization);
  });

  it('names the region and the day in the credential scope', async () => {
    const signed = await signRequest(
      { url: `${api}/v1/agent/cases?queue=general`, method: 'GET', headers: {} },
      credentials,
      'eu-west-1',
      when,
    );
    expect(signed.headers.authorization).toMatch(
      /Credential=ASIAEXAMPLEAGENT0001\/20261202\/eu-west-1\/execute-api\/aws4_request/,
    );
  });
});
