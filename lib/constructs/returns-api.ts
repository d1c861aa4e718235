import type { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  RETURN_REASONS,
  RETURNS_BY_AGENT_STATE_INDEX,
  RETURNS_BY_CUSTOMER_INDEX,
  RETURNS_BY_TRACKING_INDEX,
} from '../../functions/returns-core/domain.js';
import { ENV } from '../../functions/shared/env.js';
import type { RefundHubConfig } from '../config.js';
import { queryOnly, tableActions } from './iam.js';
import { returnsIndexQuery, returnsPolicyEnvironment } from './returns-workflow.js';
import { StepLambda } from './step-lambda.js';

export interface ReturnsApiProps {
  readonly config: RefundHubConfig;
  readonly returns: dynamodb.ITable;
  readonly accounts: dynamodb.ITable;
  readonly refundLedger: dynamodb.ITable;
  readonly messages: dynamodb.ITable;
  readonly stateMachine: sfn.IStateMachine;
  /** The carrier webhook's HMAC shared secret: only the webhook reads it. */
  readonly carrierWebhookSecret: secretsmanager.ISecret;
  readonly lambdaTimeout?: Duration;
}

export interface ReturnsApiRouting {
  readonly api: apigateway.RestApi;
  readonly customerAuth: Pick<apigateway.MethodOptions, 'authorizer' | 'authorizationType'>;
  readonly validator: apigateway.IRequestValidator;
}

/**
 * The returns routes (POLICY v2 "Returns") on the support API: the customer's `/returns` (Cognito, as the support
 * routes), the carrier's signed webhook, and the agents' `/agent/returns` (IAM). Each route its own Lambda with only
 * its own table actions.
 */
export class ReturnsApi extends Construct {
  public readonly create: StepLambda;
  public readonly carrierWebhook: StepLambda;
  public readonly inspection: StepLambda;
  public readonly functions: readonly StepLambda[];

  constructor(scope: Construct, id: string, props: ReturnsApiProps, routing: ReturnsApiRouting) {
    super(scope, id);
    const { api, customerAuth, validator } = routing;
    const common = props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {};
    const returnsEnv = { [ENV.returnsTable]: props.returns.tableName };

    this.create = new StepLambda(this, 'CreateReturn', {
      ...common,
      entry: 'functions/returns-create/handler.ts',
      description:
        'POST /v1/returns: eligibility, refund policy, the return stored and its workflow started once',
      environment: {
        ...returnsEnv,
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.returnsStateMachineArn]: props.stateMachine.stateMachineArn,
        ...returnsPolicyEnvironment(props.config),
      },
    });
    this.create.function.addToRolePolicy(
      tableActions(props.returns, ['dynamodb:GetItem', 'dynamodb:PutItem']),
    );
    this.create.function.addToRolePolicy(returnsIndexQuery(props.returns, RETURNS_BY_CUSTOMER_INDEX));
    this.create.function.addToRolePolicy(queryOnly([props.accounts, props.refundLedger]));
    props.stateMachine.grantStartExecution(this.create.function);

    const list = new StepLambda(this, 'ListReturns', {
      ...common,
      entry: 'functions/returns-read/list-handler.ts',
      description: "GET /v1/returns: the caller's own returns, newest first",
      environment: returnsEnv,
    });
    list.function.addToRolePolicy(returnsIndexQuery(props.returns, RETURNS_BY_CUSTOMER_INDEX));

    const get = new StepLambda(this, 'GetReturn', {
      ...common,
      entry: 'functions/returns-read/get-handler.ts',
      description: "GET /v1/returns/{returnId}: the caller's own return: status, label, refund, timeline",
      environment: returnsEnv,
    });
    get.function.addToRolePolicy(tableActions(props.returns, ['dynamodb:GetItem']));

    const S = apigateway.JsonSchemaType;
    const returnModel = api.addModel('ReturnRequest', {
      contentType: 'application/json',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: S.OBJECT,
        required: ['orderId', 'items', 'reason'],
        additionalProperties: false,
        properties: {
          orderId: { type: S.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
          items: {
            type: S.ARRAY,
            minItems: 1,
            maxItems: 50,
            items: {
              type: S.OBJECT,
              required: ['sku', 'quantity'],
              additionalProperties: false,
              properties: {
                sku: { type: S.STRING, minLength: 1, maxLength: 64 },
                quantity: { type: S.INTEGER, minimum: 1, maximum: 1000 },
              },
            },
          },
          reason: { type: S.STRING, enum: [...RETURN_REASONS] },
          comment: { type: S.STRING, maxLength: 1000 },
        },
      },
    });
    const returnsResource = api.root.addResource('returns');
    returnsResource.addMethod('POST', new apigateway.LambdaIntegration(this.create.function), {
      ...customerAuth,
      requestModels: { 'application/json': returnModel },
      requestValidator: validator,
    });
    returnsResource.addMethod('GET', new apigateway.LambdaIntegration(list.function), customerAuth);
    returnsResource
      .addResource('{returnId}')
      .addMethod('GET', new apigateway.LambdaIntegration(get.function), {
        ...customerAuth,
        requestParameters: { 'method.request.path.returnId': true },
        requestValidator: validator,
      });

    // The carrier authenticates with its HMAC signature (no AWS or Cognito credentials); no model, so the body
    // reaches the handler byte for byte (the signature is over those bytes).
    this.carrierWebhook = new StepLambda(this, 'CarrierWebhook', {
      ...common,
      entry: 'functions/carrier-webhook/handler.ts',
      description:
        'POST /v1/integrations/carrier/events: signed carrier tracking events resume the returns workflow',
      environment: {
        ...returnsEnv,
        [ENV.messagesTable]: props.messages.tableName,
        [ENV.carrierWebhookSecretArn]: props.carrierWebhookSecret.secretArn,
        [ENV.carrierWebhookToleranceSeconds]: '300',
      },
    });
    this.carrierWebhook.function.addToRolePolicy(
      tableActions(props.returns, ['dynamodb:GetItem', 'dynamodb:UpdateItem']),
    );
    this.carrierWebhook.function.addToRolePolicy(returnsIndexQuery(props.returns, RETURNS_BY_TRACKING_INDEX));
    this.carrierWebhook.function.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));
    props.carrierWebhookSecret.grantRead(this.carrierWebhook.function);
    props.stateMachine.grantTaskResponse(this.carrierWebhook.function);
    (api.root.getResource('integrations') ?? api.root.addResource('integrations'))
      .addResource('carrier')
      .addResource('events')
      .addMethod('POST', new apigateway.LambdaIntegration(this.carrierWebhook.function), {
        authorizationType: apigateway.AuthorizationType.NONE,
      });

    // Agents (IAM): the inspection, and the list of what waits for them.
    const agentOnly = { authorizationType: apigateway.AuthorizationType.IAM };
    this.inspection = new StepLambda(this, 'ReturnInspection', {
      ...common,
      entry: 'functions/returns-inspection/handler.ts',
      description: "POST /v1/agent/returns/{returnId}/inspection: an agent's pass or fail resumes the return",
      environment: returnsEnv,
    });
    this.inspection.function.addToRolePolicy(
      tableActions(props.returns, ['dynamodb:GetItem', 'dynamodb:UpdateItem']),
    );
    props.stateMachine.grantTaskResponse(this.inspection.function);
    const agentList = new StepLambda(this, 'AgentListReturns', {
      ...common,
      entry: 'functions/returns-inspection/list-handler.ts',
      description:
        'GET /v1/agent/returns: returns awaiting inspection or needing a person, longest waiting first',
      environment: returnsEnv,
    });
    agentList.function.addToRolePolicy(returnsIndexQuery(props.returns, RETURNS_BY_AGENT_STATE_INDEX));
    const agent = api.root.getResource('agent') ?? api.root.addResource('agent');
    const agentReturns = agent.addResource('returns');
    agentReturns.addMethod('GET', new apigateway.LambdaIntegration(agentList.function), {
      ...agentOnly,
      requestParameters: { 'method.request.querystring.status': false },
      requestValidator: validator,
    });
    agentReturns
      .addResource('{returnId}')
      .addResource('inspection')
      .addMethod('POST', new apigateway.LambdaIntegration(this.inspection.function), {
        ...agentOnly,
        requestParameters: { 'method.request.path.returnId': true },
        requestValidator: validator,
      });
    this.functions = [this.create, list, get, this.carrierWebhook, this.inspection, agentList];
  }
}

/**
 * The carrier webhook's shared secret in Secrets Manager, created empty (the value never passes through
 * CloudFormation): the operator puts the secret agreed with the carrier. Functions get the ARN, never the value.
 */
export class CarrierWebhookSecret extends Construct {
  public readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const secret = new secretsmanager.Secret(this, 'Secret', {
      description:
        'Refund Hub: the HMAC-SHA256 shared secret the carrier signs its tracking events with (X-Carrier-Signature). ' +
        'Set it with: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string <secret>',
    });
    (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride(
      'GenerateSecretString',
    );
    this.secret = secret;
  }
}
