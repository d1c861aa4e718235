/**
 * Step Functions task: `{ message }` → Classification `{ intent, confidence, frustrated, urgent,
 * humanRequested, alternatives? }`. Backend chosen by operator config, read once at module load:
 * CLASSIFIER_BACKEND=local (default, the bundled model) or bedrock (BEDROCK_MODEL_ID,
 * BEDROCK_TIMEOUT_MS, default 1500; falls back to the local model on any failure).
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { logger } from '../shared/logger.js';
import { stepHandler } from '../shared/step-handler.js';
import type { Classification } from '../shared/types.js';
import * as z from '../shared/zod.js';
import { createBedrockClassifier } from './bedrock.js';
import { classifyMessage } from './domain.js';

export const MAX_MESSAGE_LENGTH = 4000;

export const eventSchema = z.object({
  message: z.string().check(z.maxLength(MAX_MESSAGE_LENGTH)),
});

const backendName = process.env[ENV.classifierBackend] ?? 'local';
if (backendName !== 'local' && backendName !== 'bedrock') {
  throw new Error(`${ENV.classifierBackend} must be "local" or "bedrock", got "${backendName}"`);
}

const classify: (text: string) => Promise<Classification> =
  backendName === 'bedrock'
    ? createBedrockClassifier({
        client: new BedrockRuntimeClient({}),
        modelId: requiredEnv(ENV.bedrockModelId),
        timeoutMs: numberEnv('BEDROCK_TIMEOUT_MS', 1500),
        fallback: classifyMessage,
        onFallback: (reason, error) =>
          logger.warn('Bedrock classifier fell back to the local model', { reason, error }),
      })
    : async (text) => classifyMessage(text);

export const handler = stepHandler(eventSchema, async ({ message }) => {
  const result = await classify(message);
  // Exactly the fields of the contract, whatever the backend returned (alternatives when it has them).
  const classification: Classification = {
    intent: result.intent,
    confidence: result.confidence,
    frustrated: result.frustrated,
    urgent: result.urgent,
    humanRequested: result.humanRequested,
    ...(result.alternatives ? { alternatives: result.alternatives.slice(0, 3) } : {}),
  };
  logger.info('classified', {
    intent: classification.intent,
    confidence: classification.confidence,
    backend: backendName,
  });
  return classification;
});
