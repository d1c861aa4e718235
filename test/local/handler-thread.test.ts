/**
 * The runtime with its handlers on their own thread (what `npm run replay` uses): the same
 * definition and the same handlers give the same outcomes, and a handler's error keeps the name
 * the definition's Retry and Catch match on.
 */
import '../../local/quiet.js';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDataFile } from '../../local/demo.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { replay } from '../../local/replay.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({ handlerThread: true });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('handlers on their own thread', () => {
  it('replays every example scenario to its expected outcome', async () => {
    const stdout = new PassThrough();
    const lines: string[] = [];
    stdout.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    const summary = await replay({
      input: demoDataFile(),
      runtime,
      stdout,
      stderr: new PassThrough(),
      progress: false,
    });
    expect(summary.mismatches).toEqual([]);
    expect(summary.failures).toEqual([]);
    expect(summary.scenarios).toBeGreaterThan(5);
    expect(lines.join('').trim().split('\n')).toHaveLength(summary.scenarios);
  });

  it("brings a handler's error back with its name and message", async () => {
    const classify = runtime.handler('functions/classify/handler.ts');
    const error = await classify({ notAMessage: true }, lambdaContext('Classify')).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('InvalidStepInputError');
    expect((error as Error).message).toMatch(/message/);
  });

  it("returns a handler's result as Lambda would (a JSON copy)", async () => {
    const classify = runtime.handler('functions/classify/handler.ts');
    const result = (await classify(
      { caseId: 'c-1', customerId: 'u-1', message: 'I was charged after I cancelled my subscription' },
      lambdaContext('Classify'),
    )) as { intent: string };
    expect(result.intent).toBe('billing_refund');
  });
});
