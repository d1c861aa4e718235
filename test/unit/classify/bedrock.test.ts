import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBedrockClassifier, parseAnswer } from '../../../functions/classify/bedrock.js';
import type { Classification } from '../../../functions/shared/types.js';

const bedrock = mockClient(BedrockRuntimeClient);
const LOCAL: Classification = {
  intent: 'other',
  confidence: 0.42,
  frustrated: false,
  urgent: false,
  humanRequested: false,
};

function answer(text: string) {
  return {
    output: { message: { role: 'assistant' as const, content: [{ text }] } },
    stopReason: 'end_turn' as const,
  };
}

function classifier(timeoutMs = 200) {
  const onFallback = vi.fn();
  const classify = createBedrockClassifier({
    client: new BedrockRuntimeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    }),
    modelId: 'test-model',
    timeoutMs,
    fallback: () => LOCAL,
    onFallback,
  });
  return { classify, onFallback };
}

afterEach(() => {
  bedrock.reset();
});

describe('Bedrock classifier', () => {
  it('uses a valid answer', async () => {
    // Prepare
    bedrock
      .on(ConverseCommand)
      .resolves(
        answer(
          '{"intent":"billing_refund","confidence":0.91,"frustrated":true,"urgent":false,"humanRequested":false}',
        ),
      );
    const { classify, onFallback } = classifier();
    // Act
    const result = await classify('charged after I cancelled!!');
    // Assess
    expect(result).toEqual({
      intent: 'billing_refund',
      confidence: 0.91,
      frustrated: true,
      urgent: false,
      humanRequested: false,
    });
    expect(onFallback).not.toHaveBeenCalled();
    const call = bedrock.commandCalls(ConverseCommand)[0];
    expect(call?.args[0].input.modelId).toBe('test-model');
  });

  it('falls back to the local model on invalid JSON', async () => {
    bedrock.on(ConverseCommand).resolves(answer('I think this is a refund request.'));
    const { classify, onFallback } = classifier();
    expect(await classify('refund')).toEqual(LOCAL);
    expect(onFallback).toHaveBeenCalledWith('invalid_output');
  });

  it('falls back when the answer breaks the schema', async () => {
    bedrock.on(ConverseCommand).resolves(answer('{"intent":"refund_now","confidence":3}'));
    const { classify } = classifier();
    expect(await classify('refund')).toEqual(LOCAL);
  });

  it('falls back when Bedrock throws', async () => {
    bedrock.on(ConverseCommand).rejects(new Error('ThrottlingException'));
    const { classify, onFallback } = classifier();
    expect(await classify('refund')).toEqual(LOCAL);
    expect(onFallback).toHaveBeenCalledWith('error', expect.any(Error));
  });

  it('falls back when Bedrock is slower than the timeout', async () => {
    bedrock
      .on(ConverseCommand)
      .callsFake(
        () =>
          new Promise((resolve) =>
            setTimeout(
              () =>
                resolve(
                  answer(
                    '{"intent":"billing_refund","confidence":0.9,"frustrated":false,"urgent":false,"humanRequested":false}',
                  ),
                ),
              500,
            ),
          ),
      );
    const { classify, onFallback } = classifier(20);
    expect(await classify('refund')).toEqual(LOCAL);
    expect(onFallback).toHaveBeenCalledWith('timeout', expect.any(Error));
  });

  it('keeps a marker the local rules found', async () => {
    bedrock
      .on(ConverseCommand)
      .resolves(
        answer(
          '{"intent":"human_agent","confidence":0.8,"frustrated":false,"urgent":false,"humanRequested":false}',
        ),
      );
    const classify = createBedrockClassifier({
      client: new BedrockRuntimeClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
      modelId: 'm',
      timeoutMs: 200,
      fallback: () => ({ ...LOCAL, humanRequested: true }),
    });
    expect((await classify('call me')).humanRequested).toBe(true);
  });

  it('reads an answer wrapped in a code fence', () => {
    expect(
      parseAnswer(
        '```json\n{"intent":"other","confidence":0.5,"frustrated":false,"urgent":false,"humanRequested":false}\n```',
      )?.intent,
    ).toBe('other');
  });
});
