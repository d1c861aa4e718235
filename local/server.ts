/**
 * `npm start`: the Refund Hub API on localhost, on the embedded runtime. Every route comes from the
 * synthesized template (`AWS::ApiGateway::Method`s), each request becomes the API Gateway REST proxy
 * event the function gets on AWS, and the function's real handler answers it.
 *
 * Auth stands in for the gateway's authorizers: Cognito routes take a customer JWT (`sub` is the
 * customer id), AWS_IAM routes an agent JWT (`role: "agent"`), or under `/admin/` an admin JWT
 * (`role: "admin"`), all signed with the local key.
 *
 *   PORT=3000 npm start -- [--data-dir DIR] [--keep-executions N] [--keep-execution-names N]
 */
import './quiet.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import AjvDraft04, { type ValidateFunction } from 'ajv-draft-04';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { QUEUES } from '../functions/shared/types.js';
import { PROJECT_ROOT } from '../lib/paths.js';
import { bearerToken, createLocalAuth, type LocalAuth, LocalAuthError, type LocalPrincipal } from './auth.js';
import { contextOptions } from './context-option.js';
import type { LambdaHandler } from './executor.js';
import { lambdaContext } from './lambda-context.js';
import type { LocalRuntime } from './runtime.js';
import { LOCAL_ACCOUNT, type LocalApiRoute } from './template.js';
import { type WebAppOptions, webAppHandler } from './web-app.js';

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  readonly route: LocalApiRoute;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly handler: LambdaHandler;
  readonly functionName: string;
  /** The route's request model, compiled once (API Gateway models are JSON Schema draft 4). */
  readonly validateBody?: ValidateFunction;
}

export interface ApiServerOptions {
  /** Port to listen on; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default a new LocalAuth (LOCAL_JWT_SECRET or a random key) */
  readonly auth?: LocalAuth;
  /** Serve the web chat and agent console (web/dist) and their dev-only sign-in routes beside the API. @default off */
  readonly web?: WebAppOptions;
  /**
   * Gets one line per API request (`method route-template status ms`) and one per alarm the request would fire on AWS
   * (API 5xx, the route's function failing). `npm start` prints them; tests leave it off, so they stay quiet.
   */
  readonly requestLog?: (line: string) => void;
}

/** The request log's line: the route's template, not the path, so the ids in it stay out of the log. */
export function requestLine(method: string, route: string, status: number, ms: number): string {
  return `${method} ${route} ${status} ${Math.round(ms)}ms`;
}

export interface ApiServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseUrl: string;
  readonly auth: LocalAuth;
  readonly routes: readonly LocalApiRoute[];
  close(): Promise<void>;
}

class GatewayError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** `/support-requests/{caseId}` → a regex with one capture per path parameter (`{proxy+}` is greedy). */
function compile(resourcePath: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = resourcePath
    .split('/')
    .map((segment) => {
      const param = /^\{([^}+]+)(\+?)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1] as string);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source === '' ? '/' : source}/?$`), params };
}

const tooLarge = () => new GatewayError(413, 'payload_too_large', 'The request body is larger than 10 MB.');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // Stop keeping the body but keep reading it: a socket closed under a client still sending
      // resets the connection before the client reads the 413.
      req.off('data', onData);
      req.resume();
      chunks.length = 0;
      reject(tooLarge());
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** How long a client still sending a refused body is read (and discarded) before its connection is closed. */
const DRAIN_MS = 10_000;

/** The request target's path and query, split as the gateway does (no URL resolution: `//host/...` is a path). */
function targetOf(rawUrl: string): { pathname: string; search: URLSearchParams } {
  const cut = rawUrl.search(/[?#]/);
  const pathname = cut === -1 ? rawUrl : rawUrl.slice(0, cut);
  const query = cut === -1 || rawUrl[cut] === '#' ? '' : rawUrl.slice(cut + 1).split('#')[0];
  if (!pathname.startsWith('/'))
    throw new GatewayError(400, 'bad_request', 'The request target must be a path.');
  return { pathname, search: new URLSearchParams(query) };
}

/** A path parameter as API Gateway hands it to the function: percent-decoded; a malformed escape is a 400. */
function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new GatewayError(400, 'bad_request', 'The path has a malformed percent-encoding.');
  }
}

/** Name → values, in order; plain objects only at the end, so a name like `__proto__` is just a name. */
function grouped(pairs: Iterable<readonly [string, string]>) {
  const lists = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const list = lists.get(name);
    if (list) list.push(value);
    else lists.set(name, [value]);
  }
  if (lists.size === 0) return { single: null, multi: null };
  return {
    single: Object.fromEntries([...lists].map(([name, values]) => [name, values.at(-1) as string])),
    multi: Object.fromEntries(lists),
  };
}

function* rawPairs(raw: readonly string[]): Generator<readonly [string, string]> {
  for (let i = 0; i + 1 < raw.length; i += 2) yield [raw[i] as string, raw[i + 1] as string];
}

/** Headers as the client sent them (API Gateway keeps their case); repeated ones also in `multiValueHeaders`. */
function headersOf(req: IncomingMessage) {
  const { single, multi } = grouped(rawPairs(req.rawHeaders));
  return { headers: single ?? {}, multiValueHeaders: multi ?? {} };
}

const queryOf = (search: URLSearchParams) => grouped(search);

/**
 * A refused body is still read (and dropped) for a while: closing a connection the client is still
 * sending on resets it, and the client never reads the 413.
 */
function drainRefusedBody(req: IncomingMessage) {
  if (req.complete) return;
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
}

function send(
  res: ServerResponse,
  statusCode: number,
  body: string,
  headers: Record<string, string | string[]>,
  requestId: string,
) {
  res.writeHead(statusCode, {
    'content-type': 'application/json',
    ...headers,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/** Serves the template's routes on the runtime's real handlers. */
export async function startApiServer(
  runtime: LocalRuntime,
  options: ApiServerOptions = {},
): Promise<ApiServer> {
  const auth = options.auth ?? createLocalAuth();
  const webApp = options.web ? webAppHandler(auth, options.web) : undefined;
  const stage = runtime.topology.apiStageName;
  const stagePrefix = `/${stage}`;
  // A CommonJS module: its default export is the module itself, whose `default` is the class.
  const ajv = new AjvDraft04.default();
  const routes: CompiledRoute[] = runtime.topology.apiRoutes.map((route) => {
    const fn = runtime.topology.functions.find((f) => f.logicalId === route.functionLogicalId);
    if (!fn)
      throw new Error(
        `Route ${route.httpMethod} ${route.resourcePath}: no function ${route.functionLogicalId}`,
      );
    return {
      route,
      ...compile(route.resourcePath),
      handler: runtime.handler(fn.entry),
      functionName: fn.logicalId,
      ...(route.requestSchema ? { validateBody: ajv.compile(route.requestSchema) } : {}),
    };
  });

  const match = (method: string, resourcePath: string) => {
    let pathMatched: string[] = [];
    for (const compiled of routes) {
      const found = compiled.pattern.exec(resourcePath);
      if (!found) continue;
      if (compiled.route.httpMethod !== method && compiled.route.httpMethod !== 'ANY') {
        pathMatched = [...pathMatched, compiled.route.httpMethod];
        continue;
      }
      const pathParameters: Record<string, string> = {};
      compiled.params.forEach((name, i) => {
        pathParameters[name] = decodePathParameter(found[i + 1] as string);
      });
      return { compiled, pathParameters };
    }
    const allowed = pathMatched.length > 0 ? ` (this path takes ${pathMatched.join(', ')})` : '';
    throw new GatewayError(404, 'not_found', `No route ${method} ${stagePrefix}${resourcePath}${allowed}.`);
  };

  const authorize = async (route: LocalApiRoute, authorization: string | undefined) => {
    if (route.authorizationType === 'NONE') return undefined;
    const token = bearerToken(authorization);
    if (!token)
      throw new GatewayError(401, 'unauthenticated', 'Unauthorized: send Authorization: Bearer <token>.');
    let principal: LocalPrincipal;
    try {
      principal = await auth.verify(token);
    } catch (error) {
      if (error instanceof LocalAuthError) throw new GatewayError(401, 'unauthenticated', error.message);
      throw error;
    }
    // On AWS two managed policies split the IAM routes: /admin/ for operators, the rest for agents.
    // An admin token on an agent route is refused too (one role per token, as one policy per role).
    if (route.authorizationType === 'AWS_IAM') {
      const adminRoute = route.resourcePath.startsWith('/admin/');
      if (adminRoute && principal.kind !== 'admin')
        throw new GatewayError(403, 'forbidden', 'This route is for operators: use an admin token.');
      if (!adminRoute && principal.kind !== 'agent')
        throw new GatewayError(403, 'forbidden', 'This route is for agents: use an agent token.');
    }
    // A Cognito authorizer accepts only the user pool's tokens: an agent credential is not one.
    if (route.authorizationType !== 'AWS_IAM' && principal.kind !== 'customer')
      throw new GatewayError(401, 'unauthenticated', 'This route is for customers: use a customer token.');
    return principal;
  };

  // What the request log needs from a request's handling: its route template and the alarms it would fire.
  const routeOf = new WeakMap<IncomingMessage, string>();
  const firedOf = new WeakMap<IncomingMessage, string[]>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const fired: string[] = [];
    firedOf.set(req, fired);
    const requestId = randomUUID();
    try {
      const url = targetOf(req.url ?? '/');
      const method = (req.method ?? 'GET').toUpperCase();
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
      const apiPath = url.pathname === stagePrefix || url.pathname.startsWith(`${stagePrefix}/`);
      if (!apiPath && webApp && (await webApp(req, res, url.pathname, url.search))) return;
      if (url.pathname !== stagePrefix && !url.pathname.startsWith(`${stagePrefix}/`))
        throw new GatewayError(
          404,
          'not_found',
          `Routes are served under ${stagePrefix}/, e.g. ${stagePrefix}/support-requests.`,
        );
      const resourcePath = url.pathname.slice(stagePrefix.length) || '/';
      const { compiled, pathParameters } = match(method, resourcePath);
      const { route } = compiled;
      routeOf.set(req, `${stagePrefix}${route.resourcePath}`);
      const { headers, multiValueHeaders } = headersOf(req);
      const principal = await authorize(route, req.headers.authorization);
      const bodyBuffer = await readBody(req);
      const body = bodyBuffer.length > 0 ? bodyBuffer.toString('utf8') : null;

      if (compiled.validateBody) {
        const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim();
        if (contentType === 'application/json') {
          let value: unknown;
          try {
            value = JSON.parse(body ?? '');
          } catch {
            throw new GatewayError(400, 'invalid_request', 'Invalid request body: not valid JSON.');
          }
          if (!compiled.validateBody(value))
            throw new GatewayError(
              400,
              'invalid_request',
              `Invalid request body: ${ajv.errorsText(compiled.validateBody.errors, { dataVar: 'body' })}`,
            );
        }
      }

      const { single, multi } = queryOf(url.search);
      const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
      // An IAM caller (agent or admin) is named as SigV4 names it: caller, user and userArn.
      const iamCaller =
        principal?.kind === 'agent'
          ? principal.agentId
          : principal?.kind === 'admin'
            ? principal.adminId
            : null;
      const identity = {
        accessKey: null,
        accountId: iamCaller ? LOCAL_ACCOUNT : null,
        apiKey: null,
        apiKeyId: null,
        caller: iamCaller,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: iamCaller,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: iamCaller ? `arn:aws:iam::${LOCAL_ACCOUNT}:user/${iamCaller}` : null,
      };
      const now = Date.now();
      const event: APIGatewayProxyEvent = {
        resource: route.resourcePath,
        path: resourcePath,
        httpMethod: method,
        headers,
        multiValueHeaders,
        queryStringParameters: single,
        multiValueQueryStringParameters: multi,
        pathParameters: compiled.params.length > 0 ? pathParameters : null,
        stageVariables: null,
        body,
        isBase64Encoded: false,
        requestContext: {
          accountId: LOCAL_ACCOUNT,
          apiId: 'local',
          authorizer: principal?.kind === 'customer' ? { claims: principal.claims } : null,
          protocol: `HTTP/${req.httpVersion}`,
          httpMethod: method,
          identity,
          path: `${stagePrefix}${resourcePath}`,
          stage,
          requestId,
          requestTimeEpoch: now,
          resourceId: route.logicalId,
          resourcePath: route.resourcePath,
        },
      };

      let result: APIGatewayProxyResult;
      try {
        result = (await compiled.handler(
          event,
          lambdaContext(compiled.functionName, 29_000),
        )) as APIGatewayProxyResult;
      } catch (error) {
        fired.push(`${compiled.route.functionLogicalId}Errors (the function failed)`);
        process.stderr.write(`${method} ${url.pathname}: the handler threw: ${(error as Error).stack}\n`);
        throw new GatewayError(502, 'internal_error', 'Internal server error');
      }
      if (!result || typeof result.statusCode !== 'number') {
        throw new GatewayError(502, 'internal_error', 'Malformed Lambda proxy response');
      }
      const responseHeaders: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(result.headers ?? {})) responseHeaders[k.toLowerCase()] = String(v);
      for (const [k, v] of Object.entries(result.multiValueHeaders ?? {}))
        responseHeaders[k.toLowerCase()] = v.map(String);
      const responseBody = result.isBase64Encoded
        ? Buffer.from(result.body ?? '', 'base64').toString('utf8')
        : (result.body ?? '');
      send(res, result.statusCode, responseBody, responseHeaders, requestId);
    } catch (error) {
      if (error instanceof GatewayError) {
        if (error.statusCode === 413) drainRefusedBody(req);
        send(res, error.statusCode, errorBody(error.code, error.message), error.headers, requestId);
        return;
      }
      process.stderr.write(`${req.method} ${req.url}: ${(error as Error).stack}\n`);
      if (!res.headersSent)
        send(res, 500, errorBody('internal_error', 'Internal server error'), {}, requestId);
      else res.destroy();
    }
  };

  const server = createServer((req, res) => {
    const log = options.requestLog;
    if (log) {
      const started = performance.now();
      res.once('finish', () => {
        const route = routeOf.get(req) ?? (req.url ?? '/').split('?')[0] ?? '/';
        log(requestLine(req.method ?? '-', route, res.statusCode, performance.now() - started));
        const alarms = firedOf.get(req) ?? [];
        if (res.statusCode >= 500) alarms.push('Api5xx (the API answered 5xx)');
        for (const alarm of alarms) log(`ALARM ${alarm}`);
      });
    }
    void handle(req, res);
  });
  // What node's HTTP parser refuses (unknown methods, malformed requests, headers over 16 KB) gets
  // the API's JSON error too, not an empty 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, code] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout']
          : [400, 'bad_request'];
    const body = errorBody(code, `The request is not one this API can read (${error.code ?? 'malformed'}).`);
    // A HEAD request gets the headers only: a body would read as the next response.
    const raw = (error as { rawPacket?: Buffer }).rawPacket;
    const head = raw?.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${head ? '' : body}`,
    );
  });
  // Keep-alive friendly: clients reuse connections across requests.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    server,
    origin,
    baseUrl: `${origin}${stagePrefix}`,
    auth,
    routes: runtime.topology.apiRoutes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Quotes for a POSIX shell: the curl lines are copied and pasted. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The running runtime's endpoints and agent token, for `npm run agent` (git-ignored). */
const LOCAL_RUNTIME_FILE = path.join(PROJECT_ROOT, '.refund-hub-local.json');

/** The team queues by team name (`billing`, ...), not their dead-letter queues. */
function teamQueueUrls(queueUrls: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    QUEUES.flatMap((team) => {
      const name = Object.keys(queueUrls).find((q) => q.includes(`${team}Queue`));
      return name ? [[team, queueUrls[name] as string]] : [];
    }),
  );
}

/** How long a stop waits for the requests under way before it closes their connections. */
const SHUTDOWN_DRAIN_MS = 5000;

/** Stops accepting connections and waits (at most `ms`) for the open ones to finish their request. */
async function drain(server: Server, ms: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections go as soon as they are idle; a busy one once its response is sent.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  await Promise.race([closed, deadline]);
  clearInterval(idle);
  server.closeAllConnections();
  await closed;
}

/** A whole number ≥ 0 from the command line. */
function countOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a whole number ≥ 0, got ${text}`);
  return value;
}

/** With paymentProvider=stripe: where the Stripe emulator is and the key and secret to use with it. */
function stripeLines(runtime: LocalRuntime): string[] {
  const stripe = runtime.stripe;
  if (!stripe) return [];
  return [
    `Stripe emulator (paymentProvider=stripe) on ${stripe.url}; the demo customers' charges exist there under the same ids:`,
    `  STRIPE_API_BASE=${stripe.url}`,
    `  STRIPE_SECRET_KEY=${stripe.apiKey}`,
    `  STRIPE_WEBHOOK_SECRET=${stripe.webhookSecret}`,
    `  e.g. curl -s ${stripe.url}/v1/refunds -u "$STRIPE_SECRET_KEY:"`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'keep-executions': { type: 'string' },
      'keep-execution-names': { type: 'string' },
      context: { type: 'string', short: 'c', multiple: true },
    },
  });
  const context = contextOptions(values.context ?? []);
  const keepFinishedExecutions = countOption('keep-executions', values['keep-executions']);
  const keepExecutionNames = countOption('keep-execution-names', values['keep-execution-names']);
  const portText = process.env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${portText}`);
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const [{ startLocalRuntime }, demo, { startCaseSweeps }, { ensureWebBuilt }] = await Promise.all([
    import('./runtime.js'),
    import('./demo.js'),
    import('./sweeps.js'),
    import('../scripts/build-web.js'),
  ]);
  // The web chat and console are built when web/dist is missing or older than web/ (a few seconds, once). The API
  // does not depend on them: a failed build is reported and the pages answer 503 until it is fixed.
  await ensureWebBuilt((line) => process.stderr.write(`${line}\n`)).catch((error: Error) =>
    process.stderr.write(
      `The web chat and console could not be built (${error.message}); the API runs without them.\n`,
    ),
  );
  // The handlers run in this process: a metric point that would fire an alarm on AWS prints an ALARM line.
  process.env.REFUND_HUB_ALARM_LOG = '1';
  const runtime = await startLocalRuntime({
    context,
    // Stripe's own CLI mock (stripe-mock) uses 12111: the same port when free, so a URL stays the same between runs.
    stripePort: 12111,
    ...(dataDir ? { dataDir } : {}),
    ...(keepFinishedExecutions !== undefined ? { keepFinishedExecutions } : {}),
    ...(keepExecutionNames !== undefined ? { keepExecutionNames } : {}),
  });
  const customers = demo.loadDemoCustomers();
  await demo.seedDemoCustomers(runtime, customers);
  await demo.seedReturnsDemoCustomer(runtime, new Date());
  const returnsDemo = {
    customerId: demo.RETURNS_DEMO_CUSTOMER_ID,
    description: demo.RETURNS_DEMO_DESCRIPTION,
  };
  // Cases a previous run left open (their executions were in memory) start again before any request.
  const sweeps = await startCaseSweeps(runtime, {
    onError: (message) => process.stderr.write(`Case sweeper: ${message}\n`),
  });
  const api = await startApiServer(runtime, {
    port,
    web: { demoCustomers: [...customers, returnsDemo] },
    requestLog: (line) => process.stdout.write(`${line}\n`),
  });
  // The emulator's events go to POST /v1/integrations/stripe/webhook (stage v1), signed with its secret; failures retry, then log a line.
  runtime.stripe?.addWebhookUrl(`${api.baseUrl}/integrations/stripe/webhook`);

  // Where the CLI (`npm run agent`, `history --local`, `invoke --local`) finds this runtime; removed on stop (it holds tokens).
  const agentTokens = {
    'agent-1': await api.auth.agentToken('agent-1'),
    'agent-2': await api.auth.agentToken('agent-2'),
  };
  const adminToken = await api.auth.adminToken('admin');
  const customerTokens: Record<string, string> = {};
  for (const customer of [...customers, returnsDemo])
    customerTokens[customer.customerId] = await api.auth.customerToken(customer.customerId);
  writeFileSync(
    LOCAL_RUNTIME_FILE,
    `${JSON.stringify(
      {
        apiUrl: api.baseUrl,
        // agent-1's, for readers older than agentTokens.
        agentToken: agentTokens['agent-1'],
        agentTokens,
        adminToken,
        customerTokens,
        sfnEndpoint: runtime.sfnEndpoint,
        stateMachineArn: runtime.topology.stateMachineArn,
        sqsEndpoint: runtime.emulators.snsEndpoint,
        queueUrls: teamQueueUrls(runtime.emulators.queueUrls),
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the local API\n`);
    rmSync(LOCAL_RUNTIME_FILE, { force: true });
    sweeps.stop();
    try {
      // Requests under way get their answer (a case accepted is a case stored and started), then the
      // executions still running stop: with --data-dir their cases are picked up at the next start.
      await drain(api.server, SHUTDOWN_DRAIN_MS);
      await runtime.stop();
    } catch (error) {
      process.stderr.write(`Stopping the local API failed: ${(error as Error).stack ?? error}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // performance.now() counts from the process's start: the time to ready as a user sees it.
  const ms = Math.round(performance.now());
  const lines = [
    `Refund Hub local API ready on ${api.origin} (${api.routes.length} routes under /${runtime.topology.apiStageName}, ` +
      `${customers.length} demo customers, ${dataDir ? `data in ${dataDir}` : 'data in memory'}, ${ms} ms)`,
    `Case sweeper: ${sweeps.initial.started} open case(s) from an earlier run started again, ` +
      `${sweeps.initial.markedNeedsAttention} marked needs_attention; next sweep every ${runtime.topology.config.sweeperScheduleMinutes} min`,
    ...stripeLines(runtime),
    '',
    `Web chat:      ${api.origin}/?customer=${customers[0]?.customerId ?? 'C-1001'}   (${api.origin}/ lists the demo customers)`,
    `Agent console: ${api.origin}/agent?agent=agent-1   (agent-2 confirms a dual approval)`,
    '',
    'Routes (from the synthesized template):',
    ...api.routes.map(
      (r) =>
        `  ${r.httpMethod.padEnd(5)} /${runtime.topology.apiStageName}${r.resourcePath}  [${r.authorizationType}]`,
    ),
    '',
    `Demo customers (${path.relative(process.cwd(), demo.demoDataFile()) || demo.demoDataFile()}); ` +
      `tokens are valid 24 h with this run's key${process.env.LOCAL_JWT_SECRET ? ' (LOCAL_JWT_SECRET)' : ''}:`,
  ];
  for (const customer of customers) {
    const token = customerTokens[customer.customerId] as string;
    const body = JSON.stringify({
      message: customer.scenario.message,
      ...(customer.scenario.orderId ? { orderId: customer.scenario.orderId } : {}),
      ...(customer.scenario.callbackPhone ? { callbackPhone: customer.scenario.callbackPhone } : {}),
    });
    lines.push(
      '',
      `  ${customer.customerId}: ${customer.description}`,
      `    TOKEN=${token}`,
      `    curl -s -X POST ${api.baseUrl}/support-requests -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d ${shellQuote(body)}`,
      `    curl -s ${api.baseUrl}/support-requests/CASE_ID -H "Authorization: Bearer $TOKEN"`,
    );
  }
  lines.push(
    '',
    `  ${returnsDemo.customerId}: ${returnsDemo.description}`,
    `    ${api.origin}/?customer=${returnsDemo.customerId}   (Return an item; then npm run carrier -- scan TRACKING_ID)`,
  );
  lines.push(
    '',
    'Agent (AWS_IAM routes): two agents, so a second one can confirm a decision over the dual-approval threshold',
    `  agent-1: AGENT_TOKEN=${agentTokens['agent-1']}`,
    `  agent-2: AGENT_2_TOKEN=${agentTokens['agent-2']}`,
    `  npm run agent -- queue billing            # then: show, claim, resolve, approve CASE_ID [--as agent-2]`,
    '',
    'Admin (AWS_IAM routes under /admin/: account import, refunds export):',
    `  ADMIN_TOKEN=${adminToken}`,
    `  npm run import -- FILE.jsonl --local`,
    '',
    'Stop with Ctrl-C.',
    '',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: Error) => {
    process.stderr.write(`Refund Hub local API failed to start: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
