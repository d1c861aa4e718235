/**
 * The Lambdas validate with `zod/mini`, which loads no locale: `functions/shared/zod.ts` sets the English one classic
 * `zod` sets on import. Checked in a fresh process that loads no classic `zod` (as a deployed bundle), so a 400 built
 * from zod's default messages reads the same words as before the switch (without the locale: a bare `Invalid input`).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/paths.js';

const PROBE = `
const { caseStateSchema } = await import('./functions/shared/step-events.ts');
const { returnRequestSchema } = await import('./functions/returns-core/domain.ts');
const issues = (schema, value) => schema.safeParse(value).error?.issues.map((i) => i.path.join('.') + ': ' + i.message);
console.log(JSON.stringify({
  caseState: issues(caseStateSchema, { caseId: '', customerId: 7 }).slice(0, 3),
  returnRequest: issues(returnRequestSchema, { orderId: 'ORD-1', items: [{ sku: 'A', quantity: '2' }], reason: 'damaged', extra: 1 }),
}));
`;

describe('zod/mini in the Lambdas', () => {
  it("refuses a payload with classic zod's English default messages, with no classic zod loaded", () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      caseState: [
        'caseId: Too small: expected string to have >=1 characters',
        'customerId: Invalid input: expected string, received number',
        'requestedAt: Invalid input: expected string, received undefined',
      ],
      returnRequest: [
        'items.0.quantity: Invalid input: expected number, received string',
        ': Unrecognized key: "extra"',
      ],
    });
  });
});
