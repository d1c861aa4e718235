/**
 * The deployed map cut to our own code (lib/own-source-map.ts): a bundle of a fixture with a package inside (zod/mini,
 * as the Lambdas bundle it) run with `--enable-source-maps`, as the stack runs its Lambdas. Our frames still map to
 * the .ts file and line; a frame inside the package is not attributed to our code; the package's mappings are gone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPackageSource, ownCodeSourceMap } from '../../lib/own-source-map.js';
import { PROJECT_ROOT } from '../../lib/paths.js';

// Two files of ours: `first.ts` is emitted before zod (imported first), so zod's code follows ours on the same
// minified line, where a dropped mapping could let our last segment claim the package's code.
const FIRST = [
  'export function failing(): boolean {',
  "  throw new Error('refused inside a package call');",
  '}',
].join('\n');
const MAIN = [
  "import { failing } from './first.js';",
  "import * as z from 'zod/mini';",
  'function checkName(value: unknown): string {',
  '  return z.parse(z.string().check(z.refine(failing)), value);',
  '}',
  'function refuse(): never {',
  "  throw new Error('refused by our code');",
  '}',
  "for (const run of [() => checkName('x'), refuse]) {",
  '  try {',
  '    run();',
  '  } catch (error) {',
  "    const frames = (error as Error).stack?.split('\\n').filter((line) => line.trimStart().startsWith('at '));",
  '    console.log(JSON.stringify(frames?.slice(0, 8)));',
  '  }',
  '}',
].join('\n');

let dir: string;
let fullMap: string;
let stacks: (kind: 'full' | 'own' | 'none') => string[][];

beforeAll(async () => {
  // Under the project, so zod resolves from its node_modules as a Lambda's imports do.
  mkdirSync(path.join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
  dir = mkdtempSync(path.join(PROJECT_ROOT, 'cdk.out', 'own-map-'));
  writeFileSync(path.join(dir, 'first.ts'), FIRST);
  writeFileSync(path.join(dir, 'main.ts'), MAIN);
  const outfile = path.join(dir, 'out', 'index.js');
  // The same esbuild options as a Lambda's (minified, external map, no sources' text).
  await build({
    entryPoints: [path.join(dir, 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    outfile,
    logLevel: 'error',
  });
  fullMap = readFileSync(`${outfile}.map`, 'utf8');
  stacks = (kind) => {
    if (kind !== 'none')
      writeFileSync(`${outfile}.map`, kind === 'own' ? ownCodeSourceMap(fullMap) : fullMap);
    const out = execFileSync(
      process.execPath,
      [...(kind === 'none' ? [] : ['--enable-source-maps']), outfile],
      {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    return out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
  };
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ownCodeSourceMap', () => {
  it("keeps only the project's sources; the package's are gone and the map is much smaller", () => {
    const full = JSON.parse(fullMap) as { sources: string[] };
    const own = JSON.parse(ownCodeSourceMap(fullMap)) as { sources: string[]; sourcesContent?: unknown };
    expect(full.sources.some(isPackageSource)).toBe(true);
    expect(own.sources.some(isPackageSource)).toBe(false);
    expect(own.sources).toEqual(['../first.ts', '../main.ts']);
    expect(ownCodeSourceMap(fullMap).length).toBeLessThan(fullMap.length / 5);
  });

  it('maps a frame of our code to its .ts file and line, as the whole map does', () => {
    const [, ours] = stacks('own');
    const [, whole] = stacks('full');
    expect(ours?.[0]).toMatch(/main\.ts:7:\d+/);
    expect(ours).toEqual(whole);
  });

  it("maps our frames around a package's, and leaves the package's own frames at the bundle's position", () => {
    const [ours] = stacks('own');
    const [whole] = stacks('full');
    const [unmapped] = stacks('none');
    expect(ours?.[0]).toMatch(/first\.ts:2:\d+/); // thrown in our callback
    expect(ours?.some((frame) => /at checkName .*main\.ts:4:\d+/.test(frame))).toBe(true); // our call into zod
    // zod's frames in between: with the whole map they name zod's files, cut they read as without a map (never ours).
    const inPackage = (whole ?? []).flatMap((frame, i) => (/node_modules\/zod\//.test(frame) ? [i] : []));
    expect(inPackage.length).toBeGreaterThan(0);
    for (const i of inPackage) {
      expect(ours?.[i]).not.toMatch(/(first|main)\.ts/);
      expect(ours?.[i]).toBe(unmapped?.[i]);
    }
  });

  it('keeps the map valid when there is nothing of ours, and leaves a map without packages unchanged', () => {
    const none = JSON.parse(
      ownCodeSourceMap(
        JSON.stringify({
          version: 3,
          sources: ['../node_modules/x/a.js'],
          names: ['n'],
          mappings: 'AAAAA,CAAC',
        }),
      ),
    );
    expect(none).toMatchObject({ sources: [], names: [], mappings: '' });
    const ownOnly = { version: 3, sources: ['../functions/a.ts'], names: ['n'], mappings: 'AAAAA,CAAC;AACA' };
    expect(JSON.parse(ownCodeSourceMap(JSON.stringify(ownOnly)))).toEqual(ownOnly);
  });
});
