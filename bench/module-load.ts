/**
 * Module load per Lambda: each function's deployed bundle (bundled as `cdk synth` does) is required in a fresh node
 * process, `runs` times, and the median compared with loading a bare AWS SDK client (`@aws-sdk/client-dynamodb`,
 * required and constructed) on the same machine. The bundles keep `@aws-sdk/*` external, as on Lambda, where the
 * runtime provides it; a function with an AWS client therefore includes that client's load. "Own code" is the same
 * load with those `@aws-sdk/*` packages required before the clock starts: what the bundle itself costs. Prints; never
 * asserts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.js';
import { loadTopology } from '../local/template.js';
import { bundleSizes } from '../scripts/lib/lambda-bundles.js';
import { percentile } from './stats.js';

/** The goal from the issue: a function's bundle loads within this factor of a bare SDK client. */
export const MODULE_LOAD_GOAL = 1.25;

export interface ModuleLoad {
  readonly entry: string;
  readonly bytes: number;
  /** Median milliseconds to `require` the bundle, or the error that stopped it. */
  readonly medianMs?: number;
  /** The same with the `@aws-sdk/*` packages it requires loaded before the clock starts: the bundle's own share. */
  readonly ownMs?: number;
  readonly sdkPackages: readonly string[];
  readonly error?: string;
}

const BASELINE = `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb'); new DynamoDBClient({});`;

/** One fresh process: the milliseconds `code` takes to run (module loading, compiling, top-level code). */
function timeOnce(code: string, env: Record<string, string>, before = ''): number {
  const script = `${before} const t0 = performance.now(); ${code} process.stdout.write(String(performance.now() - t0));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const ms = Number(child.stdout.trim().split('\n').pop());
  if (child.status !== 0 || !Number.isFinite(ms))
    throw new Error((child.stderr || child.stdout).trim().split('\n').slice(0, 3).join(' '));
  return ms;
}

function times(code: string, env: Record<string, string>, runs: number, before = ''): number[] {
  return Array.from({ length: runs }, () => timeOnce(code, env, before));
}

function median(code: string, env: Record<string, string>, runs: number, before = ''): number {
  return percentile(
    times(code, env, runs, before).sort((a, b) => a - b),
    50,
  );
}

/** Lambda-like environment: the function's own variables from the template, a region, telemetry off the console. */
function lambdaEnv(environment: Record<string, string>): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'module-load-bench',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...environment,
    NODE_OPTIONS: '',
  };
}

export async function measureModuleLoads(runs: number): Promise<{ baselineMs: number; loads: ModuleLoad[] }> {
  const functions = loadTopology().functions;
  const sizes = await bundleSizes([...new Set(functions.map((f) => f.entry))].sort());
  // Under the project root, so the external @aws-sdk/* resolve from its node_modules as from the Lambda runtime's.
  const dir = path.join(PROJECT_ROOT, 'cdk.out', 'module-load');
  rmSync(dir, { recursive: true, force: true });
  // The baseline is timed before and after the functions (the shared machine's speed drifts); its median of both.
  const baseline = times(BASELINE, lambdaEnv({}), runs);
  const loads: ModuleLoad[] = [];
  for (const [i, size] of sizes.entries()) {
    const file = path.join(dir, String(i), 'index.js');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, size.code);
    const environment = functions.find((f) => f.entry === size.entry)?.environment ?? {};
    const sdkPackages = [
      ...new Set([...size.code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1] as string)),
    ];
    const load = `require(${JSON.stringify(file)});`;
    const preload = sdkPackages.map((p) => `require(${JSON.stringify(p)});`).join(' ');
    try {
      const medianMs = median(load, lambdaEnv(environment), runs);
      const ownMs = median(load, lambdaEnv(environment), runs, preload);
      loads.push({ entry: size.entry, bytes: size.bytes, medianMs, ownMs, sdkPackages });
    } catch (error) {
      loads.push({ entry: size.entry, bytes: size.bytes, sdkPackages, error: (error as Error).message });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  baseline.push(...times(BASELINE, lambdaEnv({}), runs));
  return {
    baselineMs: percentile(
      baseline.sort((a, b) => a - b),
      50,
    ),
    loads,
  };
}

const sdkNote = (packages: readonly string[]) =>
  packages.length === 0 ? 'no AWS SDK' : packages.map((p) => p.replace('@aws-sdk/', '')).join(', ');

/** Markdown rows: the baseline, then one per function with its ratio to the baseline. */
export function moduleLoadRows(
  result: { baselineMs: number; loads: readonly ModuleLoad[] },
  runs: number,
): string[] {
  const { baselineMs, loads } = result;
  const within = loads.filter(
    (l) => l.medianMs !== undefined && l.medianMs / baselineMs <= MODULE_LOAD_GOAL,
  ).length;
  return [
    `| module load: bare AWS SDK client (\`@aws-sdk/client-dynamodb\` required and constructed), fresh process, median of ${runs} ` +
      `before and ${runs} after the functions | ${baselineMs.toFixed(1)} ms | |`,
    ...loads.map((l) => {
      const what = `module load: ${l.entry} (${(l.bytes / 1000).toFixed(0)} KB; ${sdkNote(l.sdkPackages)})`;
      if (l.medianMs === undefined) return `| ${what} | failed: ${l.error} | |`;
      const ratio = l.medianMs / baselineMs;
      const measured = `${l.medianMs.toFixed(1)} ms, ${ratio.toFixed(2)}x the SDK client; own code ${(l.ownMs ?? Number.NaN).toFixed(1)} ms`;
      return `| ${what} | ${measured} | ≤ ${MODULE_LOAD_GOAL}x (${ratio <= MODULE_LOAD_GOAL ? 'met' : '**not met**'}) |`;
    }),
    `| module load: functions within ${MODULE_LOAD_GOAL}x of the bare SDK client | ${within} / ${loads.length} | all |`,
  ];
}
