/**
 * The embedded local runtime: the synthesized state machine on aws-local-stepfunctions, every Task
 * bound to its Lambda's real handler, DynamoDB on dynalite and SNS/SQS on fauxqs over loopback,
 * and the Step Functions API on loopback. No AWS account, no Docker.
 */
import './polyfills.js';
import type { Server } from 'node:http';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROJECT_ROOT } from '../lib/paths.js';
import { LOCAL_CARRIER_SECRET } from './carrier-secret.js';
import { signForEmulators } from './emulator-signing.js';
import { type Emulators, LOCAL_CREDENTIALS, startEmulators } from './emulators.js';
import { type LambdaHandler, LocalExecutor } from './executor.js';
import { startHandlerThread } from './handler-thread-client.js';
import { startSfnApi } from './sfn-api.js';
import { type StripeEmulator, startStripeEmulator } from './stripe-emulator/index.js';
import { routeTables, type TableEndpoints } from './table-endpoints.js';
import { LOCAL_REGION, type LocalTopology, loadTopology } from './template.js';

export interface LocalRuntimeOptions {
  /** CDK context overrides (operator configuration), e.g. `{ 'refundHub:callbackSlaSeconds': 30 }`. */
  readonly context?: Record<string, unknown>;
  /** Persist DynamoDB data in this folder (dynalite on LevelDB); in memory when absent. */
  readonly dataDir?: string;
  /** Retry pauses per state in ms, to make fault tests fast. */
  readonly retryIntervalOverrides?: Record<string, number | number[]>;
  /**
   * Wraps a function's real handler (by entry, e.g. `functions/classify/handler.ts`): tests use it to
   * inject faults and benchmarks to measure the floor. The definition itself is never replaced.
   */
  readonly wrapHandler?: (entry: string, handler: LambdaHandler) => LambdaHandler;
  /**
   * Runs the handlers on their own thread (local/handler-thread.ts) instead of the main thread, so
   * a busy runtime uses two cores. Not with `wrapHandler` (a function cannot cross threads).
   */
  readonly handlerThread?: boolean;
  /** Finished executions kept whole (history, input, output); see ExecutorOptions. */
  readonly keepFinishedExecutions?: number;
  /** Finished execution names remembered beyond those, so a name is not started twice; see ExecutorOptions. */
  readonly keepExecutionNames?: number;
  /**
   * The Stripe emulator's port when the configuration's paymentProvider is `stripe`; a port already
   * taken falls back to a free one. @default 0 (a free port)
   */
  readonly stripePort?: number;
  /**
   * Tables (by role) that another DynamoDB endpoint serves instead of this runtime's dynalite: replay's workers share
   * the parent's refund budget this way (local/table-endpoints.ts). The handlers' calls on them go there unchanged.
   */
  readonly tableEndpoints?: Readonly<Partial<Record<TableRole, string>>>;
}

/** Each table's role and the environment variable that names it to the functions. */
const TABLE_ENV = {
  accounts: 'ACCOUNTS_TABLE_NAME',
  cases: 'CASES_TABLE_NAME',
  messages: 'MESSAGES_TABLE_NAME',
  refundLedger: 'REFUND_LEDGER_TABLE_NAME',
  refundBudgets: 'REFUND_BUDGETS_TABLE_NAME',
  returns: 'RETURNS_TABLE_NAME',
} as const;

export type TableRole = keyof typeof TABLE_ENV;

export interface LocalRuntime {
  readonly topology: LocalTopology;
  readonly executor: LocalExecutor;
  /** The returns workflow's executor (the second state machine of the same template). */
  readonly returnsExecutor: LocalExecutor | undefined;
  readonly emulators: Emulators;
  readonly sfnEndpoint: string;
  /** A document client on the local DynamoDB, for seeding and inspection. */
  readonly documentClient: DynamoDBDocumentClient;
  /** Physical table names by role. */
  readonly tables: Readonly<Record<TableRole, string>>;
  /** The local Stripe (local/stripe-emulator) when paymentProvider is `stripe`; the handlers' STRIPE_* point at it. */
  readonly stripe: StripeEmulator | undefined;
  /** The handler of a function, by entry, as the Tasks call it. */
  handler(entry: string): LambdaHandler;
  stop(): Promise<void>;
}

export { LOCAL_CARRIER_SECRET } from './carrier-secret.js';

let started = false;

/**
 * Starts the runtime. Handlers read their configuration from the environment at module load, as on
 * Lambda, so one process hosts one runtime.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  if (started)
    throw new Error('One embedded runtime per process: handlers read their environment once, at load.');
  if (options.handlerThread && options.wrapHandler)
    throw new Error('handlerThread and wrapHandler cannot be combined: a function cannot cross threads');
  started = true;
  const topology = loadTopology(options.context);
  const tableFor = (envName: string) => {
    const fn = topology.functions.find((f) => f.environment[envName]);
    if (!fn) throw new Error(`No function is configured with ${envName}`);
    return fn.environment[envName] as string;
  };
  const tables = Object.fromEntries(
    Object.entries(TABLE_ENV).map(([role, envName]) => [role, tableFor(envName)]),
  ) as Record<TableRole, string>;
  const tableEndpoints: TableEndpoints = Object.fromEntries(
    Object.entries(options.tableEndpoints ?? {}).map(([role, endpoint]) => [
      tables[role as TableRole],
      endpoint,
    ]),
  );
  const emulators = await startEmulators(topology, {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    tableEndpoints,
  });

  // The SDK's standard variables point every real client at loopback.
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SNS: emulators.snsEndpoint,
    AWS_ENDPOINT_URL_SQS: emulators.snsEndpoint,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // Embedded metric format is for CloudWatch; locally it would only interleave JSON with the runtime's output.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    // X-Ray has no daemon here: the Tracer middleware and SDK capture are pass-throughs.
    POWERTOOLS_TRACE_ENABLED: process.env.POWERTOOLS_TRACE_ENABLED ?? 'false',
  });
  for (const fn of topology.functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (key !== 'NODE_OPTIONS') process.env[key] = value;
    }
  }
  // On AWS the carrier webhook reads its secret from Secrets Manager; locally a dev secret (npm run carrier signs with it).
  delete process.env.CARRIER_WEBHOOK_SECRET_ARN;
  process.env.CARRIER_WEBHOOK_SECRET ??= LOCAL_CARRIER_SECRET;
  const stripe =
    topology.config.paymentProvider === 'stripe'
      ? await startLocalStripe(options.stripePort ?? 0)
      : undefined;
  if (stripe) {
    // On AWS the functions read Secrets Manager ARNs; locally the values themselves, and the emulator's URL.
    delete process.env.STRIPE_SECRET_KEY_ARN;
    delete process.env.STRIPE_WEBHOOK_SECRET_ARN;
    Object.assign(process.env, {
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: stripe.apiKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    });
  }

  // The executor needs the handlers and the SFN API needs the executor; the intake handler reads
  // the SFN endpoint at load, so bind a port first and load handlers after.
  const handlersByArn = new Map<string, LambdaHandler>();
  const handlersByEntry = new Map<string, LambdaHandler>();
  const executor = new LocalExecutor({
    stateMachineArn: topology.stateMachineArn,
    definition: topology.definition,
    handlers: handlersByArn,
    ...(options.retryIntervalOverrides ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
    ...(options.keepFinishedExecutions !== undefined
      ? { keepFinishedExecutions: options.keepFinishedExecutions }
      : {}),
    ...(options.keepExecutionNames !== undefined ? { keepExecutionNames: options.keepExecutionNames } : {}),
  });
  const returnsExecutor = topology.returns
    ? new LocalExecutor({
        stateMachineArn: topology.returns.stateMachineArn,
        definition: topology.returns.definition,
        handlers: handlersByArn,
        ...(options.retryIntervalOverrides ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
      })
    : undefined;
  const sfn = await startSfnApi(executor, 0, returnsExecutor ? [returnsExecutor] : []);
  process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;

  const handlerThread = options.handlerThread
    ? await startHandlerThread([...new Set(topology.functions.map((fn) => fn.entry))], tableEndpoints)
    : undefined;
  for (const fn of topology.functions) {
    let handler: LambdaHandler;
    if (handlerThread) {
      handler = handlerThread.handler(fn.entry);
    } else {
      const real = (
        (await import(pathToFileURL(path.join(PROJECT_ROOT, fn.entry)).href)) as { handler: LambdaHandler }
      ).handler;
      handler = options.wrapHandler ? options.wrapHandler(fn.entry, real) : real;
    }
    handlersByArn.set(fn.arn, handler);
    handlersByEntry.set(fn.entry, handler);
  }
  if (!handlerThread) {
    // Imported only now: the clients read the endpoints set above when their module loads.
    const handlerClients = Object.values(await import('../functions/shared/clients.js'));
    signForEmulators(handlerClients);
    routeTables(handlerClients, tableEndpoints);
  }

  const documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: emulators.dynamodbEndpoint,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  signForEmulators([documentClient]);
  routeTables([documentClient], tableEndpoints);

  return {
    topology,
    executor,
    returnsExecutor,
    emulators,
    sfnEndpoint: sfn.endpoint,
    documentClient,
    tables,
    stripe,
    handler: (entry) => {
      const handler = handlersByEntry.get(entry);
      if (!handler) throw new Error(`No function with handler ${entry}`);
      return handler;
    },
    stop: async () => {
      await executor.stopAll();
      await returnsExecutor?.stopAll();
      await handlerThread?.stop();
      await closeServer(sfn.server);
      documentClient.destroy();
      await stripe?.stop();
      await emulators.stop();
      started = false;
    },
  };
}

/** The emulator on the preferred port, or on a free one when that is taken. Delivery failures are logged to stderr. */
async function startLocalStripe(port: number): Promise<StripeEmulator> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    return await startStripeEmulator({ port, log });
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startStripeEmulator({ port: 0, log });
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
