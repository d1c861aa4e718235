/**
 * The environment every LocalStack script shares: one endpoint (`AWS_ENDPOINT_URL`, else
 * `LOCALSTACK_ENDPOINT`, else http://localhost:4566), LocalStack's test credentials and region,
 * and a reachability check that says what to start when LocalStack is not running.
 */
export const DEFAULT_LOCALSTACK_ENDPOINT = 'http://localhost:4566';

export function localstackEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.AWS_ENDPOINT_URL ?? env.LOCALSTACK_ENDPOINT ?? DEFAULT_LOCALSTACK_ENDPOINT).replace(/\/+$/, '');
}

/**
 * Variables for `cdklocal`: with aws-cdk >= 2.177 it drops AWS_* variables that are not allow-listed,
 * and it needs an S3 endpoint whose host contains `.s3.` to tell S3 requests apart.
 */
export function cdklocalEnv(endpoint: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const url = new URL(endpoint);
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    ...(env.AWS_ENDPOINT_URL_S3 || !local
      ? {}
      : { AWS_ENDPOINT_URL_S3: `${url.protocol}//s3.localhost.localstack.cloud:${url.port || '4566'}` }),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    AWS_ENVAR_ALLOWLIST: [env.AWS_ENVAR_ALLOWLIST, 'AWS_REGION', 'AWS_DEFAULT_REGION']
      .filter(Boolean)
      .join(','),
    CDK_DEFAULT_ACCOUNT: env.CDK_DEFAULT_ACCOUNT ?? '000000000000',
    CDK_DEFAULT_REGION: region,
  };
}

/** Resolves when LocalStack's health endpoint answers; one actionable line otherwise. */
export async function assertLocalstackUp(endpoint: string): Promise<void> {
  try {
    const response = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    const code = ((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).message;
    throw new Error(
      `LocalStack is not reachable at ${endpoint} (${code}): start it with docker compose up -d`,
    );
  }
}

/** Runs a script's main, turning any failure into one line and exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${error.message.split('\n')[0]}\n`);
      if (process.env.REFUND_HUB_DEBUG) process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
}
