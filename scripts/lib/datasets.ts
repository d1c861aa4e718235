/**
 * Loads every labelled set the classifier is trained or evaluated on, mapped to POLICY.md intents.
 * - own corpus: corpus/train.jsonl (train) and corpus/heldout.jsonl (evaluation only, with markers)
 * - realistic held-out: corpus/realistic-heldout.jsonl (evaluation only, with markers; written in
 *   real customers' voice before any model output on it was seen, never tuned on) and
 *   corpus/realistic-fresh.jsonl (the same, written after the 2nd corpus round)
 * - Bitext: one file (its training split); a fixed-seed, per-label 20% held-out split is carved
 *   out of it and never trained on
 * - BANKING77: train.csv for training, test.csv for evaluation only
 * Labels mapped to `null` by a folder's intent-map.json are dropped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTENTS, type Intent } from '../../functions/shared/types.js';
import { mulberry32, shuffled } from './prng.js';

export interface Example {
  readonly text: string;
  readonly intent: Intent;
}

export interface MarkedExample extends Example {
  readonly frustrated: boolean;
  readonly urgent: boolean;
  readonly humanRequested: boolean;
}

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The public data sets live beside the repository (shared/data); overridable for CI layouts. */
export const DATA_DIR = process.env.REFUND_HUB_DATA_DIR ?? join(ROOT, '..', 'shared', 'data');
export const BITEXT_SPLIT_SEED = 7;
export const BITEXT_HELDOUT_SHARE = 0.2;

function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (INTENTS as readonly string[]).includes(value);
}

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || (r[0] ?? '') !== '');
}

function readMap(folder: string): Record<string, string | null> {
  return JSON.parse(readFileSync(join(DATA_DIR, folder, 'intent-map.json'), 'utf8'));
}

function readCsvRecords(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

function mapRows(rows: { text: string; label: string }[], map: Record<string, string | null>): Example[] {
  const out: Example[] = [];
  for (const { text, label } of rows) {
    if (!(label in map)) throw new Error(`label ${label} missing from intent-map.json`);
    const intent = map[label];
    if (intent === null) continue;
    if (!isIntent(intent)) throw new Error(`intent-map.json maps ${label} to unknown intent ${intent}`);
    out.push({ text, intent });
  }
  return out;
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** A corpus/train.jsonl line; `noise` lines (keyboard mash) are kept out of the coverage vocabulary. */
export interface OwnTrainExample extends Example {
  readonly noise?: boolean;
}

export function loadOwnTrain(): OwnTrainExample[] {
  return readJsonl<OwnTrainExample>(join(ROOT, 'corpus', 'train.jsonl'));
}

export function loadOwnHeldout(): MarkedExample[] {
  return readJsonl<MarkedExample>(join(ROOT, 'corpus', 'heldout.jsonl'));
}

/** Never trained on and never tuned on: only its aggregate scores may be looked at. */
export function loadRealisticHeldout(): MarkedExample[] {
  return readJsonl<MarkedExample>(join(ROOT, 'corpus', 'realistic-heldout.jsonl'));
}

/** A second, smaller realistic set written after the 2nd corpus round: never trained or tuned on. */
export function loadRealisticFresh(): MarkedExample[] {
  return readJsonl<MarkedExample>(join(ROOT, 'corpus', 'realistic-fresh.jsonl'));
}

export function loadBanking77(split: 'train' | 'test'): Example[] {
  const rows = readCsvRecords(join(DATA_DIR, 'banking77', `${split}.csv`));
  return mapRows(
    rows.map((r) => ({ text: r.text ?? '', label: r.category ?? '' })),
    readMap('banking77'),
  );
}

/** Bitext split into train / held-out, per fine-grained label, with a fixed seed. */
export function loadBitext(): { train: Example[]; heldout: Example[] } {
  const rows = readCsvRecords(
    join(DATA_DIR, 'bitext-customer-support', 'Bitext_Sample_Customer_Support_Training_Dataset.csv'),
  );
  const map = readMap('bitext-customer-support');
  const byLabel = new Map<string, { text: string; label: string }[]>();
  for (const r of rows) {
    const label = r.intent ?? '';
    const list = byLabel.get(label) ?? [];
    list.push({ text: r.instruction ?? '', label });
    byLabel.set(label, list);
  }
  const rand = mulberry32(BITEXT_SPLIT_SEED);
  const train: { text: string; label: string }[] = [];
  const heldout: { text: string; label: string }[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const list = shuffled(byLabel.get(label) ?? [], rand);
    const cut = Math.round(list.length * BITEXT_HELDOUT_SHARE);
    heldout.push(...list.slice(0, cut));
    train.push(...list.slice(cut));
  }
  return { train: mapRows(train, map), heldout: mapRows(heldout, map) };
}
