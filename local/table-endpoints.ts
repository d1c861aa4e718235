/**
 * Tables served by another DynamoDB endpoint than the runtime's own. Replay's worker processes each run an embedded
 * runtime, but the daily refund budget (POLICY.md v2 rule 8) is one table for the whole run, as on AWS: the replay
 * parent serves it, and every worker's clients send the calls on that table there. The handlers and their client are
 * untouched (one client, one `AWS_ENDPOINT_URL_DYNAMODB`): a middleware on the client's stack only changes where a
 * request on a routed table goes, after the SDK has serialised it, as DynamoDB itself routes a table's calls.
 */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import './level-iterators.js';

/** Physical table name to the endpoint (`http://127.0.0.1:PORT`) that serves it. */
export type TableEndpoints = Readonly<Record<string, string>>;

interface DynamoInput {
  readonly TableName?: string;
  readonly RequestItems?: Readonly<Record<string, unknown>>;
  readonly TransactItems?: readonly Readonly<Record<string, { readonly TableName?: string }>>[];
}

interface HttpRequestLike {
  protocol: string;
  hostname: string;
  port?: number;
  headers: Record<string, string>;
}

type Middleware = (next: (args: BuildArgs) => Promise<unknown>) => (args: BuildArgs) => Promise<unknown>;
interface BuildArgs {
  readonly input: DynamoInput;
  readonly request: unknown;
}

/** The part of an SDK v3 client this touches (a DynamoDBClient or a DynamoDBDocumentClient over one). */
export interface RoutableClient {
  readonly config: { readonly serviceId?: string };
  readonly middlewareStack: {
    add(middleware: Middleware, options: { step: 'build'; name: string; override?: boolean }): void;
  };
}

const MIDDLEWARE_NAME = 'localTableEndpoints';

/** The tables a DynamoDB call names: one, or those of a batch or a transaction. */
function tablesOf(input: DynamoInput): string[] {
  if (input.TableName !== undefined) return [input.TableName];
  if (input.RequestItems) return Object.keys(input.RequestItems);
  if (input.TransactItems)
    return input.TransactItems.flatMap((item) =>
      Object.values(item).flatMap((op) => (op?.TableName ? [op.TableName] : [])),
    );
  return [];
}

/** The endpoint for this call, or undefined for the client's own; a call across endpoints cannot be split: an error. */
export function endpointFor(input: DynamoInput, endpoints: TableEndpoints): string | undefined {
  const chosen = new Set(tablesOf(input).map((table) => endpoints[table]));
  if (chosen.size > 1)
    throw new Error(
      `One DynamoDB call on tables served by different endpoints: ${tablesOf(input).join(', ')}`,
    );
  return [...chosen][0];
}

/** Sends these clients' calls on the given tables to their endpoints (clients of other services are left alone). */
export function routeTables(clients: Iterable<unknown>, endpoints: TableEndpoints): void {
  if (Object.keys(endpoints).length === 0) return;
  const middleware: Middleware = (next) => async (args) => {
    const endpoint = endpointFor(args.input, endpoints);
    if (endpoint !== undefined) {
      const url = new URL(endpoint);
      const request = args.request as HttpRequestLike;
      request.protocol = url.protocol;
      request.hostname = url.hostname;
      request.port = Number(url.port);
      // Build-step middleware runs before the SDK's host header (priority low); set it too in case it is there.
      if (request.headers.host !== undefined) request.headers.host = url.host;
    }
    return next(args);
  };
  for (const client of clients as Iterable<RoutableClient>) {
    if (client?.config?.serviceId !== 'DynamoDB') continue;
    client.middlewareStack.add(middleware, { step: 'build', name: MIDDLEWARE_NAME, override: true });
  }
}

export interface DynamoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** dynalite in memory (or on LevelDB in `dataDir`) on a free port of 127.0.0.1, tables created and deleted at once. */
export async function startDynamoServer(dataDir?: string): Promise<DynamoServer> {
  const dynamo = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir ? { path: dataDir } : {}),
  });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => dynamo.close(() => resolve())),
  };
}
