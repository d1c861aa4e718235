/**
 * Module load per Lambda: each function's deployed bundle (bundled as `cdk synth` does) is required in a fresh node
 * process, and its median compared with loading a bare AWS SDK client (`@aws-sdk/client-dynamodb`, required and
 * constructed) on the same machine. The bundles keep `@aws-sdk/*` external, as on Lambda, where the runtime provides
 * it, and Powertools' logger, metrics and tracer, which the layer provides; a function with an AWS client therefore
 * includes that client's load. Measured in rounds (the baseline, then every function, then again), so the shared
 * machine's drift falls on all of them alike; medians of the rounds. Prints; never asserts.
 *
 * Three measurements per function: as the bench's Lambda-like environment runs it with tracing off (the goal's
 * column); the same with the `@aws-sdk/*` packages it requires loaded before the clock starts ("own code": what the
 * bundle and Powertools cost); and with tracing on, as deployed with X-Ray active (Powertools' Tracer and the X-Ray
 * SDK loaded). Two reference rows show what bundling the SDK itself would change: the bare client bundled by esbuild
 * (minified) the same way, and one function bundled with its SDK clients.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../lib/paths.js';
import { loadTopology } from '../local/template.js';
import { bundleSizes, esbuildOptions } from '../scripts/lib/lambda-bundles.js';
import { percentile } from './stats.js';

/** The goal from the issue: a function's bundle loads within this factor of a bare SDK client. */
export const MODULE_LOAD_GOAL = 1.25;

/** The function the bundled-SDK reference row bundles with its clients (one client, the most common shape). */
const SDK_BUNDLED_REFERENCE = 'functions/get-case/handler.ts';

export interface ModuleLoad {
  readonly entry: string;
  readonly bytes: number;
  /** Median milliseconds to `require` the bundle with tracing off, or the error that stopped it. */
  readonly medianMs?: number;
  /** The same with the `@aws-sdk/*` packages it requires loaded before the clock starts: the bundle's own share. */
  readonly ownMs?: number;
  /** The same as `medianMs` with tracing on (Lambda with X-Ray active, as deployed). */
  readonly tracedMs?: number;
  /** With a base revision: the same function's bundle built from that revision's sources, same rounds, tracing off. */
  readonly baseMs?: number;
  /** Why the base revision's bundle did not load, when it did not. */
  readonly baseError?: string;
  readonly sdkPackages: readonly string[];
  readonly error?: string;
}

export interface ModuleLoadResult {
  readonly baselineMs: number;
  /** The bare client bundled by esbuild (minified, SDK inside), and the reference function bundled the same way. */
  readonly bundledBaselineMs: number;
  readonly bundledReference: { readonly entry: string; readonly bytes: number; readonly medianMs: number };
  readonly loads: ModuleLoad[];
  /** The revision the `baseMs` column was built from, when one was asked for. */
  readonly baseRev?: string;
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

const medianOf = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * Lambda-like environment: the function's own variables from the template, a region, the runtime's
 * AWS_EXECUTION_ENV (Powertools reads it to know it runs on Lambda), tracing as asked, metrics and logs off the console.
 */
function lambdaEnv(environment: Record<string, string>, tracing = false): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'module-load-bench',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...environment,
    POWERTOOLS_TRACE_ENABLED: tracing ? 'true' : 'false',
    NODE_OPTIONS: '',
  };
}

interface Probe {
  readonly code: string;
  readonly env: Record<string, string>;
  readonly before?: string;
  readonly times: number[];
  error?: string;
}

function probe(code: string, env: Record<string, string>, before = ''): Probe {
  return { code, env, before, times: [] };
}

/**
 * The bundle of `entry` as it was at `rev`: that revision's `functions/` and `classifier/` (what the handlers import)
 * extracted under `dir`, bundled with today's options and today's node_modules. For a before/after in one run.
 */
async function baseBundle(entry: string, dir: string): Promise<string> {
  const options = esbuildOptions(entry);
  const result = await build({
    ...options,
    entryPoints: [path.join(dir, entry)],
    sourcemap: false,
    write: false,
    logLevel: 'error',
  });
  const js = result.outputFiles.find((f) => f.path === options.outfile);
  if (!js) throw new Error(`esbuild wrote no bundle for ${entry} at the base revision`);
  return js.text;
}

export async function measureModuleLoads(runs: number, baseRev?: string): Promise<ModuleLoadResult> {
  const functions = loadTopology().functions;
  const sizes = await bundleSizes([...new Set(functions.map((f) => f.entry))].sort());
  // Under the project root, so the external packages resolve from its node_modules as from the runtime and the layer;
  // CommonJS as in the Lambda asset (no package.json there; the project's says "module").
  const dir = path.join(PROJECT_ROOT, 'cdk.out', 'module-load');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  const requireOf = (file: string) => `require(${JSON.stringify(file)});`;

  // The reference rows: the bare client and one function with the SDK bundled in (Powertools stays with the layer).
  const bundled = async (entryPoint: string, outfile: string) => {
    const options = esbuildOptions(SDK_BUNDLED_REFERENCE);
    await build({
      ...options,
      entryPoints: [entryPoint],
      outfile,
      sourcemap: false,
      external: options.external.filter((e) => e !== '@aws-sdk/*'),
      logLevel: 'error',
    });
  };
  const bareSource = path.join(dir, 'bare.cjs');
  writeFileSync(bareSource, BASELINE);
  const bareBundled = path.join(dir, 'bare-bundled', 'index.js');
  await bundled(bareSource, bareBundled);
  const referenceBundled = path.join(dir, 'reference-bundled', 'index.js');
  await bundled(path.join(PROJECT_ROOT, SDK_BUNDLED_REFERENCE), referenceBundled);
  const referenceBytes = readFileSync(referenceBundled).length;
  const baseDir = path.join(dir, 'base-sources');
  if (baseRev) {
    mkdirSync(baseDir, { recursive: true });
    const archive = execFileSync('git', ['archive', baseRev, 'functions', 'classifier'], {
      cwd: PROJECT_ROOT,
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', baseDir], { input: archive, maxBuffer: 1 << 30 });
  }
  const referenceEnv = functions.find((f) => f.entry === SDK_BUNDLED_REFERENCE)?.environment ?? {};

  const baseline = probe(BASELINE, lambdaEnv({}));
  const bundledBaseline = probe(requireOf(bareBundled), lambdaEnv({}));
  const bundledReference = probe(requireOf(referenceBundled), lambdaEnv(referenceEnv));
  const baseCode = new Map<string, string>();
  if (baseRev)
    for (const size of sizes) {
      try {
        baseCode.set(size.entry, await baseBundle(size.entry, baseDir));
      } catch (error) {
        // A function the base revision did not have (or could not bundle): no base column for it, and why.
        process.stderr.write(
          `bench: no ${baseRev} bundle of ${size.entry}: ${(error as Error).message.split('\n')[0]}\n`,
        );
      }
    }
  const perFunction = sizes.map((size, i) => {
    const file = path.join(dir, String(i), 'index.js');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, size.code);
    const environment = functions.find((f) => f.entry === size.entry)?.environment ?? {};
    const sdkPackages = [
      ...new Set([...size.code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1] as string)),
    ];
    const preload = sdkPackages.map((p) => `require(${JSON.stringify(p)});`).join(' ');
    const before = baseCode.get(size.entry);
    const baseFile = path.join(dir, `base-${i}`, 'index.js');
    if (before !== undefined) {
      mkdirSync(path.dirname(baseFile), { recursive: true });
      writeFileSync(baseFile, before);
    }
    return {
      size,
      sdkPackages,
      base: before === undefined ? undefined : probe(requireOf(baseFile), lambdaEnv(environment)),
      full: probe(requireOf(file), lambdaEnv(environment)),
      own: probe(requireOf(file), lambdaEnv(environment), preload),
      traced: probe(requireOf(file), lambdaEnv(environment, true)),
    };
  });
  const all = [
    baseline,
    bundledBaseline,
    bundledReference,
    ...perFunction.flatMap((f) => [...(f.base ? [f.base] : []), f.full, f.own, f.traced]),
  ];
  for (let round = 0; round < runs; round += 1) {
    for (const p of all) {
      if (p.error) continue;
      try {
        p.times.push(timeOnce(p.code, p.env, p.before));
      } catch (error) {
        p.error = (error as Error).message;
      }
    }
    // The baseline twice a round: the goal's denominator gets twice the samples.
    baseline.times.push(timeOnce(baseline.code, baseline.env));
  }
  rmSync(dir, { recursive: true, force: true });
  const loads = perFunction.map(({ size, sdkPackages, base, full, own, traced }): ModuleLoad => {
    const row = { entry: size.entry, bytes: size.bytes, sdkPackages };
    const error = full.error ?? own.error ?? traced.error;
    if (error) return { ...row, error };
    return {
      ...row,
      medianMs: medianOf(full.times),
      ownMs: medianOf(own.times),
      tracedMs: medianOf(traced.times),
      ...(base && !base.error ? { baseMs: medianOf(base.times) } : {}),
      ...(base?.error ? { baseError: base.error } : {}),
    };
  });
  for (const p of [baseline, bundledBaseline, bundledReference])
    if (p.error) throw new Error(`module load reference failed: ${p.error}`);
  return {
    baselineMs: medianOf(baseline.times),
    bundledBaselineMs: medianOf(bundledBaseline.times),
    bundledReference: {
      entry: SDK_BUNDLED_REFERENCE,
      bytes: referenceBytes,
      medianMs: medianOf(bundledReference.times),
    },
    loads,
    ...(baseRev ? { baseRev } : {}),
  };
}

const sdkNote = (packages: readonly string[]) =>
  packages.length === 0 ? 'no AWS SDK' : packages.map((p) => p.replace('@aws-sdk/', '')).join(', ');

/** Markdown rows: the baseline, one per function with its ratio to the baseline, the count, the bundled-SDK reference. */
export function moduleLoadRows(result: ModuleLoadResult, runs: number): string[] {
  const { baselineMs, loads } = result;
  const within = loads.filter(
    (l) => l.medianMs !== undefined && l.medianMs / baselineMs <= MODULE_LOAD_GOAL,
  ).length;
  const reference = result.bundledReference;
  return [
    `| module load: bare AWS SDK client (\`@aws-sdk/client-dynamodb\` from the runtime's node_modules, required and constructed), ` +
      `fresh process, median of ${2 * runs}, in ${runs} rounds with the functions | ${baselineMs.toFixed(1)} ms | |`,
    ...loads.map((l) => {
      const what = `module load: ${l.entry} (${(l.bytes / 1000).toFixed(0)} KB; ${sdkNote(l.sdkPackages)})`;
      if (l.medianMs === undefined) return `| ${what} | failed: ${l.error} | |`;
      const ratio = l.medianMs / baselineMs;
      const traced = (l.tracedMs ?? Number.NaN) / baselineMs;
      const before =
        l.baseMs === undefined
          ? l.baseError
            ? `; at ${result.baseRev} failed: ${l.baseError}`
            : ''
          : `; at ${result.baseRev} ${l.baseMs.toFixed(1)} ms (${(l.baseMs / baselineMs).toFixed(2)}x)`;
      const measured =
        `${l.medianMs.toFixed(1)} ms, ${ratio.toFixed(2)}x the SDK client; own code ${(l.ownMs ?? Number.NaN).toFixed(1)} ms; ` +
        `tracing on ${(l.tracedMs ?? Number.NaN).toFixed(1)} ms (${traced.toFixed(2)}x)${before}`;
      return `| ${what} | ${measured} | ≤ ${MODULE_LOAD_GOAL}x, tracing off (${ratio <= MODULE_LOAD_GOAL ? 'met' : '**not met**'}) |`;
    }),
    `| module load: functions within ${MODULE_LOAD_GOAL}x of the bare SDK client, tracing off | ${within} / ${loads.length} | all |`,
    ...(result.baseRev === undefined
      ? []
      : [
          `| module load: functions within ${MODULE_LOAD_GOAL}x at ${result.baseRev}, same rounds | ` +
            `${loads.filter((l) => l.baseMs !== undefined && l.baseMs / baselineMs <= MODULE_LOAD_GOAL).length} / ${loads.length} | |`,
        ]),
    `| module load: functions within ${MODULE_LOAD_GOAL}x with tracing on (X-Ray SDK loaded, as deployed) | ` +
      `${loads.filter((l) => l.tracedMs !== undefined && l.tracedMs / baselineMs <= MODULE_LOAD_GOAL).length} / ${loads.length} | (reported) |`,
    `| module load, reference: the bare client bundled by esbuild (minified, SDK inside), same rounds | ` +
      `${result.bundledBaselineMs.toFixed(1)} ms (${(result.bundledBaselineMs / baselineMs).toFixed(2)}x the runtime's) | |`,
    `| module load, reference: ${reference.entry} with its SDK clients bundled the same way (${(reference.bytes / 1000).toFixed(0)} KB) | ` +
      `${reference.medianMs.toFixed(1)} ms, ${(reference.medianMs / result.bundledBaselineMs).toFixed(2)}x the bundled bare client | |`,
  ];
}
