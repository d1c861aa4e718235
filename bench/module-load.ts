/**
 * Module load per Lambda: each function's deployed bundle (bundled as `cdk synth` does: the AWS SDK inside, minified
 * from its ES modules) is required in a fresh node process, and its median compared with loading a bare AWS SDK
 * client (`@aws-sdk/client-dynamodb` from node_modules, as the runtime provides it, required and constructed) on the
 * same machine, the issue's yardstick; and with the same bare client bundled as the functions are. Powertools' Tracer
 * stays external, as from its layer. Measured in rounds (the baselines, then every function, then again), so the
 * shared machine's drift falls on all of them alike; medians of the rounds. Prints; never asserts.
 *
 * Per function: as deployed, tracing off (the goal's column); the same bundle built with the AWS SDK left to the
 * runtime (how it was deployed before the SDK was bundled), in the same rounds; that one with its `@aws-sdk/*`
 * packages loaded before the clock starts ("own code": what the bundle and Powertools cost); as deployed with tracing
 * on (Powertools' Tracer and the X-Ray SDK loaded, from node_modules as from the layer); and as deployed with its
 * source map and `NODE_OPTIONS=--enable-source-maps`, as the stack sets it (the other columns clear it), with the map
 * as deployed (our own code's mappings) and with esbuild's whole map (node_modules' too), in the same rounds. A reference
 * row: the bare client bundled with esbuild's default main fields (CommonJS `main`, as before).
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

export interface ModuleLoad {
  readonly entry: string;
  readonly bytes: number;
  /** Median milliseconds to `require` the bundle with tracing off, or the error that stopped it. */
  readonly medianMs?: number;
  /** The bundle built with the AWS SDK from the runtime (node_modules), tracing off, same rounds. */
  readonly runtimeSdkMs?: number;
  /** That one with the `@aws-sdk/*` packages it requires loaded before the clock starts: the bundle's own share. */
  readonly ownMs?: number;
  /** As deployed with its source map (our own code's mappings only) and `--enable-source-maps`, tracing off. */
  readonly sourceMapsMs?: number;
  /** The same with esbuild's whole map (node_modules' mappings too), as deployed before the map was cut. */
  readonly fullMapMs?: number;
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
  /** The bare client bundled as the functions are (minified, from its ES modules), and with esbuild's default main fields. */
  readonly bundledBaselineMs: number;
  readonly bundledBaselineBytes: number;
  readonly defaultMainFieldsMs: number;
  readonly defaultMainFieldsBytes: number;
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
function lambdaEnv(
  environment: Record<string, string>,
  tracing = false,
  nodeOptions = '',
): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'module-load-bench',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...environment,
    POWERTOOLS_TRACE_ENABLED: tracing ? 'true' : 'false',
    NODE_OPTIONS: nodeOptions,
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

  // The bare client bundled as the functions are, and with esbuild's default main fields (Powertools stays external).
  const bundled = async (outfile: string, mainFields?: string[]) => {
    const options = esbuildOptions('functions/get-case/handler.ts');
    await build({
      ...options,
      entryPoints: [bareSource],
      outfile,
      sourcemap: false,
      ...(mainFields ? { mainFields } : {}),
      logLevel: 'error',
    });
    return readFileSync(outfile).length;
  };
  const bareSource = path.join(dir, 'bare.cjs');
  writeFileSync(bareSource, BASELINE);
  const bareBundled = path.join(dir, 'bare-bundled', 'index.js');
  const bareBundledBytes = await bundled(bareBundled);
  const bareDefault = path.join(dir, 'bare-default-main-fields', 'index.js');
  // esbuild's default for platform node, the CommonJS builds of the SDK
  const bareDefaultBytes = await bundled(bareDefault, ['main', 'module']);
  const baseDir = path.join(dir, 'base-sources');
  if (baseRev) {
    mkdirSync(baseDir, { recursive: true });
    const archive = execFileSync('git', ['archive', baseRev, 'functions', 'classifier'], {
      cwd: PROJECT_ROOT,
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', baseDir], { input: archive, maxBuffer: 1 << 30 });
  }

  const baseline = probe(BASELINE, lambdaEnv({}));
  const bundledBaseline = probe(requireOf(bareBundled), lambdaEnv({}));
  const defaultMainFields = probe(requireOf(bareDefault), lambdaEnv({}));
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
    const mapped = path.join(dir, `${i}-map`, 'index.js');
    mkdirSync(path.dirname(mapped), { recursive: true });
    writeFileSync(mapped, size.code);
    writeFileSync(`${mapped}.map`, size.map);
    const fullMapped = path.join(dir, `${i}-full-map`, 'index.js');
    mkdirSync(path.dirname(fullMapped), { recursive: true });
    writeFileSync(fullMapped, size.code);
    writeFileSync(`${fullMapped}.map`, size.fullMap);
    const runtime = path.join(dir, `${i}-runtime-sdk`, 'index.js');
    mkdirSync(path.dirname(runtime), { recursive: true });
    writeFileSync(runtime, size.codeWithoutSdk);
    const environment = functions.find((f) => f.entry === size.entry)?.environment ?? {};
    const sdkPackages = size.sdkImports;
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
      runtimeSdk: probe(requireOf(runtime), lambdaEnv(environment)),
      own: probe(requireOf(runtime), lambdaEnv(environment), preload),
      traced: probe(requireOf(file), lambdaEnv(environment, true)),
      sourceMaps: probe(requireOf(mapped), lambdaEnv(environment, false, '--enable-source-maps')),
      fullMap: probe(requireOf(fullMapped), lambdaEnv(environment, false, '--enable-source-maps')),
    };
  });
  const all = [
    baseline,
    bundledBaseline,
    defaultMainFields,
    ...perFunction.flatMap((f) => [
      ...(f.base ? [f.base] : []),
      f.full,
      f.runtimeSdk,
      f.own,
      f.traced,
      f.sourceMaps,
      f.fullMap,
    ]),
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
  const loads = perFunction.map(
    ({ size, sdkPackages, base, full, runtimeSdk, own, traced, sourceMaps, fullMap }): ModuleLoad => {
      const row = { entry: size.entry, bytes: size.bytes, sdkPackages };
      const error =
        full.error ?? runtimeSdk.error ?? own.error ?? traced.error ?? sourceMaps.error ?? fullMap.error;
      if (error) return { ...row, error };
      return {
        ...row,
        medianMs: medianOf(full.times),
        runtimeSdkMs: medianOf(runtimeSdk.times),
        ownMs: medianOf(own.times),
        tracedMs: medianOf(traced.times),
        sourceMapsMs: medianOf(sourceMaps.times),
        fullMapMs: medianOf(fullMap.times),
        ...(base && !base.error ? { baseMs: medianOf(base.times) } : {}),
        ...(base?.error ? { baseError: base.error } : {}),
      };
    },
  );
  for (const p of [baseline, bundledBaseline, defaultMainFields])
    if (p.error) throw new Error(`module load reference failed: ${p.error}`);
  return {
    baselineMs: medianOf(baseline.times),
    bundledBaselineMs: medianOf(bundledBaseline.times),
    bundledBaselineBytes: bareBundledBytes,
    defaultMainFieldsMs: medianOf(defaultMainFields.times),
    defaultMainFieldsBytes: bareDefaultBytes,
    loads,
    ...(baseRev ? { baseRev } : {}),
  };
}

const sdkNote = (packages: readonly string[]) =>
  packages.length === 0 ? 'no AWS SDK' : packages.map((p) => p.replace('@aws-sdk/', '')).join(', ');

/** Markdown rows: the baselines, one per function with its ratios, the counts, the default-main-fields reference. */
export function moduleLoadRows(result: ModuleLoadResult, runs: number): string[] {
  const { baselineMs, bundledBaselineMs, loads } = result;
  const count = (ms: (l: ModuleLoad) => number | undefined, over = baselineMs) =>
    `${loads.filter((l) => (ms(l) ?? Number.POSITIVE_INFINITY) / over <= MODULE_LOAD_GOAL).length} / ${loads.length}`;
  const x = (ms: number | undefined, over = baselineMs) => `${((ms ?? Number.NaN) / over).toFixed(2)}x`;
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
  return [
    `| module load: bare AWS SDK client (\`@aws-sdk/client-dynamodb\` from the runtime's node_modules, required and constructed), ` +
      `fresh process, median of ${2 * runs}, in ${runs} rounds with the functions | ${baselineMs.toFixed(1)} ms | |`,
    `| module load: the same bare client bundled as the functions are (minified, ES modules, ${kb(result.bundledBaselineBytes)}), ` +
      `same rounds | ${bundledBaselineMs.toFixed(1)} ms (${x(bundledBaselineMs)} the runtime's) | |`,
    ...loads.map((l) => {
      const what = `module load: ${l.entry} (${kb(l.bytes)} with the SDK; ${sdkNote(l.sdkPackages)})`;
      if (l.medianMs === undefined) return `| ${what} | failed: ${l.error} | |`;
      const ratio = l.medianMs / baselineMs;
      const before =
        l.baseMs === undefined
          ? l.baseError
            ? `; at ${result.baseRev} failed: ${l.baseError}`
            : ''
          : `; at ${result.baseRev} ${l.baseMs.toFixed(1)} ms (${x(l.baseMs)})`;
      const measured =
        `${l.medianMs.toFixed(1)} ms, ${ratio.toFixed(2)}x the SDK client (${x(l.medianMs, bundledBaselineMs)} the bundled one); ` +
        `SDK from the runtime ${(l.runtimeSdkMs ?? Number.NaN).toFixed(1)} ms (${x(l.runtimeSdkMs)}); ` +
        `own code ${(l.ownMs ?? Number.NaN).toFixed(1)} ms; tracing on ${(l.tracedMs ?? Number.NaN).toFixed(1)} ms (${x(l.tracedMs)}); ` +
        `source maps on ${(l.sourceMapsMs ?? Number.NaN).toFixed(1)} ms (${x(l.sourceMapsMs)}; ` +
        `with node_modules' mappings ${(l.fullMapMs ?? Number.NaN).toFixed(1)} ms, ${x(l.fullMapMs)})${before}`;
      return `| ${what} | ${measured} | ≤ ${MODULE_LOAD_GOAL}x, tracing off (${ratio <= MODULE_LOAD_GOAL ? 'met' : '**not met**'}) |`;
    }),
    `| module load: functions within ${MODULE_LOAD_GOAL}x of the bare SDK client, tracing off | ${count((l) => l.medianMs)} | all |`,
    `| module load: the same with the AWS SDK from the runtime (as before it was bundled), same rounds | ` +
      `${count((l) => l.runtimeSdkMs)} | |`,
    `| module load: functions within ${MODULE_LOAD_GOAL}x of the bare client bundled the same way, tracing off | ` +
      `${count((l) => l.medianMs, bundledBaselineMs)} | (reported) |`,
    ...(result.baseRev === undefined
      ? []
      : [
          `| module load: functions within ${MODULE_LOAD_GOAL}x at ${result.baseRev}, same rounds | ${count((l) => l.baseMs)} | |`,
        ]),
    `| module load: functions within ${MODULE_LOAD_GOAL}x with tracing on (X-Ray SDK loaded, as deployed) | ` +
      `${count((l) => l.tracedMs)} | (reported) |`,
    `| module load: functions within ${MODULE_LOAD_GOAL}x with source maps on (\`--enable-source-maps\`, as deployed) | ` +
      `${count((l) => l.sourceMapsMs)} | (reported) |`,
    `| module load: the same with esbuild's whole map (node_modules' mappings too, as before the map was cut) | ` +
      `${count((l) => l.fullMapMs)} | (reported) |`,
    `| module load, reference: the bare client bundled with esbuild's default main fields (CommonJS builds, ` +
      `${kb(result.defaultMainFieldsBytes)}), same rounds | ${result.defaultMainFieldsMs.toFixed(1)} ms (${x(result.defaultMainFieldsMs)}) | |`,
  ];
}
