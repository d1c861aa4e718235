/**
 * Where the CLI talks to: AWS (the default credential chain), LocalStack (`--endpoint` or
 * `AWS_ENDPOINT_URL`) or the embedded runtime's loopback endpoints. Every command builds its SDK
 * clients from one `Connection`, so the code path is the same for all three.
 */
import {
  type CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CliError, type ErrorContext } from './errors.js';

/** Static credentials (LocalStack's, or the embedded runtime's). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export const DEFAULT_STACK = 'RefundHub';
/** LocalStack accepts any credentials; these are its documented defaults. */
export const LOCALSTACK_CREDENTIALS: StaticCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Connection {
  readonly kind: 'aws' | 'localstack' | 'local';
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: StaticCredentials;
  readonly stackName: string;
  /** For error messages: `AWS`, `LocalStack at <url>`, `the embedded runtime`. */
  readonly target: string;
}

export interface ConnectionOptions {
  readonly endpoint?: string;
  readonly region?: string;
  readonly stack?: string;
}

/** `--endpoint` wins over `AWS_ENDPOINT_URL`; either one means LocalStack. */
export function connectionFrom(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Connection {
  const stackName = options.stack ?? DEFAULT_STACK;
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL;
  if (endpoint) {
    try {
      new URL(endpoint);
    } catch {
      throw new CliError(`--endpoint must be a URL such as http://localhost:4566, got ${endpoint}`, 2);
    }
    const ownCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
    return {
      kind: 'localstack',
      region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      endpoint,
      ...(ownCredentials ? {} : { credentials: LOCALSTACK_CREDENTIALS }),
      stackName,
      target: `LocalStack at ${endpoint}`,
    };
  }
  return {
    kind: 'aws',
    ...(options.region ? { region: options.region } : {}),
    stackName,
    target: 'AWS',
  };
}

/** SDK client configuration for a connection. */
export function clientConfig(connection: Connection) {
  return {
    ...(connection.region ? { region: connection.region } : {}),
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
  };
}

export function errorContext(connection: Connection | undefined): ErrorContext {
  if (!connection) return {};
  return {
    target: connection.target,
    stackName: connection.stackName,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
  };
}

/** The stack's outputs (`ApiUrl`, `StateMachineArn`, `CallbackTopicArn`, `UserPoolId`). */
export async function stackOutputs(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  const result = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = result.Stacks?.[0];
  if (!stack)
    throw Object.assign(new Error(`Stack with id ${stackName} does not exist`), { name: 'ValidationError' });
  return Object.fromEntries(
    (stack.Outputs ?? []).flatMap((o) =>
      o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
    ),
  );
}

export async function requiredOutput(
  cloudformation: CloudFormationClient,
  stackName: string,
  key: string,
): Promise<string> {
  const outputs = await stackOutputs(cloudformation, stackName);
  const value = outputs[key];
  if (!value) {
    throw new CliError(
      `Stack ${stackName} has no ${key} output: is it still deploying, or an older version? Redeploy it.`,
    );
  }
  return value;
}

/**
 * Every resource of the stack. ListStackResources is paginated; DescribeStackResources would stop
 * at 100 resources, and this stack has more than that.
 */
export async function stackResources(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  for await (const page of paginateListStackResources({ client: cloudformation }, { StackName: stackName })) {
    resources.push(...(page.StackResourceSummaries ?? []));
  }
  return resources;
}

/**
 * The physical name of one of the SupportData tables (`Accounts`, `Cases`, `Messages`,
 * `RefundLedger`): CDK's logical id is `Data<Name>` plus an 8-character hash.
 */
export function tableName(
  resources: readonly StackResourceSummary[],
  name: string,
  stackName: string,
): string {
  const pattern = new RegExp(`^Data${name}[0-9A-F]{8}$`);
  const found = resources.find(
    (r) => r.ResourceType === 'AWS::DynamoDB::Table' && pattern.test(r.LogicalResourceId ?? ''),
  );
  if (!found?.PhysicalResourceId) throw new CliError(`Stack ${stackName} has no ${name} table: redeploy it.`);
  return found.PhysicalResourceId;
}

/** A team's callback queue URL (the logical id contains `<team>Queue`; its physical id is the URL). */
export function queueUrl(
  resources: readonly StackResourceSummary[],
  team: string,
  stackName: string,
): string {
  const found = resources.find(
    (r) =>
      r.ResourceType === 'AWS::SQS::Queue' &&
      (r.LogicalResourceId ?? '').includes(`${team}Queue`) &&
      !(r.LogicalResourceId ?? '').includes('DeadLetters'),
  );
  if (!found?.PhysicalResourceId) throw new CliError(`Stack ${stackName} has no ${team} callback queue.`);
  return found.PhysicalResourceId;
}
