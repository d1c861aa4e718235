/** The SNS client, created once per Lambda process at module load (see clients.ts). */
import { SNSClient } from '@aws-sdk/client-sns';
import { tracer } from './tracer.js';

export const snsClient = tracer.captureAWSv3Client(new SNSClient({}));
