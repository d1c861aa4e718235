import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEV_DIR,
  HELDOUT_DIR,
  loadBitext,
  PARAPHRASE_MAX_DIFFERENCE,
  paraphraseGroups,
  paraphraseTokens,
  ROOT,
  readJsonl,
} from '../../../classifier/lib/datasets.js';
import { MARKER_DEV_SETS } from '../../../classifier/lib/train-markers.js';
import { buildTrainingSet, DEV_TRAINING_SETS } from '../../../classifier/lib/training-set.js';

const difference = (a: Set<string>, b: Set<string>) =>
  [...a].filter((w) => !b.has(w)).length + [...b].filter((w) => !a.has(w)).length;

describe('paraphrase groups', () => {
  it('put rows two tokens apart in one group, chained, and keep other rows apart', () => {
    const groups = paraphraseGroups([
      'how do I track order {{Order Number}}',
      'how can I track order 12345',
      'how can I track purchase 12345',
      'I want a refund for my broken kettle',
    ]);
    expect(groups).toEqual([0, 0, 0, 1]);
  });

  it('read placeholders and numbers as one token, case-insensitively', () => {
    expect([...paraphraseTokens('Cancel ORDER {{Order Number}} now')]).toEqual([
      'cancel',
      'order',
      'slot',
      'now',
    ]);
    expect([...paraphraseTokens('cancel order 113542617735902 now')]).toEqual([
      'cancel',
      'order',
      'slot',
      'now',
    ]);
  });
});

describe('Bitext held-out split by paraphrase group', () => {
  const split = loadBitext();

  it('holds out about a fifth of the groups and is the same on every run', () => {
    expect(split.heldoutGroups / split.groups).toBeGreaterThan(0.18);
    expect(split.heldoutGroups / split.groups).toBeLessThan(0.22);
    const again = loadBitext();
    expect(again.heldout.map((r) => r.text)).toEqual(split.heldout.map((r) => r.text));
  });

  it('has no held-out row within two tokens of a training row of the same intent', () => {
    const trainByIntent = new Map<string, Set<string>[]>();
    for (const r of split.train) {
      const list = trainByIntent.get(r.intent) ?? [];
      list.push(paraphraseTokens(r.text));
      trainByIntent.set(r.intent, list);
    }
    // Sampled: every 7th held-out row against every training row of its intent.
    const close = split.heldout
      .filter((_, i) => i % 7 === 0)
      .filter((r) => {
        const tokens = paraphraseTokens(r.text);
        return (trainByIntent.get(r.intent) ?? []).some(
          (t) => difference(tokens, t) <= PARAPHRASE_MAX_DIFFERENCE,
        );
      });
    expect(close).toEqual([]);
  }, 30_000);
});

describe('npm run eval:intents -- --set <file>', () => {
  it('evaluates one file and prints a manifest line with intent and marker figures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heldout-'));
    const file = join(dir, 'tiny.jsonl');
    const rows = [
      {
        text: 'where is my parcel, it is a week late',
        intent: 'order_tracking',
        frustrated: false,
        urgent: false,
        humanRequested: false,
      },
      {
        text: 'my account was hacked, call me now!!',
        intent: 'account_security',
        frustrated: false,
        urgent: true,
        humanRequested: true,
      },
      {
        text: 'refund the double charge please',
        intent: 'billing_refund',
        frustrated: false,
        urgent: false,
        humanRequested: false,
      },
    ];
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const out = execFileSync('npx', ['tsx', 'classifier/evaluate.ts', '--set', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const summary = JSON.parse(out.trim().split('\n').at(-1) as string);
    expect(summary.file).toBe('tiny.jsonl');
    expect(summary.firstEvaluation).toMatchObject({ n: 3, accuracy: 1, macroF1: 1 });
    expect(summary.firstEvaluation.commit).toMatch(/^[0-9a-f]{7,}$/);
    expect(Object.keys(summary.firstEvaluation.markerF1).sort()).toEqual([
      'frustrated',
      'humanRequested',
      'urgent',
    ]);
    expect(summary.firstEvaluation.markerF1.humanRequested).toBe(1);
  }, 60_000);

  it('lists the held-out sets of the manifest, each with a first evaluation or none yet', () => {
    const manifest = JSON.parse(readFileSync(join(HELDOUT_DIR, 'manifest.json'), 'utf8')) as {
      file: string;
    }[];
    for (const entry of manifest) {
      expect(entry).toHaveProperty('firstEvaluation');
      // A set whose errors were read is a development set: it cannot be listed as held-out as well.
      expect(existsSync(join(DEV_DIR, entry.file))).toBe(false);
    }
  });

  it('keeps the first held-out figure of every former held-out set, now a development set', () => {
    const past = JSON.parse(readFileSync(join(DEV_DIR, 'past-first-evaluations.json'), 'utf8')) as {
      file: string;
      firstEvaluation: { n: number; accuracy: number };
    }[];
    expect(past.map((m) => m.file)).toEqual([
      '2026-12-a.jsonl',
      '2026-12-b.jsonl',
      '2026-12-c.jsonl',
      '2026-12-d.jsonl',
      '2026-12-e.jsonl',
      '2026-12-f.jsonl',
      '2026-12-g.jsonl',
      '2026-12-h.jsonl',
      '2026-12-i.jsonl',
      '2026-12-j.jsonl',
      '2026-12-k.jsonl',
      '2026-12-l.jsonl',
      '2026-12-n.jsonl',
      '2026-12-o.jsonl',
      '2026-12-p.jsonl',
      '2026-12-q.jsonl',
      '2026-12-r.jsonl',
      '2026-12-s.jsonl',
    ]);
    for (const entry of past) {
      expect(existsSync(join(DEV_DIR, entry.file))).toBe(true);
      expect(existsSync(join(HELDOUT_DIR, entry.file))).toBe(false);
      expect(entry.firstEvaluation.n).toBe(readJsonl(join(DEV_DIR, entry.file)).length);
    }
    expect(past.map((m) => m.firstEvaluation.accuracy)).toEqual([
      0.91, 0.918, 0.865, 0.956, 0.905, 0.919, 0.948, 0.959, 0.879, 0.884, 0.91, 0.976, 0.963, 0.959, 0.934,
      0.967, 0.979, 0.974,
    ]);
  });
});

describe('training on the development sets (round 15)', () => {
  it('lists development sets only: each is in data/dev/, none is a held-out set', () => {
    const heldout = (
      JSON.parse(readFileSync(join(HELDOUT_DIR, 'manifest.json'), 'utf8')) as { file: string }[]
    ).map((m) => m.file);
    for (const name of new Set([...DEV_TRAINING_SETS, ...MARKER_DEV_SETS])) {
      expect(existsSync(join(DEV_DIR, `${name}.jsonl`))).toBe(true);
      expect(existsSync(join(HELDOUT_DIR, `${name}.jsonl`))).toBe(false);
      expect(heldout).not.toContain(`${name}.jsonl`);
    }
  });

  it('leaves a development set out of the training set for its leave-one-set-out figure', () => {
    const all = buildTrainingSet();
    const without = buildTrainingSet({ leaveOut: ['2026-12-k'] });
    const k = readJsonl<{ text: string }>(join(DEV_DIR, '2026-12-k.jsonl'));
    expect((all.counts.development as number) - (without.counts.development as number)).toBe(k.length);
    expect(without.examples.length).toBe(all.examples.length - k.length);
  }, 30_000);
});
