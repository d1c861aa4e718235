import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { configFromContext, type RefundHubConfig } from './config.js';
import { CallbackDispatch } from './constructs/callback-dispatch.js';
import { CaseSweeper } from './constructs/case-sweeper.js';
import { defaultDomainPrefix, hostedUiUrl, WebIdentity } from './constructs/identity.js';
import { StripeIntegration, StripeSecrets } from './constructs/integrations.js';
import { Operations } from './constructs/operations.js';
import { RefundWorkflow } from './constructs/refund-workflow.js';
import { CarrierWebhookSecret } from './constructs/returns-api.js';
import { ReturnsWorkflow } from './constructs/returns-workflow.js';
import { SupportApi } from './constructs/support-api.js';
import { SupportData } from './constructs/support-data.js';
import { WebContent } from './constructs/web-content.js';
import { cognitoIdentityOrigin, executeApiOrigin, WebHosting } from './constructs/web-hosting.js';
import { PROJECT_ROOT } from './paths.js';

export interface RefundHubStackProps extends StackProps {
  /** @default read from the `refundHub:*` CDK context keys */
  readonly config?: RefundHubConfig;
}

/**
 * Composition only: the data, the callback dispatch, the Stripe secrets and integration, the workflow, the API,
 * the case sweeper, and the web app (hosting, sign-in, content), wired together.
 */
export class RefundHubStack extends Stack {
  public readonly config: RefundHubConfig;
  public readonly data: SupportData;
  public readonly dispatch: CallbackDispatch;
  public readonly workflow: RefundWorkflow;
  public readonly api: SupportApi;
  public readonly sweeper: CaseSweeper;
  public readonly stripeSecrets: StripeSecrets;
  public readonly stripe: StripeIntegration;
  public readonly operations: Operations;
  public readonly web: WebHosting;
  public readonly webSignIn: WebIdentity;
  public readonly webContent: WebContent;
  public readonly returns: ReturnsWorkflow;
  public readonly carrierSecret: CarrierWebhookSecret;

  constructor(scope: Construct, id: string, props: RefundHubStackProps = {}) {
    super(scope, id, props);
    this.config = props.config ?? configFromContext(this.node);

    this.data = new SupportData(this, 'Data');
    this.dispatch = new CallbackDispatch(this, 'CallbackDispatch', {
      ...(this.config.alertEmail ? { alertEmail: this.config.alertEmail } : {}),
      ...(this.config.alertSms ? { alertSms: this.config.alertSms } : {}),
    });
    this.stripeSecrets = new StripeSecrets(this, 'StripeSecrets', {
      ...(this.config.stripeSecretKeyArn ? { stripeSecretKeyArn: this.config.stripeSecretKeyArn } : {}),
      ...(this.config.stripeWebhookSecretArn
        ? { stripeWebhookSecretArn: this.config.stripeWebhookSecretArn }
        : {}),
    });
    this.workflow = new RefundWorkflow(this, 'Workflow', {
      config: this.config,
      accounts: this.data.accounts,
      cases: this.data.cases,
      messages: this.data.messages,
      refundLedger: this.data.refundLedger,
      refundBudgets: this.data.refundBudgets,
      credits: this.data.credits,
      returns: this.data.returns,
      callbackTopic: this.dispatch.topic,
      stripeSecretKey: this.stripeSecrets.apiKey,
    });
    this.returns = new ReturnsWorkflow(this, 'Returns', {
      config: this.config,
      accounts: this.data.accounts,
      messages: this.data.messages,
      refundLedger: this.data.refundLedger,
      returns: this.data.returns,
      stripeSecretKey: this.stripeSecrets.apiKey,
    });
    this.carrierSecret = new CarrierWebhookSecret(this, 'CarrierWebhookSecret');
    this.stripe = new StripeIntegration(this, 'StripeIntegration', {
      secrets: this.stripeSecrets,
      accounts: this.data.accounts,
      refundLedger: this.data.refundLedger,
      integrationEvents: this.data.integrationEvents,
      cases: this.data.cases,
      messages: this.data.messages,
      stateMachine: this.workflow.stateMachine,
      paymentProvider: this.config.paymentProvider,
      webhookToleranceSeconds: this.config.stripeWebhookToleranceSeconds,
      reconcileScheduleMinutes: this.config.reconcileScheduleMinutes,
      lambdaTimeout: Duration.seconds(this.config.lambdaTimeoutSeconds),
    });
    this.api = new SupportApi(this, 'SupportApi', {
      accounts: this.data.accounts,
      cases: this.data.cases,
      messages: this.data.messages,
      refundLedger: this.data.refundLedger,
      credits: this.data.credits,
      stateMachine: this.workflow.stateMachine,
      maxMessageLength: this.config.maxMessageLength,
      goodwillCapMinor: this.config.goodwillCapMinor,
      dualApprovalThresholdMinor: this.config.dualApprovalThresholdMinor,
      lambdaTimeout: Duration.seconds(this.config.lambdaTimeoutSeconds),
      integrations: {
        stripeWebhook: this.stripe.webhook.function,
        reconcile: this.stripe.reconcile.function,
      },
      returns: {
        config: this.config,
        returns: this.data.returns,
        accounts: this.data.accounts,
        refundLedger: this.data.refundLedger,
        messages: this.data.messages,
        stateMachine: this.returns.stateMachine,
        carrierWebhookSecret: this.carrierSecret.secret,
        lambdaTimeout: Duration.seconds(this.config.lambdaTimeoutSeconds),
      },
    });
    this.sweeper = new CaseSweeper(this, 'CaseSweeper', {
      cases: this.data.cases,
      messages: this.data.messages,
      stateMachine: this.workflow.stateMachine,
      gracePeriodSeconds: this.config.sweeperGracePeriodSeconds,
      scheduleMinutes: this.config.sweeperScheduleMinutes,
    });

    // The web chat and the agent console: served by CloudFront, signed in through the hosted UI, calling the API.
    const domainPrefix = this.config.cognitoDomainPrefix ?? defaultDomainPrefix(this);
    const apiOrigin = executeApiOrigin(this.api.api);
    this.web = new WebHosting(this, 'Web', {
      connectOrigins: [apiOrigin, hostedUiUrl(this, domainPrefix), cognitoIdentityOrigin(this)],
      autoDeleteObjects: this.config.webAutoDeleteObjects,
    });
    this.webSignIn = new WebIdentity(this, 'WebSignIn', {
      userPool: this.api.userPool,
      agentInvokePolicy: this.api.agentInvokePolicy,
      appUrl: this.web.url,
      domainPrefix,
    });
    this.api.allowBrowserOrigin(this.web.url);
    this.webContent = new WebContent(this, 'WebContent', {
      bucket: this.web.bucket,
      distribution: this.web.distribution,
      distDirectory: join(PROJECT_ROOT, 'web', 'dist'),
      config: {
        mode: 'aws',
        apiUrl: apiOrigin,
        region: this.region,
        userPoolId: this.api.userPool.userPoolId,
        userPoolClientId: this.webSignIn.webClient.userPoolClientId,
        cognitoDomain: this.webSignIn.hostedUiUrl,
        identityPoolId: this.webSignIn.identityPool.identityPoolId,
      },
    });

    // Last: it watches every function, state machine and alarm created above.
    this.operations = new Operations(this, 'Operations', {
      api: this.api.api,
      ...(this.config.alertEmail ? { alertEmail: this.config.alertEmail } : {}),
      ...(this.config.alertSms ? { alertSms: this.config.alertSms } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Customer API base URL' });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ReturnsStateMachineArn', { value: this.returns.stateMachine.stateMachineArn });
    new CfnOutput(this, 'CarrierWebhookUrl', {
      value: `${this.api.api.url}integrations/carrier/events`,
      description:
        'Where the carrier posts signed tracking events (X-Carrier-Signature, the secret in CarrierWebhookSecretArn)',
    });
    new CfnOutput(this, 'CarrierWebhookSecretArn', { value: this.carrierSecret.secret.secretArn });
    new CfnOutput(this, 'CallbackTopicArn', { value: this.dispatch.topic.topicArn });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'StripeWebhookUrl', {
      value: `${this.api.api.url}integrations/stripe/webhook`,
      description: 'The Stripe webhook endpoint URL (Stripe dashboard: Developers, Webhooks, Add endpoint)',
    });
    new CfnOutput(this, 'StripeSecretKeySecretArn', { value: this.stripeSecrets.apiKey.secretArn });
    new CfnOutput(this, 'StripeWebhookSecretArn', {
      value: this.stripeSecrets.webhookSigningSecret.secretArn,
    });
    new CfnOutput(this, 'OperationsTopicArn', {
      value: this.operations.topic.topicArn,
      description: 'Every alarm notifies this topic: subscribe the on-call e-mail, SMS or paging integration',
    });
    new CfnOutput(this, 'OperationsDashboard', { value: this.operations.dashboard.dashboardName });
    new CfnOutput(this, 'AgentInvokePolicyArn', {
      value: this.api.agentInvokePolicy.managedPolicyArn,
      description: "Attach to the agents' IAM role or group: invoke the agent routes only",
    });
    new CfnOutput(this, 'WebUrl', {
      value: this.web.url,
      description: 'The customer chat (/) and the agent console (/agent)',
    });
    new CfnOutput(this, 'HostedUiUrl', {
      value: this.webSignIn.hostedUiUrl,
      description: 'The Cognito hosted UI customers and agents sign in with',
    });
    new CfnOutput(this, 'IdentityPoolId', {
      value: this.webSignIn.identityPool.identityPoolId,
      description: "Exchanges an agent's ID token (group agents) for credentials of the agents' role",
    });
    new CfnOutput(this, 'WebClientId', { value: this.webSignIn.webClient.userPoolClientId });
    new CfnOutput(this, 'AdminInvokePolicyArn', {
      value: this.api.adminInvokePolicy.managedPolicyArn,
      description:
        "Attach to the operators' IAM role or group (the admin role): invoke the /admin/ routes only",
    });
  }
}
