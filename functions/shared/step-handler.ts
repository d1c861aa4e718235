import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { InvalidStepInputError } from './errors.js';
import { logger } from './logger.js';
import { tracingMiddleware } from './tracer.js';
import * as z from './zod.js';

/**
 * A Step Functions task handler: the event is validated against `schema` before `run` sees it,
 * so a malformed payload fails fast with a named error instead of deep inside the domain code.
 */
export function stepHandler<S extends z.core.$ZodType, R>(
  schema: S,
  run: (event: z.output<S>, context: Context) => Promise<R>,
) {
  return middy<unknown, R>()
    .use(tracingMiddleware())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const parsed = z.safeParse(schema, event);
      if (!parsed.success) {
        throw new InvalidStepInputError(
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      }
      return run(parsed.data, context);
    });
}
