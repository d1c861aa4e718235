/** Size of the classifier Lambda as deployed: esbuild, minified, node22, `@aws-sdk/*` external. */
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './datasets.js';

export async function classifierBundleBytes(): Promise<number> {
  const result = await build({
    entryPoints: [join(ROOT, 'functions', 'classify', 'handler.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles.reduce((sum, f) => sum + f.contents.byteLength, 0);
}
