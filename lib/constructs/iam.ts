import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { queueClaimsKey } from '../../functions/shared/case-record.js';

/** Exactly these actions on exactly this table (no index wildcard unless asked for). */
export function tableActions(table: dynamodb.ITable, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources: [table.tableArn] });
}

export function queryOnly(tables: dynamodb.ITable[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: tables.map((t) => t.tableArn) });
}

/**
 * These actions on the cases table's queue records of recent claims only (`caseId` = `QUEUE#<queue>`), never on a
 * case: IAM's `dynamodb:LeadingKeys` holds every key the request touches to the pattern.
 */
export function queueClaimsOnly(cases: dynamodb.ITable, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions,
    resources: [cases.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [queueClaimsKey('*')] } },
  });
}
