/** The SNS client, created once per Lambda process at module load (see clients.ts). */
import { SNSClient } from '@aws-sdk/client-sns';

export const snsClient = new SNSClient({});
