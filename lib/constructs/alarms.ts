import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The stack's one alarm shape: it fires when the metric is at least 1 in one (five-minute) period, and a period with
 * no data is not a breach. Every construct's alarm spreads it; Operations gives each the operations topic's action.
 */
export const AT_LEAST_ONCE = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
} as const;
