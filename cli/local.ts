/**
 * The embedded runtime from the CLI: `--local` starts it in this process (the synthesized
 * definition, every Task bound to its real handler), seeds the demo customers and hands back the
 * same kind of `Connection` the AWS and LocalStack paths use, pointed at its loopback endpoints.
 * Commands that use the long-running local server (`agent ... --local`, `history --local`, `invoke --local`
 * when one is running) read the `.refund-hub-local.json` it writes at the repository root.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.js';
import type { Connection } from './aws.js';
import type { CaseStore } from './cases.js';
import { dynamoCaseStore } from './cases.js';
import { CliError } from './errors.js';
import { demoAccounts, readScenarios } from './seed.js';

export const SHARED_EXAMPLES = path.join(PROJECT_ROOT, '..', 'shared', 'scenarios', 'examples.jsonl');
export const BUNDLED_EXAMPLES = path.join(PROJECT_ROOT, 'local', 'demo-data.jsonl');
export const LOCAL_STATE_FILE = path.join(PROJECT_ROOT, '.refund-hub-local.json');

export const TEAMS = ['billing', 'delivery', 'security', 'general'] as const;
export type Team = (typeof TEAMS)[number];

/** What the running local server (`npm start`) publishes for the CLI. */
export interface LocalServerState {
  readonly apiUrl: string;
  /** agent-1's token, for older readers. */
  readonly agentToken: string;
  /** One token per local agent (`agent-1`, `agent-2`): `--as` picks one. */
  readonly agentTokens?: Readonly<Record<string, string>>;
  /** The server's Step Functions endpoint and state machine: `history --local`, `invoke --local --follow`. */
  readonly sfnEndpoint?: string;
  readonly stateMachineArn?: string;
  /** A token per demo customer: `invoke --local` posts their support requests to the running server. */
  readonly customerTokens?: Readonly<Record<string, string>>;
  /** For the `/admin/` routes (`npm run import -- --local`); absent in a file an older server wrote. */
  readonly adminToken?: string;
  readonly sqsEndpoint: string;
  readonly queueUrls: Readonly<Record<Team, string>>;
}

export function readLocalServerState(file = LOCAL_STATE_FILE): LocalServerState {
  if (!existsSync(file)) {
    throw new CliError(
      `No local server found (${path.basename(file)} is missing): start the local runtime with npm start first.`,
    );
  }
  let state: Partial<LocalServerState>;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalServerState>;
  } catch {
    throw new CliError(`${path.basename(file)} is not valid JSON: restart the local runtime with npm start.`);
  }
  if (!state.apiUrl || !state.agentToken) {
    throw new CliError(
      `${path.basename(file)} has no apiUrl/agentToken: restart the local runtime with npm start.`,
    );
  }
  return state as LocalServerState;
}

/** The demo data file: the shared examples beside the repository, else the bundled copy. */
export function demoDataFile(): string | undefined {
  if (existsSync(SHARED_EXAMPLES)) return SHARED_EXAMPLES;
  return existsSync(BUNDLED_EXAMPLES) ? BUNDLED_EXAMPLES : undefined;
}

export interface EmbeddedTarget {
  readonly connection: Connection;
  readonly stateMachineArn: string;
  readonly cases: CaseStore;
  readonly customers: readonly string[];
  stop(): Promise<void>;
}

/** Starts the embedded runtime in this process and seeds one account per demo customer id. */
export async function startEmbedded(): Promise<EmbeddedTarget> {
  const [{ startLocalRuntime }, { seedAccount }, emulators, template] = await Promise.all([
    import('../local/runtime.js'),
    import('../local/cases.js'),
    import('../local/emulators.js'),
    import('../local/template.js'),
  ]);
  const file = demoDataFile();
  const accounts = file ? demoAccounts(readScenarios(file)) : [];
  const runtime = await startLocalRuntime();
  try {
    for (const account of accounts) await seedAccount(runtime, account);
    return {
      connection: {
        kind: 'local',
        region: template.LOCAL_REGION,
        endpoint: runtime.sfnEndpoint,
        credentials: emulators.LOCAL_CREDENTIALS,
        stackName: 'RefundHub',
        target: 'the embedded runtime',
      },
      stateMachineArn: runtime.topology.stateMachineArn,
      cases: dynamoCaseStore(runtime.documentClient, runtime.tables.cases),
      customers: accounts.map((a) => a.profile.id),
      stop: () => runtime.stop(),
    };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}

/** Why there is no running local server to use, or its state. */
export type RunningServer =
  | { readonly state: LocalServerState; readonly reason?: undefined; readonly stale?: undefined }
  /** `stale`: the file is there but its server is not (worth a note); otherwise there is no file. */
  | { readonly state?: undefined; readonly reason: string; readonly stale: boolean };

/** The local server of the state file, when the file exists and the server answers (any HTTP answer). */
export async function runningLocalServer(file = LOCAL_STATE_FILE, timeoutMs = 2000): Promise<RunningServer> {
  if (!existsSync(file))
    return { reason: `no local server (${path.basename(file)} is missing)`, stale: false };
  let state: LocalServerState;
  try {
    state = readLocalServerState(file);
  } catch (error) {
    return { reason: (error as Error).message, stale: true };
  }
  try {
    await fetch(state.apiUrl, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return {
      reason: `the local server of ${path.basename(file)} (${state.apiUrl}) does not answer: was it stopped?`,
      stale: true,
    };
  }
  return { state };
}

/** The running server's Step Functions endpoint as a Connection (the same code path as AWS and LocalStack). */
export function localServerConnection(
  state: LocalServerState,
): Connection & { readonly stateMachineArn: string } {
  if (!state.sfnEndpoint || !state.stateMachineArn)
    throw new CliError(
      `The running local server published no Step Functions endpoint (${path.basename(LOCAL_STATE_FILE)}): restart it with npm start.`,
    );
  return {
    kind: 'local',
    region: 'us-east-1',
    endpoint: state.sfnEndpoint,
    // The local endpoints take any credentials; these are the runtime's own.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    stackName: 'RefundHub',
    target: `the local server`,
    stateMachineArn: state.stateMachineArn,
  };
}

/** A case's first execution is named after it: `...:stateMachine:X` → `...:execution:X:<caseId>`. */
export function executionArnOf(stateMachineArn: string, caseId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
}
