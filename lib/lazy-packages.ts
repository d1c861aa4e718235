/**
 * Packages a Lambda bundle leaves out of index.js and ships beside it, bundled on their own as
 * `node_modules/<name>/index.js` in the same asset: our code imports them on first use (`import('stripe')` in
 * functions/shared/payments/index.ts), so a cold start that never calls them does not read or parse them. The Stripe
 * SDK is about 250 KB minified (every API resource is registered on the client) in five functions, and with the ledger
 * provider (the default) they never call it. No CDK import here: the afterBundling script bundles this file.
 */
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

export const LAZY_PACKAGES = ['stripe'] as const;
export type LazyPackage = (typeof LAZY_PACKAGES)[number];

/** The lazy packages a bundle loads: esbuild keeps an external import as a literal `import("name")` or `require("name")`. */
export function lazyPackagesRequired(code: string): LazyPackage[] {
  return LAZY_PACKAGES.filter((name) =>
    [`import(${JSON.stringify(name)})`, `require(${JSON.stringify(name)})`].some((call) =>
      code.includes(call),
    ),
  );
}

/** Where a lazy package goes in a function's asset, so Node's resolution from index.js finds it. */
export const lazyPackageFile = (outputDir: string, name: LazyPackage) =>
  path.join(outputDir, 'node_modules', name, 'index.js');

/**
 * esbuild options for one lazy package: the package as one CommonJS file, minified for Node 22 from its ES modules,
 * as the functions are bundled. `resolveDir` is the project, whose node_modules holds the package. Its default export
 * is `module.exports`, with itself as `.default` (as the package's own CommonJS build has it): Node's `import()` of a
 * CommonJS file gives `module.exports` as the default, and `require` callers read `.default` too.
 */
export function lazyPackageBuild(name: LazyPackage, projectRoot: string): BuildOptions {
  const contents = [
    `const loaded = require(${JSON.stringify(name)});`,
    'const main = loaded.default ?? loaded;',
    'module.exports = main;',
    'module.exports.default = main;',
  ].join('\n');
  return {
    stdin: { contents, resolveDir: projectRoot, loader: 'js', sourcefile: `${name}-lazy.js` },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'error',
  };
}
