import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../lib/paths.js';
import { loadTopology } from '../local/template.js';

const runs = Number(process.argv[2] ?? 9);
const entries = process.argv.slice(3);
const fns = loadTopology().functions;
const dir = path.join(PROJECT_ROOT, 'cdk.out', 'exp');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'package.json'), '{"type":"commonjs"}');
const PT = ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics', '@aws-lambda-powertools/tracer'];
const variants: Record<string, string[]> = { ext: ['@aws-sdk/*', ...PT], ptbundled: ['@aws-sdk/*', '@aws-lambda-powertools/tracer'] };
const files: { name: string; file: string; env: Record<string, string> }[] = [];
writeFileSync(path.join(dir, 'bare.cjs'), "const {DynamoDBClient}=require('@aws-sdk/client-dynamodb'); new DynamoDBClient({});");
await build({ entryPoints: [path.join(dir, 'bare.cjs')], bundle: true, platform: 'node', format: 'cjs', target: 'node22', minify: true, outfile: path.join(dir, 'bare-bundled.js'), logLevel: 'error' });
files.push({ name: 'bare ddb (runtime SDK)', file: path.join(dir, 'bare.cjs'), env: {} });
files.push({ name: 'bare ddb bundled', file: path.join(dir, 'bare-bundled.js'), env: {} });
for (const entry of entries) {
  const env = fns.find((f) => f.entry === entry)?.environment ?? {};
  for (const [v, external] of Object.entries(variants)) {
    const file = path.join(dir, `${entry.replace(/\W/g, '_')}-${v}.js`);
    await build({ entryPoints: [path.join(PROJECT_ROOT, entry)], bundle: true, platform: 'node', format: 'cjs', target: 'node22', minify: true, outfile: file, external, logLevel: 'error' });
    files.push({ name: `${entry} ${v}`, file, env: env as Record<string, string> });
    writeFileSync(`${file}.env`, Object.entries(env).map(([k, x]) => `${k}=${x}`).join("\n"));
  }
}
const base = { AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'x', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: process.env.TRACE ?? 'false', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_OPTIONS: '' };
const t = new Map(files.map((f) => [f.name, [] as number[]]));
for (let r = 0; r < runs; r++) for (const f of files) {
  const c = spawnSync(process.execPath, ['-e', `const t0=performance.now(); require(${JSON.stringify(f.file)}); process.stdout.write(String(performance.now()-t0))`], { cwd: PROJECT_ROOT, env: { ...process.env, ...base, ...f.env }, encoding: 'utf8' });
  if (c.status !== 0) throw new Error(`${f.name}: ${c.stderr.slice(-600)}`);
  t.get(f.name)?.push(Number(c.stdout));
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const b0 = med(t.get('bare ddb (runtime SDK)') ?? []);
const b1 = med(t.get('bare ddb bundled') ?? []);
for (const f of files) {
  const m = med(t.get(f.name) ?? []);
  console.log(`${m.toFixed(1).padStart(7)} ms  ${(m / b0).toFixed(2)}x runtime-bare  ${(m / b1).toFixed(2)}x bundled-bare  ${f.name}`);
}
