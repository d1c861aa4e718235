/**
 * Writes classifier/corpus/train.jsonl from classifier/templates/corpus-templates.ts: every hand-written line and
 * keyword query, each template filled several times, plus noisy variants (typos, ALL CAPS,
 * no punctuation) so the model sees the way customers really type. Seeded: same templates,
 * same file. Run: `npm run corpus:generate`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Intent } from '../../functions/shared/types.js';
import { mulberry32, pick } from '../lib/prng.js';
import {
  NOISE,
  ROUND3_SLOTS,
  ROUND3_SOURCES,
  SLOTS,
  SOURCES,
  VOICE_SLOTS,
  VOICE_SOURCES,
} from './corpus-templates.js';
import { MARKER_LINES } from './marker-lines.js';
import { ROUND4_SLOTS, ROUND4_SOURCES } from './round4.js';
import { ROUND5_SOURCES } from './round5.js';
import { ROUND6_LONG_SOURCES, ROUND6_MORE_SOURCES, ROUND6_SLOTS, ROUND6_SOURCES } from './round6.js';
import {
  ROUND8_BALANCE_SOURCES,
  ROUND8_LONG_SOURCES,
  ROUND8_MORE_SOURCES,
  ROUND8_SLOTS,
  ROUND8_SOURCES,
  ROUND8_TEMPLATE_SOURCES,
  ROUND8_THANKS_SOURCES,
} from './round8.js';
import { ROUND9_BALANCE_SOURCES, ROUND9_SLOTS, ROUND9_SOURCES } from './round9.js';
import { ROUND10_SLOTS, ROUND10_SOURCES } from './round10.js';
import { ROUND11_SLOTS, ROUND11_SOURCES } from './round11.js';
import { ROUND13_SLOTS, ROUND13_SOURCES } from './round13.js';

const SEED = 20260214;
const FILLS_PER_TEMPLATE = 7;

export interface CorpusLine {
  readonly text: string;
  readonly intent: Intent;
  /** Keyboard mash / noise: trained as `other`, kept out of the coverage vocabulary. */
  readonly noise?: true;
}

const ALL_SLOTS: Readonly<Record<string, readonly string[]>> = {
  ...SLOTS,
  ...VOICE_SLOTS,
  ...ROUND3_SLOTS,
  ...ROUND4_SLOTS,
  ...ROUND6_SLOTS,
  ...ROUND8_SLOTS,
  ...ROUND9_SLOTS,
  ...ROUND10_SLOTS,
  ...ROUND11_SLOTS,
  ...ROUND13_SLOTS,
};
const VOICE_FILLS_PER_TEMPLATE = 5;
/** Share of short lines that are also written as a whole message: greeting, context, sign-off. */
const WRAP_SHARE = 0.2;

function fill(template: string, rand: () => number): string {
  const once = (text: string) =>
    text.replace(/\{(\w+)\}/g, (_, slot: string) => {
      const values = ALL_SLOTS[slot];
      if (!values) throw new Error(`unknown slot {${slot}} in "${template}"`);
      return pick(values, rand);
    });
  // A slot value may hold a slot itself (round 13: `{r13Item}` inside `{r13ReturnDone}`): fill until none is left.
  let out = once(template);
  for (let depth = 0; depth < 3 && /\{\w+\}/.test(out); depth += 1) out = once(out);
  return out;
}

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 's',
  e: 'r',
  i: 'o',
  o: 'p',
  u: 'y',
  n: 'm',
  r: 't',
  s: 'd',
  t: 'r',
  l: 'k',
  c: 'v',
  d: 'f',
};

/** One realistic typo in a word of 4+ letters: drop, double, swap or a neighbouring key. */
export function typo(text: string, rand: () => number): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => (/^[a-z]{4,}$/i.test(w) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const wi = pick(candidates, rand);
  const w = words[wi] as string;
  const p = 1 + Math.floor(rand() * (w.length - 2));
  const kind = Math.floor(rand() * 4);
  let out: string;
  if (kind === 0) out = w.slice(0, p) + w.slice(p + 1);
  else if (kind === 1) out = w.slice(0, p) + w[p] + w.slice(p);
  else if (kind === 2) out = w.slice(0, p) + (w[p + 1] ?? '') + w[p] + w.slice(p + 2);
  else out = w.slice(0, p) + (KEYBOARD_NEIGHBOURS[(w[p] as string).toLowerCase()] ?? w[p]) + w.slice(p + 1);
  words[wi] = out;
  return words.join(' ');
}

/** Tails that ask for a person or vent, added to topical lines without changing their intent. */
const TAILS = [
  'can someone call me about it?',
  'I want to talk to a person about this.',
  'please have an agent call me back',
  'this is ridiculous',
  'I need this sorted asap',
  'third time asking!!',
  'can a human look at this',
  'thanks',
  'please help',
];

function variants(text: string, intent: Intent, rand: () => number): string[] {
  const out: string[] = [];
  if (intent !== 'human_agent' && intent !== 'other' && rand() < 0.12)
    out.push(`${text}. ${pick(TAILS, rand)}`);
  const r = rand();
  if (r < 0.25) out.push(typo(text, rand));
  else if (r < 0.35) out.push(text.toUpperCase());
  else if (r < 0.5) out.push(text.toLowerCase().replace(/[^\w\s$£€#-]/g, ''));
  if (rand() < 0.1) out.push(typo(typo(text.toLowerCase(), rand), rand));
  if (text.length < 90 && rand() < WRAP_SHARE) out.push(wrapped(text, rand));
  return out;
}

/** "Hi, hope you are well. <line>. Thanks in advance": intent-neutral context around a line. */
function wrapped(text: string, rand: () => number): string {
  const body = text.replace(/[.!?\s]+$/, '');
  const sentence = `${body.charAt(0).toUpperCase()}${body.slice(1)}${/[?]$/.test(text) ? '?' : '.'}`;
  const parts: string[] = [];
  if (rand() < 0.8) parts.push(`${pick(VOICE_SLOTS.greet ?? [], rand)},`);
  if (rand() < 0.6) parts.push(`${pick(VOICE_SLOTS.opener ?? [], rand)}.`);
  parts.push(sentence);
  if (rand() < 0.7) parts.push(pick(VOICE_SLOTS.signoff ?? [], rand));
  return parts.join(' ');
}

export function generateCorpus(): CorpusLine[] {
  const rand = mulberry32(SEED);
  const out: CorpusLine[] = [];
  const seen = new Set<string>();
  const add = (text: string, intent: Intent, noise = false) => {
    const key = text.toLowerCase().trim();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(noise ? { text: text.trim(), intent, noise: true } : { text: text.trim(), intent });
  };
  const sources = [
    ...SOURCES.map((source) => ({ source, fills: FILLS_PER_TEMPLATE })),
    ...VOICE_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND3_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND4_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND5_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND6_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND6_LONG_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND6_MORE_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND8_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND8_LONG_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND8_MORE_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND8_BALANCE_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND8_THANKS_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND8_TEMPLATE_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND9_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND9_BALANCE_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND10_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND11_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
    ...ROUND13_SOURCES.map((source) => ({ source, fills: VOICE_FILLS_PER_TEMPLATE })),
  ];
  for (const { source, fills } of sources) {
    const base: string[] = [];
    for (const line of source.lines) base.push(fill(line, rand));
    for (const kw of source.keywords) base.push(kw);
    for (const template of source.templates) {
      for (let i = 0; i < fills; i += 1) base.push(fill(template, rand));
    }
    for (const text of base) {
      add(text, source.intent);
      for (const v of variants(text, source.intent, rand)) add(v, source.intent);
    }
  }
  for (const mash of NOISE) {
    add(mash, 'other', true);
    add(mash.toUpperCase(), 'other', true);
  }
  return out;
}

export interface MarkerCorpusLine {
  readonly text: string;
  readonly frustrated: boolean;
  readonly urgent: boolean;
}

const MARKER_SEED = 20261202;

/**
 * The marker models' training lines (templates/marker-lines.ts), each also with one or two typos (the same
 * labels: a typo changes neither mood nor deadline). No capitals or punctuation variants: those change the label.
 */
export function generateMarkerCorpus(): MarkerCorpusLine[] {
  const rand = mulberry32(MARKER_SEED);
  const out: MarkerCorpusLine[] = [];
  const seen = new Set<string>();
  for (const entry of MARKER_LINES) {
    const m = /^([f-])([u-])\|(.+)$/.exec(entry);
    if (!m) throw new Error(`marker line without its "fu|" tag: ${entry}`);
    const labels = { frustrated: m[1] === 'f', urgent: m[2] === 'u' };
    const text = m[3] as string;
    for (const t of [text, typo(text, rand), typo(typo(text, rand), rand)]) {
      if (seen.has(t)) continue;
      seen.add(t);
      out.push({ text: t, ...labels });
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const markerLines = generateMarkerCorpus();
  writeFileSync(
    new URL('../corpus/markers-train.jsonl', import.meta.url),
    `${markerLines.map((l) => JSON.stringify(l)).join('\n')}\n`,
  );
  console.log(`wrote ${markerLines.length} lines to classifier/corpus/markers-train.jsonl`);
  const lines = generateCorpus();
  const target = new URL('../corpus/train.jsonl', import.meta.url);
  writeFileSync(target, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const counts: Record<string, number> = {};
  for (const l of lines) counts[l.intent] = (counts[l.intent] ?? 0) + 1;
  console.log(`wrote ${lines.length} lines to classifier/corpus/train.jsonl`, counts);
}
