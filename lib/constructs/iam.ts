import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Exactly these actions on exactly this table (no index wildcard unless asked for). */
export function tableActions(table: dynamodb.ITable, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources: [table.tableArn] });
}

export function queryOnly(tables: dynamodb.ITable[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: tables.map((t) => t.tableArn) });
}
