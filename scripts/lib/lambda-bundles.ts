/**
 * Bundles every Lambda entry of the stack exactly as `NodejsFunction` does (aws-lambda-nodejs' `esbuild --bundle`
 * with the options in `LAMBDA_BUNDLING`), in memory, with esbuild's metafile: the bytes a deployment ships and
 * what they are made of. Used by `scripts/bundle-sizes.ts`, the bundle-size test and `npm run bench`.
 */
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLING } from '../../lib/constructs/step-lambda.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { loadTopology } from '../../local/template.js';

/** Budget per bundle (the 150 KB, decimal kilobytes as the 485 KB it starts from). */
export const BUNDLE_BUDGET_BYTES = 150_000;
/** Inputs that are the classifier's model, not code: counted apart from the budget. */
export const MODEL_INPUT = /(^|\/)classifier\/model\//;

export interface BundleSize {
  readonly entry: string;
  /** index.js as deployed (minified), and gzipped. */
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  /** Bytes of index.js that come from the classifier's model (0 for every other entry). */
  readonly modelBytes: number;
  /** Output bytes per package (or project folder), largest first. */
  readonly byPackage: readonly { readonly name: string; readonly bytes: number }[];
  readonly code: string;
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

/** The esbuild options aws-lambda-nodejs passes for `LAMBDA_BUNDLING` (see its `buildEsbuildArgs`). */
export function esbuildOptions(entry: string) {
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
    external: [...LAMBDA_BUNDLING.externalModules],
    absWorkingDir: PROJECT_ROOT,
  };
}

export async function bundleSize(entry: string): Promise<BundleSize> {
  const options = esbuildOptions(entry);
  const result = await build({ ...options, write: false, metafile: true, logLevel: 'error' });
  const js = result.outputFiles.find((f) => f.path === options.outfile);
  const map = result.outputFiles.find((f) => f.path === `${options.outfile}.map`);
  if (!js) throw new Error(`esbuild wrote no ${options.outfile} for ${entry}`);
  const output = (result.metafile as Metafile).outputs[path.relative(PROJECT_ROOT, options.outfile)];
  const totals = new Map<string, number>();
  let modelBytes = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = packageOf(input);
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    if (MODEL_INPUT.test(input)) modelBytes += bytesInOutput;
  }
  return {
    entry,
    bytes: js.contents.length,
    gzipBytes: gzipSync(js.contents).length,
    mapBytes: map?.contents.length ?? 0,
    modelBytes,
    byPackage: [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    code: js.text,
  };
}

export async function bundleSizes(entries = lambdaEntries()): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const entry of entries) sizes.push(await bundleSize(entry));
  return sizes;
}
