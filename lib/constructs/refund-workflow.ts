import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { NEW_CUSTOMER_NOT_CHECKED } from '../../functions/refund-guardrails/new-customer.js';
import { SYSTEM_ERROR_RULE } from '../../functions/request-human/domain.js';
import { RETURNS_BY_CUSTOMER_INDEX } from '../../functions/returns-core/domain.js';
import { EMPTY_ACCOUNT_VIEW } from '../../functions/shared/answers/account-view.js';
import { NOT_DECIDED } from '../../functions/shared/answers/intent-from-account.js';
import { CASES_BY_AGENT_QUEUE_INDEX } from '../../functions/shared/case-record.js';
import { ENV } from '../../functions/shared/env.js';
import type { RefundHubConfig } from '../config.js';
import { AT_LEAST_ONCE } from './alarms.js';
import { queryOnly, queueClaimsOnly, tableActions } from './iam.js';
import { returnsIndexQuery } from './returns-workflow.js';
import { invokeStep, StepLambda, transientRetry } from './step-lambda.js';

export interface RefundWorkflowProps {
  readonly config: RefundHubConfig;
  readonly accounts: dynamodb.ITable;
  readonly cases: dynamodb.ITable;
  readonly messages: dynamodb.ITable;
  readonly refundLedger: dynamodb.ITable;
  /** The daily automatic-refund budget per currency (rule 8). */
  readonly refundBudgets: dynamodb.ITable;
  readonly credits: dynamodb.ITable;
  /** The Returns table: the answers to return questions leave out what earlier returns took back (GSI byCustomer). */
  readonly returns?: dynamodb.ITable;
  readonly callbackTopic: sns.ITopic;
  /** The Stripe API key's secret, when `paymentProvider` is `stripe`: the money steps read it, nothing else. */
  readonly stripeSecretKey?: secretsmanager.ISecret;
}

/** The JSONPath a state reads; kept short so the routing below reads like POLICY.md. */
const P = {
  intent: '$.classification.intent',
  confidence: '$.classification.confidence',
  frustrated: '$.classification.frustrated',
  urgent: '$.classification.urgent',
  humanRequested: '$.classification.humanRequested',
  refundableTotal: '$.billing.refundableTotal',
  refundCurrency: '$.billing.currency',
  mixedCurrency: '$.billing.mixedCurrency',
  refundedAmount: '$.refund.refundedAmount',
  order: '$.account.order',
} as const;

const C = sfn.Condition;
const upsetCustomer = () => C.or(C.booleanEquals(P.frustrated, true), C.booleanEquals(P.urgent, true));

/**
 * POLICY "Thresholds per currency", as one Choice condition generated from the configuration: the total is
 * over the threshold of its currency, or its currency has no configured threshold (then it counts as high value).
 */
export function highValueCondition(
  currencyPath: string,
  totalPath: string,
  thresholds: Readonly<Record<string, number>>,
): sfn.Condition {
  const configured = Object.entries(thresholds);
  if (configured.length === 0) return C.isPresent(currencyPath);
  return C.or(
    ...configured.map(([currency, threshold]) =>
      C.and(C.stringEquals(currencyPath, currency), C.numberGreaterThan(totalPath, threshold)),
    ),
    C.not(C.or(...configured.map(([currency]) => C.stringEquals(currencyPath, currency)))),
  );
}

/**
 * The guided refund workflow: one Lambda per step and a Standard state machine whose Choice
 * states are POLICY.md's decision table, in order, over the facts the steps return.
 * Written in JSONPath (no JSONata, no Assign) so the embedded local runtime runs it unchanged.
 */
export class RefundWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly steps: Readonly<Record<string, StepLambda>>;

  constructor(scope: Construct, id: string, props: RefundWorkflowProps) {
    super(scope, id);
    const { config } = props;

    // ---- Steps, each its own Lambda with only its own table actions ----
    const fns = new Construct(this, 'Steps');
    const timeout = Duration.seconds(config.lambdaTimeoutSeconds);
    const classify = new StepLambda(fns, 'Classify', {
      timeout,
      entry: 'functions/classify/handler.ts',
      description: 'Classifies the customer message: intent, confidence and markers',
      environment: {
        [ENV.classifierBackend]: config.classifier,
        [ENV.bedrockModelId]: config.bedrockModelId,
      },
    });
    if (config.classifier === 'bedrock') {
      classify.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['bedrock:InvokeModel'],
          resources: [`arn:aws:bedrock:*::foundation-model/${config.bedrockModelId}`],
        }),
      );
    }

    const loadAccount = new StepLambda(fns, 'LoadAccount', {
      timeout,
      entry: 'functions/load-account/handler.ts',
      description: "Loads the customer's subscriptions, charges and orders",
      environment: {
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        // The return window the answers quote is the one the returns workflow enforces.
        [ENV.returnWindowDays]: String(config.returnWindowDays),
        ...(props.returns ? { [ENV.returnsTable]: props.returns.tableName } : {}),
      },
    });
    loadAccount.function.addToRolePolicy(queryOnly([props.accounts, props.refundLedger]));
    if (props.returns)
      loadAccount.function.addToRolePolicy(returnsIndexQuery(props.returns, RETURNS_BY_CUSTOMER_INDEX));

    const compareBilling = new StepLambda(fns, 'CompareBilling', {
      timeout,
      entry: 'functions/compare-billing/handler.ts',
      description: 'Compares cancellation and charge dates to find billing errors',
    });

    // The steps that move money: the provider's name, and on AWS only the secret's ARN (never its value).
    const paymentEnvironment: Record<string, string> = {
      [ENV.paymentProvider]: config.paymentProvider,
      ...(config.paymentProvider === 'stripe' && props.stripeSecretKey
        ? { [ENV.stripeSecretKeyArn]: props.stripeSecretKey.secretArn }
        : {}),
    };
    if (config.paymentProvider === 'stripe' && !props.stripeSecretKey)
      throw new Error('paymentProvider stripe needs the Stripe API key secret (stripeSecretKey)');

    const issueRefund = new StepLambda(fns, 'IssueRefund', {
      timeout,
      entry: 'functions/issue-refund/handler.ts',
      description:
        'Refunds charges exactly once: a pending ledger line, the payment provider, then its status',
      environment: {
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        ...paymentEnvironment,
      },
    });
    issueRefund.function.addToRolePolicy(tableActions(props.accounts, ['dynamodb:GetItem']));
    issueRefund.function.addToRolePolicy(
      tableActions(props.refundLedger, ['dynamodb:GetItem', 'dynamodb:UpdateItem']),
    );

    const refundGuardrails = new StepLambda(fns, 'RefundGuardrails', {
      timeout,
      entry: 'functions/refund-guardrails/handler.ts',
      description:
        "Rules 7 and 8: the customer's automatic refunds of 30 days, and the currency's daily budget (reserved)",
      environment: {
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.refundBudgetsTable]: props.refundBudgets.tableName,
      },
    });
    refundGuardrails.function.addToRolePolicy(queryOnly([props.refundLedger]));
    refundGuardrails.function.addToRolePolicy(
      tableActions(props.refundBudgets, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );

    const bookCredit = new StepLambda(fns, 'BookCredit', {
      timeout,
      entry: 'functions/book-credit/handler.ts',
      description: "Books an agent's goodwill credit once per case through the payment provider",
      environment: {
        [ENV.accountsTable]: props.accounts.tableName,
        [ENV.creditsTable]: props.credits.tableName,
        [ENV.goodwillCapMinor]: String(config.goodwillCapMinor),
        ...paymentEnvironment,
      },
    });
    bookCredit.function.addToRolePolicy(tableActions(props.accounts, ['dynamodb:GetItem']));
    bookCredit.function.addToRolePolicy(
      tableActions(props.credits, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    if (config.paymentProvider === 'stripe' && props.stripeSecretKey) {
      props.stripeSecretKey.grantRead(issueRefund.function);
      props.stripeSecretKey.grantRead(bookCredit.function);
    }

    const requestHuman = new StepLambda(fns, 'RequestHuman', {
      timeout,
      entry: 'functions/request-human/handler.ts',
      description: 'Dispatches a Call Me Now callback request and stores the wait token on the case',
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.messagesTable]: props.messages.tableName,
        [ENV.callbackTopicArn]: props.callbackTopic.topicArn,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
      },
    });
    requestHuman.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:UpdateItem']));
    // The wait estimate: the cases ranked ahead on the agents' index, and only the queues' records of recent claims.
    requestHuman.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.cases.tableArn}/index/${CASES_BY_AGENT_QUEUE_INDEX}`],
      }),
    );
    requestHuman.function.addToRolePolicy(queueClaimsOnly(props.cases, ['dynamodb:GetItem']));
    requestHuman.function.addToRolePolicy(queryOnly([props.refundLedger]));
    requestHuman.function.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));
    props.callbackTopic.grantPublish(requestHuman.function);

    const recordOutcome = new StepLambda(fns, 'RecordOutcome', {
      timeout,
      entry: 'functions/record-outcome/handler.ts',
      description: "Records the outcome on the case and in the customer's message center",
      environment: {
        [ENV.casesTable]: props.cases.tableName,
        [ENV.messagesTable]: props.messages.tableName,
        [ENV.refundLedgerTable]: props.refundLedger.tableName,
        [ENV.goodwillCapMinor]: String(config.goodwillCapMinor),
      },
    });
    recordOutcome.function.addToRolePolicy(tableActions(props.cases, ['dynamodb:UpdateItem']));
    recordOutcome.function.addToRolePolicy(queryOnly([props.refundLedger]));
    recordOutcome.function.addToRolePolicy(tableActions(props.messages, ['dynamodb:PutItem']));

    this.steps = {
      classify,
      loadAccount,
      compareBilling,
      issueRefund,
      bookCredit,
      requestHuman,
      recordOutcome,
    };

    /** A refund through the exactly-once ledger: automatic (the billing errors) or an agent's. */
    const refundTask = (name: string, source: 'auto' | 'agent', chargesPath: string, resultPath: string) =>
      this.invoke(
        name,
        issueRefund,
        {
          'caseId.$': '$.request.caseId',
          'customerId.$': '$.request.customerId',
          source,
          'charges.$': chargesPath,
        },
        resultPath,
      );

    // ---- Terminal and shared states ----
    const caseFailed = new sfn.Fail(this, 'CaseNeedsAttention', {
      error: 'CaseNeedsAttention',
      cause:
        'The case could not be completed automatically or by an agent in time; it is marked needs_attention.',
    });
    const markNeedsAttention = this.invoke('MarkNeedsAttention', recordOutcome, {
      mode: 'needs_attention',
      'caseId.$': '$.request.caseId',
      'customerId.$': '$.request.customerId',
      'error.$': '$.lastError',
    });
    markNeedsAttention.addCatch(caseFailed, { resultPath: '$.lastError' });
    markNeedsAttention.next(caseFailed);

    const recordDecision = this.invoke('RecordOutcome', recordOutcome, { mode: 'decided', ...caseState() });

    // Human handoff: dispatch the callback and wait for an agent's resolution (or the SLA).
    const requestCallback = new tasks.LambdaInvoke(this, 'RequestHumanCallback', {
      lambdaFunction: requestHuman.function,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        ...caseState(),
        'message.$': '$.request.message',
        'callbackPhone.$': '$.request.callbackPhone',
        'profilePhone.$': '$.account.profile.phone',
        'escalations.$': '$.escalation.count',
      }),
      // The SLA runs until an agent claims the case (a heartbeat); then the agent keeps it alive.
      heartbeatTimeout: sfn.Timeout.duration(Duration.seconds(config.callbackSlaSeconds)),
      taskTimeout: sfn.Timeout.duration(
        Duration.seconds(Math.max(config.resolutionTimeoutSeconds, config.callbackSlaSeconds + 1)),
      ),
      resultPath: '$.resolution',
      retryOnServiceExceptions: false,
    });
    requestCallback.addRetry({
      errors: ['States.Timeout', 'States.HeartbeatTimeout', 'InvalidStepInputError'],
      maxAttempts: 0,
    });
    requestCallback.addRetry(transientRetry());

    const escalate = new sfn.Choice(this, 'CanEscalateCallback')
      .when(C.numberGreaterThanEquals('$.escalation.count', config.maxEscalations), markNeedsAttention)
      .otherwise(
        new sfn.Pass(this, 'EscalateCallback', {
          comment: 'No agent answered within the callback SLA: dispatch again as urgent.',
          parameters: { 'count.$': 'States.MathAdd($.escalation.count, 1)' },
          resultPath: '$.escalation',
        }).next(requestCallback),
      );
    requestCallback.addCatch(escalate, {
      errors: ['States.Timeout', 'States.HeartbeatTimeout'],
      resultPath: '$.lastError',
    });
    requestCallback.addCatch(markNeedsAttention, { resultPath: '$.lastError' });

    const decide = (name: string, decision: Record<string, unknown>) =>
      new sfn.Pass(this, name, { parameters: decision, resultPath: '$.decision' });
    const handoff = (rule: number, reason: string, priority: string, queue?: string) =>
      decide(`Rule${rule}Handoff${pascal(reason)}`, {
        outcome: 'human_handoff',
        rule,
        reason,
        priority,
        queue: queue ?? 'general',
        callbackOffered: false,
      });

    const recordResolution = this.invoke('RecordResolution', recordOutcome, {
      mode: 'resolved',
      ...caseState(),
      'resolution.$': '$.resolution',
      'agentRefund.$': '$.agentRefund',
      'credit.$': '$.credit',
    });
    recordResolution.addCatch(markNeedsAttention, { resultPath: '$.lastError' });
    // POLICY rule 9's note: a refund the provider fails goes to a person (billing), whoever asked for it.
    const refundFailedHandoff = handoff(9, 'refund_failed', 'high', 'billing').next(requestCallback);
    const issueAgentRefund = refundTask('IssueAgentRefund', 'agent', '$.resolution.charges', '$.agentRefund');
    issueAgentRefund.addCatch(markNeedsAttention, { resultPath: '$.lastError' });
    issueAgentRefund.next(
      new sfn.Choice(this, 'AgentRefundFailed')
        .when(C.booleanEquals('$.agentRefund.failed', true), refundFailedHandoff)
        .otherwise(recordResolution),
    );
    const bookGoodwillCredit = this.invoke(
      'BookGoodwillCredit',
      bookCredit,
      {
        'caseId.$': '$.request.caseId',
        'customerId.$': '$.request.customerId',
        // The whole resolution: a path to a field it lacks would fail the execution uncatchably.
        'resolution.$': '$.resolution',
      },
      '$.credit',
    );
    bookGoodwillCredit.addCatch(markNeedsAttention, { resultPath: '$.lastError' });
    bookGoodwillCredit.next(recordResolution);
    requestCallback.next(
      new sfn.Choice(this, 'AgentDecision')
        .when(
          C.and(
            C.stringEquals('$.resolution.decision', 'approve_refund'),
            C.isPresent('$.resolution.charges'),
          ),
          issueAgentRefund,
        )
        .when(C.stringEquals('$.resolution.decision', 'goodwill_credit'), bookGoodwillCredit)
        // An approval that names no charges cannot be paid: a supervisor looks at it.
        .when(C.stringEquals('$.resolution.decision', 'approve_refund'), markNeedsAttention)
        // No money: deny, or resolve (the matter was handled: an account secured, a question answered).
        .when(
          C.or(
            C.stringEquals('$.resolution.decision', 'deny'),
            C.stringEquals('$.resolution.decision', 'resolve'),
          ),
          recordResolution,
        )
        // A decision the workflow does not know: a supervisor, never a guess.
        .otherwise(markNeedsAttention),
    );

    const queueFor = (queue: string) =>
      new sfn.Pass(this, `Queue${queue[0]?.toUpperCase()}${queue.slice(1)}`, {
        result: sfn.Result.fromString(queue),
        resultPath: '$.decision.queue',
      }).next(requestCallback);
    // POLICY "By intent" queues.
    const selectQueueByIntent = new sfn.Choice(this, 'SelectQueueByIntent')
      .when(C.stringEquals(P.intent, 'billing_refund'), queueFor('billing'))
      .when(
        C.or(C.stringEquals(P.intent, 'order_tracking'), C.stringEquals(P.intent, 'return_request')),
        queueFor('delivery'),
      )
      .when(C.stringEquals(P.intent, 'account_security'), queueFor('security'))
      .otherwise(queueFor('general'));

    // A failing step never loses a case and never refunds: it goes to a person.
    const systemError = decide('HandoffSystemError', {
      outcome: 'human_handoff',
      rule: SYSTEM_ERROR_RULE,
      reason: 'system_error',
      priority: 'high',
      queue: 'general',
      callbackOffered: false,
    }).next(selectQueueByIntent);
    recordDecision.addCatch(systemError, { resultPath: '$.lastError' });

    // ---- Rules 3-9: billing refunds, with the guardrails (6 approval, 7 velocity, 8 budget) before the money moves ----
    const noRefundDue = (name: string, reason: string | { path: string }) =>
      decide(name, {
        outcome: 'no_refund_due',
        rule: 3,
        ...(typeof reason === 'string' ? { reason } : { 'reason.$': reason.path }),
        callbackOffered: true,
      }).next(recordDecision);
    const autoRefunded = (name: string, callbackOffered: boolean) =>
      decide(name, { outcome: 'auto_refunded', rule: 9, reason: 'billing_error', callbackOffered }).next(
        recordDecision,
      );

    const refund = refundTask('IssueRefund', 'auto', '$.billing.refundableCharges', '$.refund');
    refund.addCatch(systemError, { resultPath: '$.lastError' });
    refund.next(
      new sfn.Choice(this, 'AnythingRefunded')
        // The provider refused a refund for good (a disputed charge, a closed card): a person pays it another way.
        .when(C.booleanEquals('$.refund.failed', true), refundFailedHandoff)
        // Another case refunded these charges first: nothing is owed twice.
        .when(
          C.numberEquals(P.refundedAmount, 0),
          noRefundDue('Rule3AlreadyRefundedElsewhere', 'already_refunded'),
        )
        .when(upsetCustomer(), autoRefunded('Rule9AutoRefundedOfferCallback', true))
        .otherwise(autoRefunded('Rule9AutoRefunded', false)),
    );

    // Rules 7 and 8: limits that do not depend on the model, checked (and the budget reserved) just before the refund.
    const guardrails = this.invoke(
      'CheckRefundGuardrails',
      refundGuardrails,
      {
        'caseId.$': '$.request.caseId',
        'customerId.$': '$.request.customerId',
        'now.$': '$.request.requestedAt',
        'currency.$': P.refundCurrency,
        'amount.$': P.refundableTotal,
        'maxAutoRefundsPer30Days.$': '$.policy.maxAutoRefundsPer30Days',
        'dailyAutoRefundBudgets.$': '$.policy.dailyAutoRefundBudgets',
      },
      '$.guardrails',
    );
    guardrails.addCatch(systemError, { resultPath: '$.lastError' });
    guardrails.next(
      new sfn.Choice(this, 'GuardrailDecision')
        .when(
          C.stringEquals('$.guardrails.verdict', 'refund_velocity'),
          handoff(7, 'refund_velocity', 'normal', 'billing').next(requestCallback),
        )
        .when(
          C.stringEquals('$.guardrails.verdict', 'budget_exceeded'),
          handoff(8, 'budget_exceeded', 'high', 'billing').next(requestCallback),
        )
        .otherwise(refund),
    );

    const approvalRequired = handoff(6, 'approval_required', 'normal', 'billing');
    approvalRequired.next(requestCallback);
    const compare = this.invoke(
      'CompareBillingDates',
      compareBilling,
      { 'subscriptions.$': '$.account.subscriptions', 'charges.$': '$.account.charges' },
      '$.billing',
    );
    compare.addCatch(systemError, { resultPath: '$.lastError' });
    compare.next(
      new sfn.Choice(this, 'BillingDecision')
        // A mixed-currency assessment has no single total (null): only a numeric 0 means nothing is refundable.
        .when(
          C.and(C.isNumeric(P.refundableTotal), C.numberEquals(P.refundableTotal, 0)),
          noRefundDue('Rule3NoRefundDue', { path: '$.billing.noRefundReason' }),
        )
        .when(
          C.booleanEquals(P.mixedCurrency, true),
          handoff(4, 'mixed_currency', 'high', 'billing').next(requestCallback),
        )
        .when(
          highValueCondition(P.refundCurrency, P.refundableTotal, config.highValueThresholds),
          handoff(5, 'high_value', 'high', 'billing').next(requestCallback),
        )
        .when(C.stringEquals('$.policy.autoRefundMode', 'approve'), approvalRequired)
        // Issue #18: in mode auto, `approvalForCustomersNewerThanDays` sends a new customer's refund to a person too
        // (LoadCustomerAccount decides from the tenure; the receipt's facts.newCustomer says why).
        .when(C.booleanEquals('$.account.newCustomer.required', true), approvalRequired)
        .otherwise(guardrails),
    );

    const customerRequest = handoff(2, 'customer_request', 'normal').next(selectQueueByIntent);
    const sentimentHandoff = handoff(11, 'sentiment', 'high').next(selectQueueByIntent);
    // "An unsure classifier never leads to an automatic refund": when the account pointed an unsure classification at
    // a billing error, rules 3-9 do not apply; the error is named with the one tap that asks for its refund (self
    // service), or an upset customer goes to a person (rule 11). A confident billing_refund is compared as usual.
    const isBillingRefundSure = new sfn.Choice(this, 'IsBillingRefundSure')
      .when(
        C.booleanEquals('$.account.intentDecision.unsure', true),
        new sfn.Choice(this, 'UnsureBillingFromAccount').when(upsetCustomer(), sentimentHandoff).otherwise(
          decide('Rule12SelfServiceNameTheBillingError', {
            outcome: 'self_service',
            rule: 12,
            reason: 'billing_refund',
            callbackOffered: false,
          }).next(recordDecision),
        ),
      )
      .otherwise(compare);

    // ---- The decision table, first rule that applies wins ----
    const policy = new sfn.Choice(this, 'ApplyDecisionPolicy', {
      comment: 'POLICY.md decision table, rules 1-12 in order (3-9 in BillingDecision and GuardrailDecision)',
    })
      .when(
        C.stringEquals(P.intent, 'account_security'),
        handoff(1, 'account_security', 'urgent', 'security').next(requestCallback),
      )
      .when(
        C.or(C.booleanEquals(P.humanRequested, true), C.stringEquals(P.intent, 'human_agent')),
        customerRequest,
      )
      .when(C.stringEquals(P.intent, 'billing_refund'), isBillingRefundSure)
      .when(
        C.and(
          C.stringEquals(P.intent, 'order_tracking'),
          C.booleanEquals(`${P.order}.found`, true),
          C.booleanEquals(`${P.order}.deliveryProblem`, true),
          highValueCondition(`${P.order}.currency`, `${P.order}.total`, config.highValueThresholds),
        ),
        handoff(10, 'high_value_delivery', 'high', 'delivery').next(requestCallback),
      )
      .when(upsetCustomer(), sentimentHandoff)
      .otherwise(
        decide('Rule12SelfService', {
          outcome: 'self_service',
          rule: 12,
          'reason.$': P.intent,
          callbackOffered: false,
        }).next(recordDecision),
      );

    const load = this.invoke(
      'LoadCustomerAccount',
      loadAccount,
      {
        'caseId.$': '$.request.caseId',
        'customerId.$': '$.request.customerId',
        'orderId.$': '$.request.orderId',
        'requestedAt.$': '$.request.requestedAt',
        // The classifier's result as it came (with its alternatives) and the message: the account may decide its topic.
        'classification.$': '$.classification',
        'message.$': '$.request.message',
        'confidenceThreshold.$': '$.policy.confidenceThreshold',
        // Rule 6 for new customers: the tenure is read from the account, against the setting in force.
        'autoRefundMode.$': '$.policy.autoRefundMode',
        'approvalForCustomersNewerThanDays.$': '$.policy.approvalForCustomersNewerThanDays',
      },
      '$.account',
    );
    load.addCatch(systemError, { resultPath: '$.lastError' });

    const classifyTask = this.invoke(
      'ClassifyMessage',
      classify,
      { 'message.$': '$.request.message' },
      '$.classification',
    );
    classifyTask.addCatch(systemError, { resultPath: '$.lastError' });
    // An unsure classification counts as `other`; its alternatives (the bundled model's top intents) go along when the
    // classifier gave them. A Pass with Parameters cannot copy a field that may be missing (Bedrock and follow-ups may
    // have none), so a Choice on IsPresent picks one of two Passes.
    const uncertain = {
      intent: 'other',
      'classifiedIntent.$': P.intent,
      'confidence.$': P.confidence,
      'frustrated.$': P.frustrated,
      'urgent.$': P.urgent,
      'humanRequested.$': P.humanRequested,
    };
    const treatUncertain = new sfn.Choice(this, 'HasClassificationAlternatives')
      .when(
        C.isPresent('$.classification.alternatives'),
        new sfn.Pass(this, 'TreatUncertainAsOther', {
          comment: 'An unsure classifier never leads to an automatic refund; the markers still apply.',
          parameters: { ...uncertain, 'alternatives.$': '$.classification.alternatives' },
          resultPath: '$.classification',
        }).next(policy),
      )
      .otherwise(
        new sfn.Pass(this, 'TreatUncertainAsOtherWithoutAlternatives', {
          comment: 'The same as TreatUncertainAsOther for a classifier that gave no alternatives.',
          parameters: uncertain,
          resultPath: '$.classification',
        }).next(policy),
      );
    const confidenceGate = new sfn.Choice(this, 'IsClassificationConfident')
      .when(C.numberLessThan(P.confidence, config.confidenceThreshold), treatUncertain)
      .otherwise(policy);
    // ResolveIntentFromAccount (issue #15): for a short or ambiguous message, LoadCustomerAccount says whether the
    // account's state decides the topic; a decided classification replaces the classifier's and skips the gate (an
    // unsure one is held back from refunding by the policy below). Otherwise the classifier's result goes through the gate.
    classifyTask.next(load);
    load.next(
      new sfn.Choice(this, 'DidTheAccountDecideTheIntent')
        .when(
          C.booleanEquals('$.account.intentDecision.decided', true),
          new sfn.Pass(this, 'UseIntentDecidedByAccount', {
            comment: 'The account decided the topic; the receipt says so (facts.intentDecidedBy).',
            inputPath: '$.account.classification',
            resultPath: '$.classification',
          }).next(policy),
        )
        .otherwise(confidenceGate),
    );

    // "If the AI says no, a person can still help": a customer's callback request on an answered case.
    // The follow-up's handoff is its own: the case keeps the receipt and outcome of the decision that answered it.
    const markFollowUp = new sfn.Pass(this, 'MarkCallbackFollowUp', {
      parameters: { 'kind.$': '$.request.followUp.kind' },
      resultPath: '$.followUp',
    });
    const followUpCallback = new sfn.Pass(this, 'CustomerAskedForCallback', {
      parameters: {
        'intent.$': '$.request.followUp.intent',
        confidence: 1,
        frustrated: false,
        urgent: false,
        humanRequested: true,
      },
      resultPath: '$.classification',
    }).next(customerRequest);
    // A refund the provider failed after the case was answered (a webhook started this execution).
    const markRefundFailedFollowUp = new sfn.Pass(this, 'MarkRefundFailedFollowUp', {
      parameters: { 'kind.$': '$.request.followUp.kind' },
      resultPath: '$.followUp',
    });
    const isFollowUp = new sfn.Choice(this, 'IsCallbackFollowUp')
      .when(
        C.and(C.isPresent('$.request.followUp'), C.stringEquals('$.request.followUp.kind', 'refund_failed')),
        markRefundFailedFollowUp.next(refundFailedHandoff),
      )
      .when(C.isPresent('$.request.followUp'), markFollowUp.next(followUpCallback))
      .otherwise(classifyTask);

    const start = new sfn.Pass(this, 'StartCase', {
      comment: 'Keeps the request and gives every later path a defined value, with the thresholds in force.',
      parameters: {
        'request.$': '$',
        policy: {
          highValueThresholds: config.highValueThresholds,
          confidenceThreshold: config.confidenceThreshold,
          callbackSlaSeconds: config.callbackSlaSeconds,
          maxEscalations: config.maxEscalations,
          autoRefundMode: config.autoRefundMode,
          approvalForCustomersNewerThanDays: config.approvalForCustomersNewerThanDays,
          maxAutoRefundsPer30Days: config.maxAutoRefundsPer30Days,
          dailyAutoRefundBudgets: config.dailyAutoRefundBudgets,
        },
        classification: {
          intent: 'other',
          confidence: 0,
          frustrated: false,
          urgent: false,
          humanRequested: false,
        },
        account: {
          profile: { phone: sfn.JsonPath.stringAt('$.callbackPhone') },
          subscriptions: [],
          charges: [],
          order: {
            found: false,
            orderId: '',
            total: 0,
            currency: '',
            status: '',
            late: false,
            deliveryProblem: false,
          },
          answers: { ...EMPTY_ACCOUNT_VIEW },
          intentDecision: { ...NOT_DECIDED },
          newCustomer: { ...NEW_CUSTOMER_NOT_CHECKED },
        },
        billing: {
          refundableTotal: 0,
          currency: null,
          refundableTotals: [],
          refundableCurrencies: [],
          mixedCurrency: false,
          refundableCharges: [],
          billingErrors: [],
          noRefundReason: 'no_billing_error',
        },
        guardrails: {
          verdict: 'not_checked',
          autoRefundsLast30Days: 0,
          maxAutoRefundsPer30Days: 0,
          budget: null,
        },
        refund: noRefund(),
        agentRefund: noRefund(),
        credit: { amount: 0, currency: null, status: 'none', providerCreditId: null, failureReason: null },
        escalation: { count: 0 },
        followUp: { kind: 'none' },
        lastError: { Error: 'none', Cause: '' },
      },
    });
    start.next(isFollowUp);

    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: 'Refund Hub: classify, compare billing dates, refund exactly once or hand off to a person',
    });

    new cloudwatch.Alarm(this, 'CasesNeedAttention', {
      alarmDescription:
        'A case ended needs_attention: no agent resolved it in time, or its steps kept failing.',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      ...AT_LEAST_ONCE,
    });
  }

  /** A Lambda Task with the workflow's retry policy; its result lands at `resultPath`. */
  private invoke(
    name: string,
    step: StepLambda,
    payload: Record<string, unknown>,
    resultPath: string = sfn.JsonPath.DISCARD,
  ): tasks.LambdaInvoke {
    return invokeStep(this, name, step, payload, resultPath);
  }
}

/** The case, its decision and the facts behind it, as every recording step receives them. */
function caseState(): Record<string, unknown> {
  return {
    'caseId.$': '$.request.caseId',
    'customerId.$': '$.request.customerId',
    'requestedAt.$': '$.request.requestedAt',
    'classification.$': '$.classification',
    'decision.$': '$.decision',
    facts: {
      'billing.$': '$.billing',
      'order.$': '$.account.order',
      'guardrails.$': '$.guardrails',
      'intentDecision.$': '$.account.intentDecision',
      'newCustomer.$': '$.account.newCustomer',
    },
    // What the customer's message is built from (a few KB at most; functions/shared/answers/account-view.ts).
    'answers.$': '$.account.answers',
    'policy.$': '$.policy',
    'refund.$': '$.refund',
    'followUp.$': '$.followUp',
  };
}

/** A refund step's result before it ran: nothing refunded, nothing failed. */
function noRefund(): Record<string, unknown> {
  return {
    refundedChargeIds: [],
    refundedAmount: 0,
    currency: null,
    refundedTotals: [],
    refunds: [],
    failedChargeIds: [],
    failed: false,
  };
}

function pascal(snake: string): string {
  return snake
    .split('_')
    .map((w) => `${w[0]?.toUpperCase()}${w.slice(1)}`)
    .join('');
}
