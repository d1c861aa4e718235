/**
 * `npm run localstack:deploy [-- <cdk deploy options>]`: bootstraps LocalStack's account and deploys
 * the RefundHub stack with aws-cdk-local (`cdklocal`, which wraps the project's own aws-cdk CLI).
 * Extra arguments go to `cdk deploy`, e.g. `-- -c refundHub:callbackSlaSeconds=60`.
 */
import '../local/quiet.js';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.js';
import { assertLocalstackUp, cdklocalEnv, localstackEndpoint, runMain } from './localstack-env.js';

const CDKLOCAL = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdklocal');

function cdklocal(args: string[], env: NodeJS.ProcessEnv): void {
  process.stdout.write(`$ cdklocal ${args.join(' ')}\n`);
  const result = spawnSync(CDKLOCAL, args, { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
  if (result.error) throw new Error(`Could not run cdklocal (${result.error.message}): run npm ci first.`);
  if (result.status !== 0)
    throw new Error(`cdklocal ${args[0]} failed (exit ${result.status}); see the output above.`);
}

runMain(async () => {
  const endpoint = localstackEndpoint();
  await assertLocalstackUp(endpoint);
  const env = cdklocalEnv(endpoint);
  const target = `aws://${env.CDK_DEFAULT_ACCOUNT}/${env.CDK_DEFAULT_REGION}`;
  cdklocal(['bootstrap', target], env);
  cdklocal(
    [
      'deploy',
      'RefundHub',
      '--require-approval',
      'never',
      '--outputs-file',
      'cdk.out/localstack-outputs.json',
      // LocalStack Community cannot pull AWS's public Powertools layer: bundle it (a later -c wins).
      '-c',
      'refundHub:powertools=bundle',
      ...process.argv.slice(2),
    ],
    env,
  );
  process.stdout.write(
    `\nDeployed to LocalStack at ${endpoint}. Next: npm run localstack:seed, then\n  AWS_ENDPOINT_URL=${endpoint} npx refund-hub invoke --customer C-1001 --message "Subscription refund" --follow\n`,
  );
});
