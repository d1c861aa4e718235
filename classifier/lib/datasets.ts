/**
 * Loads every labelled set the classifier is trained or evaluated on, mapped to POLICY.md intents.
 * - own corpus: classifier/corpus/train.jsonl (generated from classifier/templates, train only)
 * - development sets: classifier/data/dev/*.jsonl (hand-written, with markers). Their errors were
 *   read, or their sentences sit in templates or tests, so they are reported as development sets.
 * - held-out sets: classifier/data/heldout/*.jsonl listed in its manifest.json (evaluate.ts)
 * - Bitext: one file; a fixed-seed split by paraphrase group (rows of one intent whose token sets
 *   differ by at most two tokens, chained with union-find) holds out 20% of the groups
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
export const CLASSIFIER_DIR = join(ROOT, 'classifier');
export const DEV_DIR = join(CLASSIFIER_DIR, 'data', 'dev');
export const HELDOUT_DIR = join(CLASSIFIER_DIR, 'data', 'heldout');
export const TRAIN_CORPUS_PATH = join(CLASSIFIER_DIR, 'corpus', 'train.jsonl');
/** The public data sets live beside the repository (shared/data); overridable for CI layouts. */
export const DATA_DIR = process.env.REFUND_HUB_DATA_DIR ?? join(ROOT, '..', 'shared', 'data');
export const BITEXT_SPLIT_SEED = 7;
export const BITEXT_HELDOUT_SHARE = 0.2;
/** Rows whose token sets differ by at most this many tokens are paraphrases of each other. */
export const PARAPHRASE_MAX_DIFFERENCE = 2;

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

/** A classifier/corpus/train.jsonl line; `noise` lines (keyboard mash) are kept out of the coverage vocabulary. */
export interface OwnTrainExample extends Example {
  readonly noise?: boolean;
}

export function loadOwnTrain(): OwnTrainExample[] {
  return readJsonl<OwnTrainExample>(TRAIN_CORPUS_PATH);
}

/** A development set by file name (classifier/data/dev/<name>.jsonl). */
export function loadDevSet(name: string): MarkedExample[] {
  return readJsonl<MarkedExample>(join(DEV_DIR, `${name}.jsonl`));
}

export function loadBanking77(split: 'train' | 'test'): Example[] {
  const rows = readCsvRecords(join(DATA_DIR, 'banking77', `${split}.csv`));
  return mapRows(
    rows.map((r) => ({ text: r.text ?? '', label: r.category ?? '' })),
    readMap('banking77'),
  );
}

/** Lowercased word set; Bitext's {{placeholders}} and numbers (order ids, amounts) are one and the same token. */
export function paraphraseTokens(text: string): Set<string> {
  const normalised = text
    .toLowerCase()
    .replace(/\{\{[^}]*\}\}/g, ' slot ')
    .replace(/\d+/g, ' slot ');
  return new Set(normalised.match(/[a-z']+/g) ?? []);
}

function withinDifference(a: ReadonlySet<string>, b: ReadonlySet<string>, max: number): boolean {
  if (Math.abs(a.size - b.size) > max) return false;
  let difference = 0;
  for (const w of a) if (!b.has(w) && ++difference > max) return false;
  for (const w of b) if (!a.has(w) && ++difference > max) return false;
  return true;
}

/**
 * Paraphrase groups of one label: union-find over every pair whose token sets differ by at most
 * `max` tokens (symmetric difference), so chains of near-duplicates end up in one group.
 * Returns the group index of each row, groups numbered in order of their first row.
 */
export function paraphraseGroups(texts: readonly string[], max = PARAPHRASE_MAX_DIFFERENCE): number[] {
  const sets = texts.map(paraphraseTokens);
  const parent = texts.map((_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[x] !== root) {
      const next = parent[x] as number;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  for (let i = 0; i < sets.length; i += 1) {
    for (let j = i + 1; j < sets.length; j += 1) {
      if (withinDifference(sets[i] as Set<string>, sets[j] as Set<string>, max)) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const numbering = new Map<number, number>();
  return texts.map((_, i) => {
    const root = find(i);
    const known = numbering.get(root);
    if (known !== undefined) return known;
    numbering.set(root, numbering.size);
    return numbering.size - 1;
  });
}

/**
 * Bitext split into train / held-out by paraphrase group, per POLICY.md intent (after the
 * intent map), fixed seed: 20% of each intent's groups (shuffled) are held out whole, so no
 * held-out row has a training row of its intent that differs from it by one or two words.
 */
export function loadBitext(): {
  train: Example[];
  heldout: Example[];
  groups: number;
  heldoutGroups: number;
} {
  const rows = readCsvRecords(
    join(DATA_DIR, 'bitext-customer-support', 'Bitext_Sample_Customer_Support_Training_Dataset.csv'),
  );
  const mapped = mapRows(
    rows.map((r) => ({ text: r.instruction ?? '', label: r.intent ?? '' })),
    readMap('bitext-customer-support'),
  );
  const byIntent = new Map<Intent, Example[]>();
  for (const r of mapped) byIntent.set(r.intent, [...(byIntent.get(r.intent) ?? []), r]);
  const rand = mulberry32(BITEXT_SPLIT_SEED);
  const train: Example[] = [];
  const heldout: Example[] = [];
  let groups = 0;
  let heldoutGroups = 0;
  for (const intent of INTENTS) {
    const list = byIntent.get(intent) ?? [];
    if (list.length === 0) continue;
    const groupOf = paraphraseGroups(list.map((r) => r.text));
    const count = Math.max(...groupOf) + 1;
    const order = shuffled(
      Array.from({ length: count }, (_, i) => i),
      rand,
    );
    const held = new Set(order.slice(0, Math.round(count * BITEXT_HELDOUT_SHARE)));
    groups += count;
    heldoutGroups += held.size;
    list.forEach((row, i) => {
      (held.has(groupOf[i] as number) ? heldout : train).push(row);
    });
  }
  return { train, heldout, groups, heldoutGroups };
}
