/** The Step Functions client, created once per Lambda process at module load (see clients.ts). */
import { SFNClient } from '@aws-sdk/client-sfn';
import { traced } from './tracer.js';

export const sfnClient = traced(new SFNClient({}));
