import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progress } from '../../cli/progress.js';

function capture(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('progress on stderr', () => {
  it('off the terminal prints one plain line per tenth of the work and the last one', () => {
    const out = capture(false);
    const p = progress(out.stream, 100, true, { unit: 'cases' });
    for (let i = 1; i <= 100; i += 1) p.update(i);
    p.end();
    const lines = out.text().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toMatch(/^100\/100 \(100%\) \d+ cases\/s$/);
  });

  it('prints nothing when disabled (--no-progress)', () => {
    const out = capture(true);
    const p = progress(out.stream, 50, false, { unit: 'cases' });
    p.update(25);
    p.end();
    expect(out.text()).toBe('');
  });

  it('on a terminal draws a cli-progress bar that ends at the total', () => {
    const out = capture(true);
    const p = progress(out.stream, 4, true, { unit: 'cases' });
    for (let i = 1; i <= 4; i += 1) p.update(i);
    p.end();
    expect(out.text()).toContain('4/4 (100%)');
    expect(out.text()).toContain('####');
  });
});
