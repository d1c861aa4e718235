/**
 * Builds the web chat (`/`) and the agent console (`/agent`) into web/dist with Vite (Preact through esbuild's
 * automatic JSX runtime, no plugin). Runs in `npm ci` (postinstall) and in `npm start` when web/dist is missing or
 * older than its sources, so nobody types a build command. Fails when the chat's JavaScript is over its budget.
 *
 *   npm run build:web                  # always build
 *   tsx scripts/build-web.ts --if-stale
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../lib/paths.js';

export const WEB_ROOT = path.join(PROJECT_ROOT, 'web');
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
/** The budget for the chat page's JavaScript, gzipped. */
export const CHAT_JS_BUDGET_BYTES = 150 * 1024;

/** The newest modification time under `dir` (skipping the build output), 0 when there is nothing. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The files outside web/ the last build bundled (the functions' money formatting...), relative to the root. */
const SOURCES_FILE = path.join(WEB_DIST, '.sources.json');

const mtimeOrInfinity = (file: string) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
};

/** Missing, or built before a source of the app (under web/, a module it bundled from elsewhere, this script) changed. */
export function webBuildIsStale(): boolean {
  let built: number;
  let outside: string[];
  try {
    built = Math.min(
      statSync(path.join(WEB_DIST, 'index.html')).mtimeMs,
      statSync(path.join(WEB_DIST, 'agent', 'index.html')).mtimeMs,
    );
    outside = JSON.parse(readFileSync(SOURCES_FILE, 'utf8')) as string[];
  } catch {
    return true;
  }
  const sources = Math.max(
    newestMtime(WEB_ROOT),
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    ...outside.map((file) => mtimeOrInfinity(path.join(PROJECT_ROOT, file))),
  );
  return sources > built;
}

/** The project's own modules outside web/ that the build bundled (type-only imports are not bundled, and need not be). */
function bundledOutsideWeb(output: unknown): string[] {
  const outputs = (Array.isArray(output) ? output : [output]) as { output?: { moduleIds?: string[] }[] }[];
  const ids = outputs.flatMap((o) => (o.output ?? []).flatMap((chunk) => chunk.moduleIds ?? []));
  return [...new Set(ids)]
    .filter(
      (id) =>
        path.isAbsolute(id) &&
        id.startsWith(PROJECT_ROOT) &&
        !id.includes(`${path.sep}node_modules${path.sep}`),
    )
    .map((id) => path.relative(PROJECT_ROOT, id))
    .filter((file) => !file.startsWith(`web${path.sep}`))
    .sort();
}

/** The JS a page loads (its module scripts and their static imports), gzipped, in bytes. */
export function pageScriptBytes(page: string): { files: string[]; gzipBytes: number } {
  const html = readFileSync(path.join(WEB_DIST, page), 'utf8');
  const files = new Set<string>();
  for (const m of html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g))
    files.add(m[1] as string);
  const gzipBytes = [...files].reduce(
    (sum, file) => sum + gzipSync(readFileSync(path.join(WEB_DIST, file.replace(/^\//, '')))).length,
    0,
  );
  return { files: [...files], gzipBytes };
}

export async function buildWeb(log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
  const { build } = await import('vite');
  const output = await build({
    configFile: false,
    root: WEB_ROOT,
    base: '/',
    logLevel: 'warn',
    // Preact's automatic JSX runtime through esbuild: no framework plugin needed.
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    build: {
      outDir: WEB_DIST,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      rollupOptions: {
        input: { chat: path.join(WEB_ROOT, 'index.html'), agent: path.join(WEB_ROOT, 'agent', 'index.html') },
      },
    },
  });
  writeFileSync(SOURCES_FILE, `${JSON.stringify(bundledOutsideWeb(output), null, 2)}\n`);
  const chat = pageScriptBytes('index.html');
  const agent = pageScriptBytes('agent/index.html');
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  log(
    `web/dist built: chat JS ${kb(chat.gzipBytes)} gzipped (budget ${kb(CHAT_JS_BUDGET_BYTES)}), console JS ${kb(agent.gzipBytes)}`,
  );
  if (chat.gzipBytes > CHAT_JS_BUDGET_BYTES)
    throw new Error(
      `The chat's JavaScript is ${kb(chat.gzipBytes)} gzipped, over its ${kb(CHAT_JS_BUDGET_BYTES)} budget.`,
    );
  return { chat, agent };
}

/** Builds when web/dist is missing or stale; true when it built. */
export async function ensureWebBuilt(log?: (line: string) => void): Promise<boolean> {
  if (!webBuildIsStale()) return false;
  await buildWeb(log);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  (ifStale ? ensureWebBuilt() : buildWeb()).catch((error: Error) => {
    process.stderr.write(`Building the web app failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
