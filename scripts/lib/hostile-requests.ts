/**
 * Hostile requests for every route of the local API (fast-check arbitraries), shared by the
 * property suite (test/local/hostile-input.property.test.ts) and `npm run fuzz`: paths with bad
 * percent-encodings and ids of every length, wrong or missing tokens, Idempotency-Key edge cases,
 * odd query strings and content types, bodies of every JSON type, broken JSON, invisible-only and
 * oversized fields. Also the raw HTTP client both use (node:http: any method, any header bytes).
 */
import { Agent, request } from 'node:http';
import fc from 'fast-check';

export interface HostileRoute {
  readonly httpMethod: string;
  readonly resourcePath: string;
  readonly authorizationType: string;
}

/** Tokens the generator hands out; `forged` is signed with another key. */
export interface HostileTokens {
  /** Customer tokens by customer id. */
  readonly customers: Readonly<Record<string, string>>;
  readonly agent: string;
  readonly forged: string;
}

export interface HostileRequest {
  /** The route the request aims at (`POST /support-requests/{caseId}/callback`), or `(none)`. */
  readonly route: string;
  readonly method: string;
  /** Path and query under the stage prefix, sent as is (no normalisation). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Uint8Array;
}

export interface HostileOptions {
  readonly routes: readonly HostileRoute[];
  readonly tokens: HostileTokens;
  /** Real case ids, so some requests reach a case (the caller's, another customer's, a waiting one). */
  readonly caseIds?: readonly string[];
  /** Include a body of 10 MB + 1 byte (rarely): heavy, the fuzz script only. @default false */
  readonly oversizedBodies?: boolean;
}

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** Percent-encodes every byte of a string (UTF-8), as a client that encodes too much would. */
const encodeAll = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

/** A `{caseId}` path segment, already encoded for the request line. */
function caseIdSegment(caseIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: hex(32).map((h) => `case-${h}`) },
    ...(caseIds.length > 0 ? [{ weight: 6, arbitrary: fc.constantFrom(...caseIds) }] : []),
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '%',
        '%ZZ',
        '%C0',
        '%E0%A4%A',
        '%00',
        '%2F',
        '%25',
        '%FF%FE',
        '%ED%A0%80',
        'a%',
        '%%',
      ),
    },
    { weight: 2, arbitrary: fc.integer({ min: 2049, max: 6000 }).map((n) => `case-${'a'.repeat(n)}`) },
    // Over the server's header limit (16 KB): the HTTP layer's own 431.
    { weight: 1, arbitrary: fc.constant(`case-${'b'.repeat(17_000)}`) },
    { weight: 1, arbitrary: hex(32).map((h) => `CASE-${h.toUpperCase()}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '.',
        '..',
        'case-x',
        "case-'%20OR%201=1",
        '__proto__',
        'constructor',
        'null',
      ),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(encodeAll) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
    },
  );
}

/** A JSON value of any type and shape, some deep, some with huge numbers. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(null, true, false, 0, -0, 1e308, -1e308, 2 ** 53 + 1, '', [], {}, [[[[[]]]]]),
  },
);

/** Text that reads as empty: whitespace and format characters (\p{Cf}), blank fillers. */
const invisibleText = fc.string({
  unit: fc.constantFrom(
    ' ',
    '\t',
    '\n',
    '\u00a0',
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff',
    '\u00ad',
    '\u200e',
    '\u202e',
    '\u3164',
    '\u2800',
  ),
  minLength: 1,
  maxLength: 30,
});

const message = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 200 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'Subscription refund',
      'where is my package?',
      'I was charged twice, refund me',
      'Talk to a person please',
    ),
  },
  { weight: 3, arbitrary: invisibleText },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1990, max: 2100 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant('y'.repeat(100_000)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
);

const phone = fc.oneof(
  fc.constantFrom(
    '+12065550100',
    '+374270820565692',
    '+1',
    '+0123456',
    '12065550100',
    '+1206555010012345',
    '',
  ),
  fc.string({ maxLength: 20 }),
);

/** A body that may pass (valid fields, optional ones sometimes), so requests also reach deep code. */
const plausible = <T extends Record<string, unknown>>(
  fields: { [K in keyof T]: fc.Arbitrary<T[K]> },
  required: (keyof T)[],
) => fc.record(fields, { requiredKeys: required as never });

/** Bodies for the routes that take one: valid ones, ones with one hostile field, other JSON types. */
function jsonBody(resourcePath: string): fc.Arbitrary<unknown> {
  const validMessage = fc.oneof(
    fc.constantFrom(
      'Subscription refund',
      'where is my package?',
      'I was charged twice, refund me',
      'Talk to a person please',
    ),
    fc.string({ minLength: 1, maxLength: 200 }).filter((m) => /[A-Za-z0-9]/.test(m)),
  );
  const validIntake = plausible(
    {
      message: validMessage,
      orderId: fc.constantFrom('ord-1', 'ORD_2'),
      callbackPhone: fc.constantFrom('+12065550100'),
    },
    ['message'],
  );
  const hostileIntake = fc.record(
    {
      message: fc.oneof(message, anyJson),
      orderId: fc.oneof(fc.constantFrom('ord-1', 'ORD_2', '4111111111111111', 'x'.repeat(65), ''), anyJson),
      callbackPhone: fc.oneof(phone, anyJson),
      customerId: fc.constantFrom('C-1001', 'someone-else'),
    },
    { requiredKeys: [] },
  );
  const validCallback = fc.record({ phoneNumber: fc.constantFrom('+12065550100', '+442071838750') });
  const hostileCallback = fc.record(
    { phoneNumber: fc.oneof(phone, anyJson), extra: anyJson },
    { requiredKeys: [] },
  );
  const validResolution = plausible(
    {
      decision: fc.constantFrom('approve_refund', 'goodwill_credit', 'deny', 'resolve'),
      amount: fc.integer({ min: 1, max: 20_000 }),
      note: fc.constantFrom('checked the charge', 'customer asked twice'),
      customerMessage: fc.constantFrom('We checked your request.', 'Your account is secure.'),
    },
    ['decision', 'note'],
  );
  const hostileResolution = fc.record(
    {
      decision: fc.oneof(
        fc.constantFrom('approve_refund', 'goodwill_credit', 'deny', 'refund_everything', ''),
        anyJson,
      ),
      amount: fc.oneof(
        fc.integer({ min: -10, max: 1_000_000 }),
        fc.constantFrom(0, 1.5, 1e21, 2 ** 53 + 2, -1, Number.MAX_VALUE, '100'),
        anyJson,
      ),
      note: fc.oneof(fc.string({ maxLength: 50 }), invisibleText, fc.constant('n'.repeat(2001)), anyJson),
    },
    { requiredKeys: [] },
  );
  const [valid, hostile] = resourcePath.endsWith('/resolution')
    ? [validResolution, hostileResolution]
    : resourcePath.endsWith('/callback')
      ? [validCallback, hostileCallback]
      : resourcePath === '/support-requests'
        ? [validIntake, hostileIntake]
        : [fc.constant({}), anyJson];
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 4, arbitrary: hostile },
    { weight: 2, arbitrary: anyJson },
  );
}

/** Raw body: JSON of the above, or text (and bytes) that is not JSON at all. */
function rawBody(resourcePath: string, oversized: boolean): fc.Arbitrary<string | Uint8Array | undefined> {
  const body = fc.oneof(
    { weight: 8, arbitrary: jsonBody(resourcePath).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"message":',
        'null',
        'undefined',
        '\u0000',
        '\ufeff{"message":"hi"}',
        '{"message":"hi"}garbage',
        '{"message":"a","message":1}',
        '{"message":"\\ud800"}',
        '{"message":"hi","__proto__":{"isAdmin":true}}',
        '{"amount":1e400,"decision":"approve_refund","note":"n"}',
        '{"amount":123456789012345678901234567890,"decision":"approve_refund","note":"n"}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        'message=hi',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    // Not UTF-8 at all.
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }) },
  );
  if (!oversized) return body;
  // One in a few hundred: 10 MB + 1 byte of otherwise valid JSON.
  return fc.oneof(
    { weight: 299, arbitrary: body },
    { weight: 1, arbitrary: fc.constant(`"${'z'.repeat(MAX_BODY_BYTES - 1)}"`) },
  );
}

/** The opaque message-center cursor: base64url JSON, of the right and wrong shapes. */
function nextToken(customerIds: readonly string[]): fc.Arbitrary<string> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const customerId = fc.constantFrom(...customerIds, 'C-someone-else');
  const messageKey = fc.oneof(
    hex(32).map((h) => `case-${h}#outcome`),
    fc.string({ maxLength: 40 }),
    fc.constant('m'.repeat(2000)),
    anyJson,
  );
  const sentAt = fc.oneof(fc.constant('2026-03-20T12:00:00.000Z'), fc.string({ maxLength: 30 }), anyJson);
  return fc.oneof(
    fc
      .record({ customerId, messageKey, sentAt, extra: anyJson }, { requiredKeys: ['customerId'] })
      .map(encode),
    customerId.map((id) => encode({ customerId: id, messageKey: { S: 'x' }, sentAt: ['now'] })),
    customerId.map((id) => encode({ customerId: id, sk: 'x' })),
    anyJson.map(encode),
    fc.string({ maxLength: 60 }).map(encodeURIComponent),
    fc.constantFrom('', '%', '====', 'bnVsbA', 'W10'),
  );
}

const limitValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '1',
    '20',
    '100',
    '101',
    '-1',
    '1e2',
    '1.5',
    'NaN',
    'Infinity',
    '0x10',
    '%20%205',
    '99999999999999999999',
    '[]',
    '%',
  ),
  fc.integer().map(String),
);

function queryString(resourcePath: string, customerIds: readonly string[]): fc.Arbitrary<string> {
  const pairs = fc.array(
    fc.oneof(
      ...(resourcePath === '/messages'
        ? [limitValue.map((v) => `limit=${v}`), nextToken(customerIds).map((t) => `nextToken=${t}`)]
        : []),
      fc
        .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }))
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
      fc.constantFrom('%', 'a=%ZZ', '&&', '=', 'limit', 'nextToken', '__proto__=1', 'limit=1&limit=2'),
    ),
    { maxLength: 4 },
  );
  return pairs.map((list) => (list.length === 0 ? '' : `?${list.join('&')}`));
}

/** Header values node:http accepts (no CR/LF/NUL; latin-1 bytes are obs-text). */
const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

const idempotencyKey = fc.oneof(
  fc.constantFrom('', ' ', '\t', 'k-1', 'has space', 'é', 'k'.repeat(255), 'k'.repeat(256), 'k'.repeat(8000)),
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 40,
  }),
  headerText,
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;;;',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/xml',
  '*/*',
);

function authorization(route: HostileRoute, tokens: HostileTokens): fc.Arbitrary<string | undefined> {
  const customerTokens = Object.values(tokens.customers);
  const right =
    route.authorizationType === 'AWS_IAM' ? fc.constant(tokens.agent) : fc.constantFrom(...customerTokens);
  const wrong =
    route.authorizationType === 'AWS_IAM' ? fc.constantFrom(...customerTokens) : fc.constant(tokens.agent);
  return fc.oneof(
    { weight: 12, arbitrary: right.map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: right },
    { weight: 2, arbitrary: wrong.map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${tokens.forged}`) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          'Bearer a.b.c',
          'Bearer e30.e30.',
          'bearer    x',
        ),
        right.map((t) => `Bearer ${t}x`),
        right.map((t) => `Bearer ${t.split('.').slice(0, 2).join('.')}.`),
        headerText,
      ),
    },
  );
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO', 'get', 'PROPFIND'];

/** One hostile request aimed at `route`. */
function requestFor(route: HostileRoute, options: HostileOptions): fc.Arbitrary<HostileRequest> {
  const customerIds = Object.keys(options.tokens.customers);
  const path = caseIdSegment(options.caseIds ?? []).map((segment) =>
    route.resourcePath.replace(/\{[^}]+\}/g, segment),
  );
  return fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(route.httpMethod) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path,
      trailingSlash: fc.boolean(),
      query: queryString(route.resourcePath, customerIds),
      authorization: authorization(route, options.tokens),
      contentType: fc.option(contentType, { nil: undefined, freq: 8 }),
      idempotencyKey: fc.option(fc.oneof(idempotencyKey, fc.tuple(idempotencyKey, idempotencyKey)), {
        nil: undefined,
        freq: 2,
      }),
      extraHeaders: fc.dictionary(
        fc.constantFrom(
          'x-forwarded-for',
          'accept',
          'accept-encoding',
          'content-encoding',
          'user-agent',
          'x-amz-date',
          'cookie',
          'origin',
          'x-http-method-override',
        ),
        headerText,
        { maxKeys: 3 },
      ),
      body: rawBody(route.resourcePath, options.oversizedBodies ?? false),
    })
    .map((r) => {
      const headers: Record<string, string | readonly string[]> = { ...r.extraHeaders };
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
      // A body is sent where the method allows one in node:http (not on GET/HEAD, which would hang clients).
      const takesBody = !['GET', 'HEAD'].includes(r.method.toUpperCase());
      return {
        route: `${route.httpMethod} ${route.resourcePath}`,
        method: r.method,
        target: `${r.path}${r.trailingSlash ? '/' : ''}${r.query}`,
        headers,
        ...(takesBody && r.body !== undefined ? { body: r.body } : {}),
      };
    });
}

/** Requests outside every route: unknown paths, traversal, encodings, the bare stage. */
function strayRequest(options: HostileOptions): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      method: fc.constantFrom(...METHODS),
      target: fc.oneof(
        fc.constantFrom(
          '',
          '/',
          '/%',
          '/support-requests/',
          '/support-requests//callback',
          '/../v1/messages',
          '/agent',
          '/agent/cases',
          '/messages/%ZZ',
          '/support-requests?%',
        ),
        fc.string({ maxLength: 30 }).map((s) => `/${encodeURIComponent(s)}`),
      ),
      token: fc.constantFrom(options.tokens.agent, ...Object.values(options.tokens.customers)),
    })
    .map((r) => ({
      route: '(none)',
      method: r.method,
      target: r.target,
      headers: { authorization: `Bearer ${r.token}` },
    }));
}

/** A hostile request to any route of the API (or none). */
export function hostileRequest(options: HostileOptions): fc.Arbitrary<HostileRequest> {
  return fc.oneof(...options.routes.map((route) => ({ weight: 10, arbitrary: requestFor(route, options) })), {
    weight: 2,
    arbitrary: strayRequest(options),
  });
}

export interface HostileResponse {
  readonly status: number;
  readonly body: string;
}

/** Sends a request exactly as generated (raw target, raw headers) over node:http. */
export function sendHostile(
  origin: string,
  stagePrefix: string,
  hostile: HostileRequest,
  agent: Agent,
  timeoutMs = 30_000,
): Promise<HostileResponse> {
  const url = new URL(origin);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`Hostile requests go to loopback only, not ${url.hostname}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        method: hostile.method,
        path: `${stagePrefix}${hostile.target}` || '/',
        // node:http frames no body on DELETE/OPTIONS by itself: the bytes would read as the next request.
        headers: {
          ...(hostile.headers as Record<string, string | string[]>),
          ...(hostile.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(hostile.body)) }
            : {}),
        },
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(hostile.body);
  });
}

/** Keep-alive agent with bounded sockets. */
export const hostileAgent = (maxSockets: number) => new Agent({ keepAlive: true, maxSockets });

/** A short, printable description of a request (long parts cut). */
export function describeHostile(hostile: HostileRequest): string {
  const cut = (text: string, n = 160) =>
    text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text;
  const headers = Object.entries(hostile.headers)
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${cut(JSON.stringify(value), 80)}`);
  return [
    `${hostile.method} ${cut(hostile.target)}`,
    ...headers,
    ...(hostile.body !== undefined ? [`body: ${cut(JSON.stringify(hostile.body))}`] : []),
  ].join('\n  ');
}
