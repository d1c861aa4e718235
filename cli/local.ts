/**
 * The embedded runtime from the CLI: `--local` starts it in this process (the synthesized
 * definition, every Task bound to its real handler), seeds the demo customers and hands back the
 * same kind of `Connection` the AWS and LocalStack paths use, pointed at its loopback endpoints.
 * Commands that need the long-running local server (`resolve --local`, `agent queue --local`)
 * read the `.refund-hub-local.json` it writes at the repository root.
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
  readonly agentToken: string;
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
