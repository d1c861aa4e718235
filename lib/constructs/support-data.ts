import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  RETURNS_BY_AGENT_STATE_INDEX,
  RETURNS_BY_CUSTOMER_INDEX,
  RETURNS_BY_TRACKING_INDEX,
} from '../../functions/returns-core/domain.js';
import {
  CASES_BY_AGENT_QUEUE_INDEX,
  CASES_BY_CUSTOMER_INDEX,
  CASES_BY_STATUS_INDEX,
} from '../../functions/shared/case-record.js';

export interface SupportDataProps {
  /** @default RemovalPolicy.RETAIN: customer data outlives a stack deletion. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The tables: customer accounts, cases, the message center, the refund ledger, goodwill credits and integration events. On-demand,
 * encrypted, point-in-time recovery on. Names are left to CloudFormation.
 */
export class SupportData extends Construct {
  public readonly accounts: dynamodb.Table;
  public readonly cases: dynamodb.Table;
  public readonly messages: dynamodb.Table;
  public readonly refundLedger: dynamodb.Table;
  public readonly credits: dynamodb.Table;
  public readonly integrationEvents: dynamodb.Table;
  public readonly refundBudgets: dynamodb.Table;
  /** Returns (POLICY v2 "Returns"): one item per return. */
  public readonly returns: dynamodb.Table;

  constructor(scope: Construct, id: string, props: SupportDataProps = {}) {
    super(scope, id);
    const common = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };
    const S = dynamodb.AttributeType.STRING;

    this.accounts = new dynamodb.Table(this, 'Accounts', {
      ...common,
      partitionKey: { name: 'customerId', type: S },
      sortKey: { name: 'sk', type: S },
    });

    this.cases = new dynamodb.Table(this, 'Cases', { ...common, partitionKey: { name: 'caseId', type: S } });
    this.cases.addGlobalSecondaryIndex({
      indexName: CASES_BY_CUSTOMER_INDEX,
      partitionKey: { name: 'customerId', type: S },
      sortKey: { name: 'createdAt', type: S },
    });
    // Open cases by last update: the sweeper finds cases left `received` or `awaiting_agent` here.
    this.cases.addGlobalSecondaryIndex({
      indexName: CASES_BY_STATUS_INDEX,
      partitionKey: { name: 'status', type: S },
      sortKey: { name: 'updatedAt', type: S },
    });
    // The agents' queue view (GET /v1/agent/cases): sparse, only cases handed to a person and not yet resolved.
    this.cases.addGlobalSecondaryIndex({
      indexName: CASES_BY_AGENT_QUEUE_INDEX,
      partitionKey: { name: 'agentQueue', type: S },
      sortKey: { name: 'agentRank', type: S },
    });

    this.messages = new dynamodb.Table(this, 'Messages', {
      ...common,
      partitionKey: { name: 'customerId', type: S },
      sortKey: { name: 'messageKey', type: S },
    });
    this.messages.addLocalSecondaryIndex({ indexName: 'bySentAt', sortKey: { name: 'sentAt', type: S } });

    // One item per (customer, charge): the only writer of refunds, by conditional update.
    this.refundLedger = new dynamodb.Table(this, 'RefundLedger', {
      ...common,
      partitionKey: { name: 'customerId', type: S },
      sortKey: { name: 'chargeId', type: S },
    });

    // Goodwill credits: one item per (customer, case), booked through the payment provider like a refund.
    this.credits = new dynamodb.Table(this, 'Credits', {
      ...common,
      partitionKey: { name: 'customerId', type: S },
      sortKey: { name: 'caseId', type: S },
    });

    // Events from integrations (Stripe webhooks), by event id: an event already handled changes nothing again.
    this.integrationEvents = new dynamodb.Table(this, 'IntegrationEvents', {
      ...common,
      removalPolicy: RemovalPolicy.DESTROY,
      partitionKey: { name: 'eventId', type: S },
      timeToLiveAttribute: 'expiresAt',
    });

    // The daily automatic-refund budget: one item per currency, every write conditional on its version (POLICY rule 8).
    this.refundBudgets = new dynamodb.Table(this, 'RefundBudgets', {
      ...common,
      partitionKey: { name: 'currency', type: S },
    });

    // Returns: the customer's list (byCustomer), the carrier webhook's lookup (byTrackingId) and, sparse, what
    // waits for a person (byAgentState: awaiting_inspection, needs_attention).
    this.returns = new dynamodb.Table(this, 'Returns', {
      ...common,
      partitionKey: { name: 'returnId', type: S },
    });
    this.returns.addGlobalSecondaryIndex({
      indexName: RETURNS_BY_CUSTOMER_INDEX,
      partitionKey: { name: 'customerId', type: S },
      sortKey: { name: 'createdAt', type: S },
    });
    this.returns.addGlobalSecondaryIndex({
      indexName: RETURNS_BY_TRACKING_INDEX,
      partitionKey: { name: 'trackingId', type: S },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.returns.addGlobalSecondaryIndex({
      indexName: RETURNS_BY_AGENT_STATE_INDEX,
      partitionKey: { name: 'agentState', type: S },
      sortKey: { name: 'updatedAt', type: S },
    });
  }
}
