/**
 * How the CDK tests name a stack's resources and read a function's IAM grants: each grant as `action resource`
 * (resource as CloudFormation JSON), X-Ray's left out, sorted, so a test can compare the exact list.
 */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/** `synthesized` is read at each call: test files synthesize in `beforeAll`, after these helpers are made. */
export function stackGrants(synthesized: () => { readonly stack: Stack; readonly template: Template }) {
  const logicalId = (construct: IConstruct) =>
    synthesized().stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const tableArn = (table: dynamodb.ITable) => JSON.stringify({ 'Fn::GetAtt': [logicalId(table), 'Arn'] });
  const indexArn = (table: dynamodb.ITable, index: string) =>
    JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(table), 'Arn'] }, `/index/${index}`]] });
  const grantsOf = (fn: lambda.IFunction): string[] => {
    const { stack, template } = synthesized();
    const roleId = stack.getLogicalId(fn.role?.node.defaultChild as iam.CfnRole);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[]; Resource: unknown }) =>
        (Array.isArray(s.Action) ? s.Action : [s.Action]).flatMap((action) =>
          (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(
            (r) => `${action} ${JSON.stringify(r)}`,
          ),
        ),
      )
      .filter((grant) => !grant.startsWith('xray:'))
      .sort();
  };
  return { logicalId, tableArn, indexArn, grantsOf };
}
