/**
 * `node --import tsx scripts/own-source-map.ts <index.js.map>…`: rewrites each map in place with only the project's
 * own mappings (lib/own-source-map.ts). The stack runs it, bundled to plain JavaScript once per synth, after esbuild on
 * every Lambda bundle (afterBundling hook, lib/constructs/step-lambda.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ownCodeSourceMap } from '../lib/own-source-map.js';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: own-source-map.ts <index.js.map>…');
for (const file of files) writeFileSync(file, ownCodeSourceMap(readFileSync(file, 'utf8')));
