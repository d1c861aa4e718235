/**
 * Reads what the embedded runtime needs out of the template CDK synthesizes: the state machine
 * definition (intrinsics resolved to plain ASL with local ARNs), the tables, the topic and its
 * subscriptions, and each Lambda's handler source and environment. No second copy of anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { configFromContext, type RefundHubConfig } from '../lib/config.js';
import { HANDLER_METADATA_KEY } from '../lib/constructs/step-lambda.js';
import { PROJECT_ROOT } from '../lib/paths.js';
import { RefundHubStack } from '../lib/refund-hub-stack.js';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
  readonly Metadata?: Record<string, Json>;
}
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

export interface LocalFunction {
  readonly logicalId: string;
  readonly arn: string;
  /** Handler source relative to the repository root. */
  readonly entry: string;
  readonly environment: Record<string, string>;
}

export interface LocalTable {
  readonly logicalId: string;
  readonly tableName: string;
  readonly definition: Record<string, Json>;
}

export interface LocalSubscription {
  readonly queueName: string;
  readonly filterPolicy: Json | undefined;
  readonly rawMessageDelivery: boolean;
}

export interface LocalTopology {
  readonly config: RefundHubConfig;
  readonly template: CfnTemplate;
  readonly definition: Record<string, unknown>;
  readonly stateMachineArn: string;
  /** The returns workflow's state machine (lib/constructs/returns-workflow.ts), when the stack has it. */
  readonly returns?: { readonly stateMachineArn: string; readonly definition: Record<string, unknown> };
  readonly functions: readonly LocalFunction[];
  readonly tables: readonly LocalTable[];
  readonly topicName: string;
  readonly topicArn: string;
  readonly queues: readonly {
    readonly logicalId: string;
    readonly name: string;
    readonly deadLetterOf?: string;
  }[];
  readonly subscriptions: readonly LocalSubscription[];
  /** The REST API's methods, from `AWS::ApiGateway::Method` (OPTIONS left out). */
  readonly apiRoutes: readonly LocalApiRoute[];
  /** The REST API's stage name (`v1`): routes are served under `/<stage>`. */
  readonly apiStageName: string;
}

export type ApiAuthorizationType = 'COGNITO_USER_POOLS' | 'AWS_IAM' | 'NONE' | 'CUSTOM';

export interface LocalApiRoute {
  /** The `AWS::ApiGateway::Method` logical id. */
  readonly logicalId: string;
  /** `GET`, `POST`, ... or `ANY`. */
  readonly httpMethod: string;
  /** The resource path without the stage, e.g. `/support-requests/{caseId}`. */
  readonly resourcePath: string;
  readonly authorizationType: ApiAuthorizationType;
  /** The Lambda function the proxy integration invokes (its logical id). */
  readonly functionLogicalId: string;
  /** JSON schema of the `application/json` request model, when the method validates its body. */
  readonly requestSchema?: Record<string, Json>;
}

/** Synthesizes the real app in-process, without bundling: the template is all we need. */
export function synthesizeTemplate(context: Record<string, unknown> = {}): {
  template: CfnTemplate;
  config: RefundHubConfig;
} {
  // cdk.json's operator context, as `cdk deploy` would apply it; the caller's overrides win.
  // No bundling and no built-in CloudFormation validation: only the template is needed here.
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stack = new RefundHubStack(app, 'RefundHub', { config: configFromContext(app.node) });
  const assembly = app.synth();
  return { template: assembly.getStackByName(stack.stackName).template as CfnTemplate, config: stack.config };
}

function cdkJsonContext(): Record<string, unknown> {
  const file = path.join(PROJECT_ROOT, 'cdk.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

export function loadTopology(context: Record<string, unknown> = {}): LocalTopology {
  const { template, config } = synthesizeTemplate(context);
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);

  const topicEntry = ofType('AWS::SNS::Topic')[0];
  if (!topicEntry) throw new Error('The template has no SNS topic');
  const topicName = topicEntry[0];
  const topicArn = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${topicName}`;
  // Two state machines: the refund workflow (lib/constructs/refund-workflow.ts) and the returns workflow.
  const machines = ofType('AWS::StepFunctions::StateMachine');
  const returnsEntry = machines.find(([logicalId]) => logicalId.startsWith('Returns'));
  const stateMachineEntry = machines.find((entry) => entry !== returnsEntry);
  if (!stateMachineEntry) throw new Error('The template has no state machine');
  const machineArn = (logicalId: string) =>
    `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${logicalId}`;
  const stateMachineArn = machineArn(stateMachineEntry[0]);

  // Physical names for local resources are their logical ids: stable and readable.
  const resolver = new IntrinsicResolver(template, (logicalId, attribute) => {
    const resource = template.Resources[logicalId];
    switch (resource?.Type) {
      case 'AWS::Lambda::Function':
        return attribute === 'Arn' || attribute === undefined ? functionArn(logicalId) : logicalId;
      case 'AWS::DynamoDB::Table':
        return attribute === 'Arn'
          ? `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${logicalId}`
          : logicalId;
      case 'AWS::SNS::Topic':
        return attribute === 'TopicName' ? logicalId : topicArn;
      case 'AWS::SQS::Queue':
        return attribute === 'Arn' ? `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}` : logicalId;
      case 'AWS::StepFunctions::StateMachine':
        return machineArn(logicalId);
      default:
        return logicalId;
    }
  });

  const functions: LocalFunction[] = ofType('AWS::Lambda::Function').flatMap(([logicalId, r]) => {
    const entry = r.Metadata?.[HANDLER_METADATA_KEY];
    if (typeof entry !== 'string') return [];
    const variables = ((r.Properties?.Environment as Record<string, Json> | undefined)?.Variables ??
      {}) as Record<string, Json>;
    const environment = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, String(resolver.resolve(v))]),
    );
    return [{ logicalId, arn: functionArn(logicalId), entry, environment }];
  });

  const tables: LocalTable[] = ofType('AWS::DynamoDB::Table').map(([logicalId, r]) => ({
    logicalId,
    tableName: logicalId,
    definition: r.Properties ?? {},
  }));

  const queueEntries = ofType('AWS::SQS::Queue');
  const queues = queueEntries.map(([logicalId, r]) => {
    const redrive = r.Properties?.RedrivePolicy as Record<string, Json> | undefined;
    const target = redrive ? String(resolver.resolve(redrive.deadLetterTargetArn ?? null)) : undefined;
    return { logicalId, name: logicalId, ...(target ? { deadLetterOf: target.split(':').pop() } : {}) };
  });

  const subscriptions: LocalSubscription[] = ofType('AWS::SNS::Subscription')
    .filter(([, r]) => r.Properties?.Protocol === 'sqs')
    .map(([, r]) => ({
      queueName:
        String(resolver.resolve(r.Properties?.Endpoint ?? null))
          .split(':')
          .pop() ?? '',
      filterPolicy: r.Properties?.FilterPolicy,
      rawMessageDelivery:
        r.Properties?.RawMessageDelivery === true || r.Properties?.RawMessageDelivery === 'true',
    }));

  const definition = JSON.parse(
    String(resolver.resolve(stateMachineEntry[1].Properties?.DefinitionString ?? null)),
  );
  const returnsMachine = returnsEntry
    ? {
        stateMachineArn: machineArn(returnsEntry[0]),
        definition: JSON.parse(
          String(resolver.resolve(returnsEntry[1].Properties?.DefinitionString ?? null)),
        ) as Record<string, unknown>,
      }
    : undefined;
  const stage = ofType('AWS::ApiGateway::Stage')[0]?.[1].Properties?.StageName;
  return {
    apiRoutes: apiRoutesOf(template),
    apiStageName: typeof stage === 'string' ? stage : 'prod',
    config,
    template,
    definition,
    stateMachineArn,
    ...(returnsMachine ? { returns: returnsMachine } : {}),
    functions,
    tables,
    topicName,
    topicArn,
    queues,
    subscriptions,
  };
}

export function functionArn(logicalId: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
}

const refOf = (value: Json | undefined): string | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) && typeof value.Ref === 'string'
    ? value.Ref
    : undefined;

/** The logical id of the first `Fn::GetAtt [<id>, 'Arn']` inside a value (an integration URI's Fn::Join). */
function getAttArnTarget(value: Json | undefined): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = getAttArnTarget(item);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') return getAtt[0];
  for (const item of Object.values(value)) {
    const found = getAttArnTarget(item);
    if (found) return found;
  }
  return undefined;
}

/**
 * The API's routes: each method's resource path (PathPart walked up through ParentId to the root),
 * its authorization type, the Lambda its proxy integration invokes and its body model.
 */
export function apiRoutesOf(template: CfnTemplate): LocalApiRoute[] {
  const resources = template.Resources;
  const pathOf = (resourceId: Json | undefined, seen = new Set<string>()): string => {
    const logicalId = refOf(resourceId);
    // `Fn::GetAtt [RestApi, RootResourceId]` (or anything that is not a Resource) is the root.
    if (!logicalId || resources[logicalId]?.Type !== 'AWS::ApiGateway::Resource') return '';
    if (seen.has(logicalId)) throw new Error(`API resource ${logicalId} is its own ancestor`);
    seen.add(logicalId);
    const props = resources[logicalId]?.Properties ?? {};
    return `${pathOf(props.ParentId, seen)}/${String(props.PathPart)}`;
  };
  const routes: LocalApiRoute[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method') continue;
    const props = resource.Properties ?? {};
    const httpMethod = String(props.HttpMethod ?? '').toUpperCase();
    if (httpMethod === 'OPTIONS') continue;
    const functionLogicalId = getAttArnTarget((props.Integration as Record<string, Json> | undefined)?.Uri);
    if (!functionLogicalId || resources[functionLogicalId]?.Type !== 'AWS::Lambda::Function') continue;
    const validatorId = refOf(props.RequestValidatorId);
    const validatesBody =
      validatorId !== undefined && resources[validatorId]?.Properties?.ValidateRequestBody === true;
    const modelId = refOf((props.RequestModels as Record<string, Json> | undefined)?.['application/json']);
    const schema = modelId ? resources[modelId]?.Properties?.Schema : undefined;
    routes.push({
      logicalId,
      httpMethod,
      resourcePath: pathOf(props.ResourceId) || '/',
      authorizationType: String(props.AuthorizationType ?? 'NONE') as ApiAuthorizationType,
      functionLogicalId,
      ...(validatesBody && schema && typeof schema === 'object' && !Array.isArray(schema)
        ? { requestSchema: schema }
        : {}),
    });
  }
  return routes;
}

/** Resolves the intrinsics CDK emits here: Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split and pseudo parameters. */
class IntrinsicResolver {
  constructor(
    private readonly template: CfnTemplate,
    private readonly physical: (logicalId: string, attribute?: string) => string,
  ) {}

  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = value[key] as Json;
      switch (key) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
          return this.physical(String(logicalId), attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, Json[]];
          return (this.resolve(parts) as Json[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, Json];
          return (this.resolve(list) as Json[])[Number(index)] ?? null;
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, Json];
          return String(this.resolve(source)).split(separator);
        }
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::Region':
        return LOCAL_REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'RefundHub';
      default:
        if (!this.template.Resources[name]) throw new Error(`Unresolvable Ref ${name}`);
        return this.physical(name);
    }
  }
}
