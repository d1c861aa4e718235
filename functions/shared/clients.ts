/**
 * AWS SDK clients, created once per Lambda process at module load (not per invocation).
 * Endpoints follow the SDK's standard `AWS_ENDPOINT_URL[_SERVICE]` variables, which is how the
 * embedded runtime and LocalStack point the same code at loopback emulators.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './tracer.js';

export const documentClient = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
export const snsClient = tracer.captureAWSv3Client(new SNSClient({}));
export const sfnClient = tracer.captureAWSv3Client(new SFNClient({}));
