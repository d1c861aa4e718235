import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import { tableActions } from './iam.js';
import { StepLambda } from './step-lambda.js';

export interface SupportApiProps {
  readonly cases: dynamodb.ITable;
  readonly stateMachine: sfn.IStateMachine;
  readonly maxMessageLength: number;
  /** @default RemovalPolicy.RETAIN for the user pool */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The customer API: API Gateway REST with a Cognito user pool authorizer. The customer's identity
 * is the token's, never the body's. Bodies are checked against a JSON schema at the edge and again,
 * with clearer messages, by the handler.
 */
export class SupportApi extends Construct {
  public readonly api: apigateway.RestApi;
  public readonly userPool: cognito.UserPool;

  constructor(scope: Construct, id: string, props: SupportApiProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'Customers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      customAttributes: { customerId: new cognito.StringAttribute({ mutable: false }) },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.userPool.addClient('CustomerApp', { authFlows: { userSrp: true } });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigateway.RestApi(this, 'Api', {
      description: 'Refund Hub customer API',
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
      },
    });
    // Gateway-made errors use the same `{ error: { code, message } }` body as the handlers.
    for (const [type, code] of [
      [apigateway.ResponseType.BAD_REQUEST_BODY, 'invalid_request'],
      [apigateway.ResponseType.UNAUTHORIZED, 'unauthenticated'],
      [apigateway.ResponseType.ACCESS_DENIED, 'forbidden'],
    ] as const) {
      this.api.addGatewayResponse(`${code}Response`, {
        type,
        templates: {
          'application/json': `{"error":{"code":"${code}","message":$context.error.messageString}}`,
        },
      });
    }

    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'CustomerAuthorizer', {
      cognitoUserPools: [this.userPool],
    });
    const authorized = { authorizer, authorizationType: apigateway.AuthorizationType.COGNITO };

    const intake = new StepLambda(this, 'Intake', {
      entry: 'functions/intake/handler.ts',
      description: 'POST /v1/support-requests: validates, redacts and starts the workflow once',
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
        [ENV.maxMessageLength]: String(props.maxMessageLength),
      },
    });
    intake.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:PutItem', 'dynamodb:GetItem']));
    props.stateMachine.grantStartExecution(intake.function);

    const getCase = new StepLambda(this, 'GetCase', {
      entry: 'functions/get-case/handler.ts',
      description: "GET /v1/support-requests/{caseId}: the caller's own case",
      environment: { [ENV.casesTable]: props.cases.tableName },
    });
    getCase.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:GetItem']));

    const requestModel = this.api.addModel('SupportRequest', {
      contentType: 'application/json',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['message'],
        additionalProperties: false,
        properties: {
          message: {
            type: apigateway.JsonSchemaType.STRING,
            minLength: 1,
            maxLength: props.maxMessageLength,
          },
          orderId: { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
          callbackPhone: { type: apigateway.JsonSchemaType.STRING, pattern: '^\\+[1-9][0-9]{6,14}$' },
        },
      },
    });

    const validator = this.api.addRequestValidator('ValidateRequests', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const supportRequests = this.api.root.addResource('support-requests');
    supportRequests.addMethod('POST', new apigateway.LambdaIntegration(intake.function), {
      ...authorized,
      requestModels: { 'application/json': requestModel },
      requestValidator: validator,
    });
    supportRequests
      .addResource('{caseId}')
      .addMethod('GET', new apigateway.LambdaIntegration(getCase.function), {
        ...authorized,
        requestParameters: { 'method.request.path.caseId': true },
        requestValidator: validator,
      });
  }
}
