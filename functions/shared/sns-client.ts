/** The SNS client, created once per Lambda process at module load (see clients.ts). */
import { SNSClient } from '@aws-sdk/client-sns';
import { traced } from './tracer.js';

export const snsClient = traced(new SNSClient({}));
