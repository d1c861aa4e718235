/**
 * `refund-hub invoke --local --follow` end to end with no local server running: it starts (and stops)
 * its own embedded runtime (with one running, the case goes to it: test/cli/agent.test.ts).
 */
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import { captureIo } from './support.js';

describe('refund-hub invoke --local', () => {
  it('follows a billing refund for demo customer C-1001 to SUCCEEDED auto_refunded', async () => {
    // No state file: whatever `npm start` may be running beside the tests.
    const io = {
      ...captureIo(),
      localStateFile: path.join(tmpdir(), 'no-local-server', '.refund-hub-local.json'),
    };

    const code = await runCli(
      ['invoke', '--local', '--customer', 'C-1001', '--message', 'Subscription refund', '--follow'],
      io,
    );

    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout[0]).toMatch(/^case case-[0-9a-f]{32}$/);
    expect(io.stdout[1]).toMatch(
      /^execution arn:aws:states:us-east-1:000000000000:execution:.+:case-[0-9a-f]{32}$/,
    );
    const entered = io.stdout.filter((l) => /^\s+\+\d+\.\d{3}s {2}→ /.test(l)).map((l) => l.split('→ ')[1]);
    expect(entered[0]).toBe('StartCase');
    expect(entered).toContain('IssueRefund');
    expect(entered.at(-1)).toBe('RecordOutcome');
    expect(io.stdout).toContain('status: SUCCEEDED');
    expect(io.stdout).toContain('outcome: auto_refunded (billing_error, rule 9)');
    expect(io.stdout).toContain('refunded: 14.99 USD (CH-2)');
    expect(io.stdout).toContain('case status: resolved');
  }, 60_000);
});
