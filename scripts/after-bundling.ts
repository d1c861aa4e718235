/**
 * `node --import tsx scripts/after-bundling.ts <project root> <asset dir>`: what the stack does to each Lambda asset
 * after esbuild (its afterBundling hook, lib/constructs/step-lambda.ts, which runs this file bundled to plain
 * JavaScript once per synth). Cuts index.js.map to the project's own mappings (lib/own-source-map.ts) and bundles
 * each lazy package the function requires beside index.js (lib/lazy-packages.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { lazyPackageBuild, lazyPackageFile, lazyPackagesRequired } from '../lib/lazy-packages.js';
import { ownCodeSourceMap } from '../lib/own-source-map.js';

const [projectRoot, outputDir] = process.argv.slice(2);
if (!projectRoot || !outputDir) throw new Error('usage: after-bundling.ts <project root> <asset dir>');
const map = path.join(outputDir, 'index.js.map');
if (existsSync(map)) writeFileSync(map, ownCodeSourceMap(readFileSync(map, 'utf8')));
const code = readFileSync(path.join(outputDir, 'index.js'), 'utf8');
for (const name of lazyPackagesRequired(code))
  buildSync({ ...lazyPackageBuild(name, projectRoot), outfile: lazyPackageFile(outputDir, name) });
