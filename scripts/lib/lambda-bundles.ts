/**
 * Bundles every Lambda entry of the stack exactly as `NodejsFunction` does (aws-lambda-nodejs' `esbuild --bundle`
 * with the options in `LAMBDA_BUNDLING`), in memory, with esbuild's metafile: the bytes a deployment ships and
 * what they are made of, and the same bundle without the AWS SDK (what the 150 KB budget counts). Used by
 * `scripts/bundle-sizes.ts`, the bundle-size test and `npm run bench`.
 */
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLING, SDK_EXTERNAL } from '../../lib/constructs/step-lambda.js';
import { type LazyPackage, lazyPackageBuild, lazyPackagesRequired } from '../../lib/lazy-packages.js';
import { ownCodeSourceMap } from '../../lib/own-source-map.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { loadTopology } from '../../local/template.js';

/** Budget per bundle (the issue's 150 KB, decimal kilobytes as the 485 KB it starts from). */
export const BUNDLE_BUDGET_BYTES = 150_000;
/** Inputs that are the classifier's model, not code: counted apart from the budget. */
export const MODEL_INPUT = /(^|\/)classifier\/model\//;

/**
 * Functions still over the budget, each with why; the bundle-size test fails when one gets under (take it off the
 * list) as when any other function goes over. Empty since Powertools comes from its layer (`refundHub:powertools`).
 */
export const KNOWN_OVER: Readonly<Record<string, string>> = {};

export interface BundleSize {
  readonly entry: string;
  /** index.js as deployed (minified, the AWS SDK inside), and gzipped. */
  readonly bytes: number;
  /** The same bundle built with the AWS SDK left to the runtime (`SDK_EXTERNAL`): "without the AWS SDK". */
  readonly bytesWithoutSdk: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  /** Bytes of index.js that come from the classifier's model (0 for every other entry). */
  readonly modelBytes: number;
  /** The lazy packages this function requires, shipped beside index.js and loaded on first use, with their bytes. */
  readonly lazy: readonly { readonly name: LazyPackage; readonly bytes: number }[];
  /** What the budget applies to: index.js without the AWS SDK and the model. */
  readonly budgetBytes: number;
  /** Output bytes per package (or project folder) of the deployed bundle, largest first. */
  readonly byPackage: readonly { readonly name: string; readonly bytes: number }[];
  readonly code: string;
  /** index.js.map as deployed: only the project's own mappings (lib/own-source-map.ts, the stack's afterBundling hook). */
  readonly map: string;
  /** index.js.map as esbuild writes it (node_modules' mappings too), for the module-load bench's comparison. */
  readonly fullMap: string;
  /** The bundle without the AWS SDK: its `require("@aws-sdk/…")` calls show which clients the function loads, and when. */
  readonly codeWithoutSdk: string;
  /** The `@aws-sdk/*` packages the function's own code imports (from `codeWithoutSdk`), sorted. */
  readonly sdkImports: readonly string[];
}

/** The handler sources of every Lambda the stack defines (its `RefundHub:Handler` metadata), sorted, unique. */
export function lambdaEntries(): string[] {
  return [...new Set(loadTopology().functions.map((f) => f.entry))].sort();
}

/** The package an input belongs to (`zod`, `@aws-lambda-powertools/logger`), or its project folder. */
export function packageOf(input: string): string {
  const parts = input.split('node_modules/');
  if (parts.length > 1) {
    const rest = (parts[parts.length - 1] as string).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string);
  }
  return MODEL_INPUT.test(input) ? 'classifier/model' : input.split('/').slice(0, 2).join('/');
}

/**
 * The esbuild options aws-lambda-nodejs passes for `LAMBDA_BUNDLING` (see its `buildEsbuildArgs`); with `sdk:
 * 'runtime'`, the same with the AWS SDK external, as the budget counts it.
 */
export function esbuildOptions(entry: string, sdk: 'bundled' | 'runtime' = 'bundled') {
  const outfile = path.join(
    PROJECT_ROOT,
    'cdk.out',
    'bundle-sizes',
    (LAMBDA_BUNDLING.format as string) === 'esm' ? 'index.mjs' : 'index.js',
  );
  return {
    entryPoints: [path.join(PROJECT_ROOT, entry)],
    bundle: true,
    target: LAMBDA_BUNDLING.target,
    platform: 'node' as const,
    format: LAMBDA_BUNDLING.format,
    outfile,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.externalModules, ...(sdk === 'runtime' ? SDK_EXTERNAL : [])],
    absWorkingDir: PROJECT_ROOT,
  };
}

/** One esbuild run, in memory: index.js, its map and the output bytes per input. */
async function bundleOnce(entry: string, sdk: 'bundled' | 'runtime') {
  const options = esbuildOptions(entry, sdk);
  const result = await build({ ...options, write: false, metafile: true, logLevel: 'error' });
  const js = result.outputFiles.find((f) => f.path === options.outfile);
  const map = result.outputFiles.find((f) => f.path === `${options.outfile}.map`);
  if (!js) throw new Error(`esbuild wrote no ${options.outfile} for ${entry}`);
  const output = (result.metafile as Metafile).outputs[path.relative(PROJECT_ROOT, options.outfile)];
  return { js, map, inputs: Object.entries(output?.inputs ?? {}) };
}

/** A lazy package's bundle as the afterBundling hook writes it (scripts/after-bundling.ts), once per process. */
const lazyBundles = new Map<LazyPackage, Promise<number>>();
function lazyBundleBytes(name: LazyPackage): Promise<number> {
  let bytes = lazyBundles.get(name);
  if (!bytes) {
    bytes = build({ ...lazyPackageBuild(name, PROJECT_ROOT), write: false }).then(
      (result) => result.outputFiles[0]?.contents.length ?? 0,
    );
    lazyBundles.set(name, bytes);
  }
  return bytes;
}

export async function bundleSize(entry: string): Promise<BundleSize> {
  const { js, map, inputs } = await bundleOnce(entry, 'bundled');
  const withoutSdk = await bundleOnce(entry, 'runtime');
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of inputs) {
    const name = packageOf(input);
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  // The model as it stands in the bundle the budget counts (the one without the SDK).
  let modelBytes = 0;
  for (const [input, { bytesInOutput }] of withoutSdk.inputs)
    if (MODEL_INPUT.test(input)) modelBytes += bytesInOutput;
  const codeWithoutSdk = withoutSdk.js.text;
  const ownMap = map ? ownCodeSourceMap(map.text) : '';
  return {
    entry,
    bytes: js.contents.length,
    bytesWithoutSdk: withoutSdk.js.contents.length,
    lazy: await Promise.all(
      lazyPackagesRequired(js.text).map(async (name) => ({ name, bytes: await lazyBundleBytes(name) })),
    ),
    budgetBytes: withoutSdk.js.contents.length - modelBytes,
    gzipBytes: gzipSync(js.contents).length,
    mapBytes: Buffer.byteLength(ownMap),
    modelBytes,
    byPackage: [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    code: js.text,
    map: ownMap,
    fullMap: map?.text ?? '',
    codeWithoutSdk,
    sdkImports: [
      ...new Set([...codeWithoutSdk.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1] as string)),
    ].sort(),
  };
}

export async function bundleSizes(entries = lambdaEntries()): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const entry of entries) sizes.push(await bundleSize(entry));
  return sizes;
}
