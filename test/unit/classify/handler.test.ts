import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/classify/handler.js';
import { classificationSchema } from '../../../functions/shared/step-events.js';

const context = {
  functionName: 'classify',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:classify',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/classify',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 3000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;

describe('classify handler', () => {
  it('returns exactly a Classification', async () => {
    const result = await handler({ message: 'Talk to a representative' }, context);
    expect(result).toEqual({
      intent: 'human_agent',
      confidence: expect.any(Number),
      frustrated: false,
      urgent: false,
      humanRequested: true,
      alternatives: [
        { intent: 'human_agent', confidence: expect.any(Number) },
        expect.objectContaining({ confidence: expect.any(Number) }),
        expect.objectContaining({ confidence: expect.any(Number) }),
      ],
    });
    expect(Object.keys(result)).toHaveLength(6);
    expect(classificationSchema.parse(result)).toEqual(result);
  });

  it('rejects a non-string message', async () => {
    await expect(handler({ message: 42 }, context)).rejects.toMatchObject({ name: 'InvalidStepInputError' });
  });

  it('rejects a missing or oversized message', async () => {
    await expect(handler({}, context)).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    await expect(handler({ message: 'x'.repeat(4001) }, context)).rejects.toMatchObject({
      name: 'InvalidStepInputError',
    });
  });
});
