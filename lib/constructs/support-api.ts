import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RETURNS_BY_CUSTOMER_INDEX } from '../../functions/returns-core/domain.js';
import { CASES_BY_AGENT_QUEUE_INDEX, CASES_BY_CUSTOMER_INDEX } from '../../functions/shared/case-record.js';
import { ENV } from '../../functions/shared/env.js';
import { queryOnly, tableActions } from './iam.js';
import { ReturnsApi, type ReturnsApiProps } from './returns-api.js';
import { returnsIndexQuery } from './returns-workflow.js';
import { StepLambda } from './step-lambda.js';

export interface SupportApiProps {
  readonly accounts: dynamodb.ITable;
  readonly cases: dynamodb.ITable;
  readonly messages: dynamodb.ITable;
  readonly refundLedger: dynamodb.ITable;
  /** Goodwill credits (the case view, and the admin refunds export). */
  readonly credits: dynamodb.ITable;
  readonly stateMachine: sfn.IStateMachine;
  readonly maxMessageLength: number;
  /** Largest goodwill credit an agent may give (minor units). */
  readonly goodwillCapMinor: number;
  /** Agent refunds and credits over this (minor units) need a second agent's approval. @default 100000 */
  readonly dualApprovalThresholdMinor?: number;
  /** @default Duration.seconds(10) */
  readonly lambdaTimeout?: Duration;
  /** @default RemovalPolicy.RETAIN for the user pool */
  readonly removalPolicy?: RemovalPolicy;
  /** The Stripe integration's functions (lib/constructs/integrations.ts): its webhook and reconciliation routes. */
  readonly integrations?: { readonly stripeWebhook: lambda.IFunction; readonly reconcile: lambda.IFunction };
  /** The returns routes (lib/constructs/returns-api.ts): customers' /returns, the carrier webhook, agents' /agent/returns. */
  readonly returns?: ReturnsApiProps;
}

/**
 * The customer API: API Gateway REST with a Cognito user pool authorizer. The customer's identity
 * is the token's, never the body's. Bodies are checked against a JSON schema at the edge and again,
 * with clearer messages, by the handler.
 */
export class SupportApi extends Construct {
  public readonly api: apigateway.RestApi;
  public readonly userPool: cognito.UserPool;
  /** Attach to the agents' role or group: execute-api:Invoke on the agent routes only. */
  public readonly agentInvokePolicy: iam.ManagedPolicy;
  /** Attach to the operators' role or group: execute-api:Invoke on the `/admin/` routes only. */
  public readonly adminInvokePolicy: iam.ManagedPolicy;
  /** The functions behind the admin routes (tests check their grants). */
  public readonly adminAccount: StepLambda;
  public readonly adminRefunds: StepLambda;
  /** The functions behind the agents' read routes (tests check their grants). */
  public readonly agentListCases: StepLambda;
  public readonly agentCaseEvidence: StepLambda;
  /** GET /v1/orders' function, the chat's order picker (tests check its grants). */
  public readonly listOrders: StepLambda;
  /** The second-approval endpoint's function (tests check its grants). */
  public readonly agentApprovals: StepLambda;
  private readonly gatewayResponses: apigateway.GatewayResponse[] = [];
  /** The returns routes, when the stack has the returns workflow. */
  public readonly returnsApi?: ReturnsApi;

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
      const response = this.api.addGatewayResponse(`${code}Response`, {
        type,
        templates: {
          'application/json': `{"error":{"code":"${code}","message":$context.error.messageString}}`,
        },
      });
      this.gatewayResponses.push(response);
    }

    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'CustomerAuthorizer', {
      cognitoUserPools: [this.userPool],
    });
    const authorized = { authorizer, authorizationType: apigateway.AuthorizationType.COGNITO };

    const intake = new StepLambda(this, 'Intake', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
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
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/get-case/handler.ts',
      description: "GET /v1/support-requests/{caseId}: the caller's own case",
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.creditsTable]: props.credits.tableName,
      },
    });
    getCase.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:GetItem']));
    // Where the case's money is: its ledger lines (one query of the customer's ledger) and its credit.
    getCase.function.addToRolePolicy(queryOnly([props.refundLedger]));
    getCase.function.addToRolePolicy(tableActions(props.credits, ['dynamodb:GetItem']));

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
    // The customer's own cases, newest first (the cases table's byCustomer index).
    const customerCases = new StepLambda(this, 'ListCases', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/list-cases/handler.ts',
      description: "GET /v1/support-requests: the caller's own cases, newest first",
      environment: { [ENV.casesTable]: props.cases.tableName },
    });
    customerCases.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.cases.tableArn}/index/${CASES_BY_CUSTOMER_INDEX}`],
      }),
    );
    supportRequests.addMethod('GET', new apigateway.LambdaIntegration(customerCases.function), authorized);
    const supportRequest = supportRequests.addResource('{caseId}');
    supportRequest.addMethod('GET', new apigateway.LambdaIntegration(getCase.function), {
      ...authorized,
      requestParameters: { 'method.request.path.caseId': true },
      requestValidator: validator,
    });

    // "If the AI says no, a person can still help."
    const callback = new StepLambda(this, 'CustomerCallback', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/customer-callback/handler.ts',
      description: 'POST /v1/support-requests/{caseId}/callback: Call Me Now on an answered case',
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
      },
    });
    callback.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    props.stateMachine.grantStartExecution(callback.function);
    supportRequest
      .addResource('callback')
      .addMethod('POST', new apigateway.LambdaIntegration(callback.function), {
        ...authorized,
        requestParameters: { 'method.request.path.caseId': true },
        requestValidator: validator,
      });

    const listMessages = new StepLambda(this, 'ListMessages', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/list-messages/handler.ts',
      description: "GET /v1/messages: the caller's message center, newest first",
      environment: { [ENV.messagesTable]: props.messages.tableName },
    });
    listMessages.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.messages.tableArn}/index/bySentAt`],
      }),
    );
    this.api.root
      .addResource('messages')
      .addMethod('GET', new apigateway.LambdaIntegration(listMessages.function), authorized);

    // What the customer probably wants before typing, from their own account (POLICY v2 "Suggestions").
    const suggestions = new StepLambda(this, 'HelpSuggestions', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/suggestions/handler.ts',
      description: "GET /v1/help/suggestions: at most 3 suggestions from the caller's account",
      environment: {
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        // Returns in progress come first among the returns (the customer's returns through GSI byCustomer), and the
        // return window is the one the returns workflow enforces.
        ...(props.returns
          ? {
              [ENV.returnsTable]: props.returns.returns.tableName,
              [ENV.returnWindowDays]: String(props.returns.config.returnWindowDays),
            }
          : {}),
      },
    });
    suggestions.function.addToRolePolicy(queryOnly([props.accounts, props.refundLedger]));
    if (props.returns)
      suggestions.function.addToRolePolicy(
        returnsIndexQuery(props.returns.returns, RETURNS_BY_CUSTOMER_INDEX),
      );
    this.api.root
      .addResource('help')
      .addResource('suggestions')
      .addMethod('GET', new apigateway.LambdaIntegration(suggestions.function), authorized);

    // Every order of the caller's, newest first, with what is still returnable of each (the chat's order picker).
    const listOrders = new StepLambda(this, 'ListOrders', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/list-orders/handler.ts',
      description:
        "GET /v1/orders: the caller's own orders, newest first, with what is returnable of each now",
      environment: {
        [ENV.accountsTable]: props.accounts.tableName,
        // What earlier returns took back (GSI byCustomer) and the window the returns workflow enforces.
        ...(props.returns
          ? {
              [ENV.returnsTable]: props.returns.returns.tableName,
              [ENV.returnWindowDays]: String(props.returns.config.returnWindowDays),
            }
          : {}),
      },
    });
    this.listOrders = listOrders;
    listOrders.function.addToRolePolicy(queryOnly([props.accounts]));
    if (props.returns)
      listOrders.function.addToRolePolicy(
        returnsIndexQuery(props.returns.returns, RETURNS_BY_CUSTOMER_INDEX),
      );
    this.api.root
      .addResource('orders')
      .addMethod('GET', new apigateway.LambdaIntegration(listOrders.function), {
        ...authorized,
        requestParameters: {
          'method.request.querystring.limit': false,
          'method.request.querystring.nextToken': false,
        },
        requestValidator: validator,
      });

    // Agents: IAM-authorized (a customer's Cognito token is refused).
    const agentOnly = { authorizationType: apigateway.AuthorizationType.IAM };
    const agentCases = this.api.root.addResource('agent').addResource('cases');
    const agentCase = agentCases.addResource('{caseId}');

    const resolve = new StepLambda(this, 'AgentResolution', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/agent-resolution/handler.ts',
      description: "POST /v1/agent/cases/{caseId}/resolution: an agent's decision resumes the workflow",
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.goodwillCapMinor]: String(props.goodwillCapMinor),
        [ENV.dualApprovalThresholdMinor]: String(props.dualApprovalThresholdMinor ?? 100_000),
      },
    });
    resolve.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    resolve.function.addToRolePolicy(queryOnly([props.accounts, props.refundLedger]));
    // Other cases' approvals not yet paid count against a charge's remainder (functions/shared/cases.ts).
    resolve.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.cases.tableArn}/index/${CASES_BY_CUSTOMER_INDEX}`],
      }),
    );
    props.stateMachine.grantTaskResponse(resolve.function);
    agentCase
      .addResource('resolution')
      .addMethod('POST', new apigateway.LambdaIntegration(resolve.function), {
        ...agentOnly,
        requestParameters: { 'method.request.path.caseId': true },
        requestValidator: validator,
      });

    const claim = new StepLambda(this, 'AgentClaim', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/agent-claim/handler.ts',
      description: 'POST /v1/agent/cases/{caseId}/claim: an agent picks up a callback (heartbeat)',
      environment: { [ENV.casesTable]: props.cases.tableName },
    });
    claim.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    props.stateMachine.grantTaskResponse(claim.function);
    agentCase.addResource('claim').addMethod('POST', new apigateway.LambdaIntegration(claim.function), {
      ...agentOnly,
      requestParameters: { 'method.request.path.caseId': true },
      requestValidator: validator,
    });

    // The agents' read side: the queue view (the cases table's byAgentQueue index, never SQS) and the evidence pack.
    this.agentListCases = new StepLambda(this, 'AgentListCases', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/agent-cases/list-handler.ts',
      description: "GET /v1/agent/cases: a team's waiting cases, most urgent then longest waiting",
      environment: { [ENV.casesTable]: props.cases.tableName },
    });
    const listCases = this.agentListCases;
    listCases.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.cases.tableArn}/index/${CASES_BY_AGENT_QUEUE_INDEX}`],
      }),
    );
    agentCases.addMethod('GET', new apigateway.LambdaIntegration(listCases.function), {
      ...agentOnly,
      requestParameters: {
        'method.request.querystring.queue': true,
        'method.request.querystring.status': false,
        'method.request.querystring.limit': false,
        'method.request.querystring.nextToken': false,
      },
      requestValidator: validator,
    });

    this.agentCaseEvidence = new StepLambda(this, 'AgentCaseEvidence', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/agent-cases/evidence-handler.ts',
      description: 'GET /v1/agent/cases/{caseId}: the evidence pack an agent decides from',
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.creditsTable]: props.credits.tableName,
      },
    });
    const evidence = this.agentCaseEvidence;
    evidence.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:GetItem']));
    evidence.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.cases.tableArn}/index/${CASES_BY_CUSTOMER_INDEX}`],
      }),
    );
    evidence.function.addToRolePolicy(queryOnly([props.accounts, props.refundLedger]));
    evidence.function.addToRolePolicy(tableActions(props.credits, ['dynamodb:GetItem']));
    agentCase.addMethod('GET', new apigateway.LambdaIntegration(evidence.function), {
      ...agentOnly,
      requestParameters: { 'method.request.path.caseId': true },
      requestValidator: validator,
    });

    // A second agent confirms a decision over the dual-approval threshold: the same reads and resume as a resolution.
    const approvals = new StepLambda(this, 'AgentApprovals', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/agent-approvals/handler.ts',
      description:
        'POST /v1/agent/cases/{caseId}/approvals: a second agent confirms a decision over the threshold',
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
      },
    });
    approvals.function.addToRolePolicy(
      tableActions(props.cases, ['dynamodb:GetItem', 'dynamodb:UpdateItem']),
    );
    approvals.function.addToRolePolicy(queryOnly([props.accounts, props.refundLedger]));
    approvals.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.cases.tableArn}/index/${CASES_BY_CUSTOMER_INDEX}`],
      }),
    );
    props.stateMachine.grantTaskResponse(approvals.function);
    this.agentApprovals = approvals;
    agentCase
      .addResource('approvals')
      .addMethod('POST', new apigateway.LambdaIntegration(approvals.function), {
        ...agentOnly,
        requestParameters: { 'method.request.path.caseId': true },
        requestValidator: validator,
      });

    // Operators (the admin role): IAM-authorized like the agents, every route under /admin/.
    const adminOnly = { authorizationType: apigateway.AuthorizationType.IAM };
    const admin = this.api.root.addResource('admin');
    this.adminAccount = new StepLambda(this, 'AdminAccount', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/admin-account/handler.ts',
      description:
        "PUT /v1/admin/customers/{customerId}/account: upserts a customer's account from the operator's systems",
      environment: {
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
      },
    });
    // Whole-item puts only (idempotent), and the ledger read that guards refunded charges.
    this.adminAccount.function.addToRolePolicy(tableActions(props.accounts, ['dynamodb:BatchWriteItem']));
    this.adminAccount.function.addToRolePolicy(queryOnly([props.refundLedger]));
    admin
      .addResource('customers')
      .addResource('{customerId}')
      .addResource('account')
      .addMethod('PUT', new apigateway.LambdaIntegration(this.adminAccount.function), {
        ...adminOnly,
        requestParameters: { 'method.request.path.customerId': true },
        requestValidator: validator,
      });

    this.adminRefunds = new StepLambda(this, 'AdminRefunds', {
      ...(props.lambdaTimeout ? { timeout: props.lambdaTimeout } : {}),
      entry: 'functions/admin-refunds/handler.ts',
      description:
        'GET /v1/admin/refunds: ledger refund lines and goodwill credits, for npm run refunds:export',
      environment: {
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.creditsTable]: props.credits.tableName,
      },
    });
    this.adminRefunds.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Scan'],
        resources: [props.refundLedger.tableArn, props.credits.tableArn],
      }),
    );
    admin
      .addResource('refunds')
      .addMethod('GET', new apigateway.LambdaIntegration(this.adminRefunds.function), {
        ...adminOnly,
        requestParameters: {
          'method.request.querystring.provider': false,
          'method.request.querystring.status': false,
          'method.request.querystring.since': false,
          'method.request.querystring.nextToken': false,
        },
        requestValidator: validator,
      });

    if (props.integrations) {
      // Stripe authenticates with the Stripe-Signature HMAC, not AWS or Cognito credentials; no request model, so
      // the body reaches the handler byte for byte (the signature is over those bytes).
      this.api.root
        .addResource('integrations')
        .addResource('stripe')
        .addResource('webhook')
        .addMethod('POST', new apigateway.LambdaIntegration(props.integrations.stripeWebhook), {
          authorizationType: apigateway.AuthorizationType.NONE,
        });
      // Under /admin/ (the admin role's invoke policy): after the admin routes, before the invoke policies are built.
      (this.api.root.getResource('admin') ?? this.api.root.addResource('admin'))
        .addResource('reconciliation')
        .addMethod('POST', new apigateway.LambdaIntegration(props.integrations.reconcile), {
          authorizationType: apigateway.AuthorizationType.IAM,
        });
    }

    if (props.returns) {
      this.returnsApi = new ReturnsApi(this, 'Returns', props.returns, {
        api: this.api,
        customerAuth: authorized,
        validator,
      });
    }

    // Add IAM routes above this line: the two invoke policies list every IAM method there is now
    // (a validation below fails the synth if one is added later and left out).
    const iamMethods = this.api.methods.filter(isIamMethod);
    const invokeOn = (methods: apigateway.Method[]) =>
      new iam.PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: methods.map((m) => m.methodArn),
      });
    const isAdminPath = (m: apigateway.Method) => m.resource.path.startsWith('/admin/');
    this.agentInvokePolicy = new iam.ManagedPolicy(this, 'AgentInvokePolicy', {
      description:
        'Refund Hub agents: call the agent routes (queue, evidence pack, claim, resolution) of the API',
      statements: [invokeOn(iamMethods.filter((m) => !isAdminPath(m)))],
    });
    this.adminInvokePolicy = new iam.ManagedPolicy(this, 'AdminInvokePolicy', {
      description: 'Refund Hub operators (admin role): call the /admin/ routes of the API',
      statements: [invokeOn(iamMethods.filter(isAdminPath))],
    });
    const covered = new Set(iamMethods);
    this.node.addValidation({
      validate: () =>
        this.api.methods
          .filter((m) => isIamMethod(m) && !covered.has(m))
          .map(
            (m) =>
              `${m.httpMethod} ${m.resource.path} is IAM-authorized but in neither invoke policy: add it above the policies`,
          ),
    });
  }

  /**
   * Lets the web app at `origin` call the customer and agent routes from a browser: a CORS preflight on each of
   * their resources, and `Access-Control-Allow-Origin` on every answer, the handlers' (WEB_ORIGIN) and the
   * gateway's own errors. Call it once every route is added. No preflight on /admin/ or /integrations/: no page calls them.
   */
  public allowBrowserOrigin(origin: string): void {
    const browserRoutes = this.api.methods.filter(
      (m) =>
        m.httpMethod !== 'OPTIONS' &&
        !m.resource.path.startsWith('/admin/') &&
        !m.resource.path.startsWith('/integrations/'),
    );
    const methodsOf = new Map<apigateway.IResource, string[]>();
    for (const method of browserRoutes)
      methodsOf.set(method.resource, [...(methodsOf.get(method.resource) ?? []), method.httpMethod]);
    for (const [resource, methods] of methodsOf) {
      resource.addCorsPreflight({
        allowOrigins: [origin],
        allowMethods: methods,
        allowHeaders: BROWSER_REQUEST_HEADERS,
        maxAge: Duration.hours(1),
      });
    }
    const allowOrigin = { 'gatewayresponse.header.Access-Control-Allow-Origin': `'${origin}'` };
    for (const response of this.gatewayResponses)
      (response.node.defaultChild as apigateway.CfnGatewayResponse).responseParameters = allowOrigin;
    // Every other gateway-made error too (a bad or expired SigV4 signature, throttling, an integration failure).
    for (const type of [apigateway.ResponseType.DEFAULT_4XX, apigateway.ResponseType.DEFAULT_5XX]) {
      this.api.addGatewayResponse(`Browser${type.responseType}`, {
        type,
        responseHeaders: { 'Access-Control-Allow-Origin': `'${origin}'` },
      });
    }
    for (const fn of this.node.findAll())
      if (fn instanceof lambda.Function) fn.addEnvironment(ENV.webOrigin, origin);
  }
}

/** What a browser page sends on these routes besides simple headers: the ID token, JSON, the idempotency key, SigV4. */
const BROWSER_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Amz-Date',
  'X-Amz-Security-Token',
];

function isIamMethod(method: apigateway.Method): boolean {
  return (
    (method.node.defaultChild as apigateway.CfnMethod).authorizationType === apigateway.AuthorizationType.IAM
  );
}
