/**
 * One function's deployed bundle for a cold-start test: written as the Lambda asset is (CommonJS, under cdk.out, where
 * the external packages resolve from the project's node_modules as from the runtime and the layer), and run in a fresh
 * node with the variables Lambda sets. Registers its own beforeAll/afterAll.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { bundleSize } from '../../scripts/lib/lambda-bundles.js';

export interface DeployedBundle {
  /** The bundle's path, to `require` from the script. */
  readonly file: string;
  /** Runs `script` (node -e) with Lambda's variables and `env`; fails the test on an error on stderr; returns stdout. */
  run(script: string, env: Record<string, string>): string;
}

/**
 * `sdk: 'runtime'` writes the bundle without the AWS SDK (required from node_modules, as from the runtime): a test that
 * checks which clients get loaded, and when, reads `require.cache`, which cannot see inside the deployed bundle.
 */
export function deployedBundle(
  entry: string,
  functionName: string,
  sdk: 'bundled' | 'runtime' = 'bundled',
): DeployedBundle {
  const dir = path.join(PROJECT_ROOT, 'cdk.out', `${functionName}-load-${process.pid}`);
  const file = path.join(dir, 'index.js');
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    const size = await bundleSize(entry);
    writeFileSync(file, sdk === 'runtime' ? size.codeWithoutSdk : size.code);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    file,
    run(script, env) {
      const child = spawnSync(process.execPath, ['-e', script], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          AWS_REGION: 'us-east-1',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
          AWS_LAMBDA_FUNCTION_NAME: functionName,
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          ...env,
        },
      });
      expect(child.stderr).not.toMatch(/Error:/);
      return child.stdout;
    },
  };
}
