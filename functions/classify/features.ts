/**
 * Text → sparse hashed features, shared by training (scripts/train-classifier.ts) and the Lambda.
 * NLP.js does normalisation (accents, case), tokenisation (contractions: "don't" → "do not") and
 * Snowball stemming; on top of that: stem unigrams, stem bigrams and character trigrams of every
 * word (so "refnd" and "subscribtion" still share most features with the real word).
 * Pure and deterministic.
 */
import { NormalizerEn, StemmerEn, TokenizerEn } from '@nlpjs/lang-en-min';
import { REDACTED_SECRET } from '../intake/redact.js';

const normalizer = new NormalizerEn();
const tokenizer = new TokenizerEn();
const stemmer = new StemmerEn();

export interface FeatureVector {
  /** Bucket index per feature (may repeat on hash collisions). */
  readonly indices: Uint32Array;
  /** L2-normalised value per feature. */
  readonly values: Float32Array;
  /** Stems of the message, for the vocabulary-coverage check. */
  readonly stems: readonly string[];
}

/** 32-bit FNV-1a: stable across runs and platforms. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const CHAR_GRAM_WEIGHT = 0.35;

/**
 * Normalised, stemmed tokens ("$14.99" → "#money", "55123" → "#num"). Redacted secrets are dropped with the word that
 * named them (intake's `REDACTED_SECRET`): a pasted secret is not the topic. Without this, training lines about
 * hijacked accounts taught "password [removed]" as a security cue, and a double-charge message that also held a
 * password read as account_security (test/workflow/redaction.test.ts).
 */
export function stemsOf(text: string): string[] {
  const normal = normalizer
    .normalize(text.replace(REDACTED_SECRET, ' '))
    .replace(/[$£€]\s?\d[\d,]*(\.\d+)?|\d[\d,]*(\.\d+)?\s?(dollars|usd|eur|euros|pounds|gbp)\b/g, ' zzmoney ')
    .replace(/\b\d+(st|nd|rd|th)\b/g, ' zzordinal ')
    .replace(/#?\b[a-z]*\d[\w-]*/g, ' zznum ');
  const tokens = tokenizer.tokenize(normal).filter((t) => /[a-z]/.test(t));
  return tokens.map((t) => (t.startsWith('zz') ? `#${t.slice(2)}` : stemmer.stemWord(t)));
}

/** Trigrams of `<stem>` (boundaries marked), for stems of 3+ letters. */
export function charTrigrams(stem: string): string[] {
  if (stem.length < 3 || stem.startsWith('#')) return [];
  const padded = `<${stem}>`;
  const out: string[] = [];
  for (let j = 0; j + 3 <= padded.length; j += 1) out.push(padded.slice(j, j + 3));
  return out;
}

export function extractFeatures(text: string, buckets: number): FeatureVector {
  const stems = stemsOf(text);
  const weights = new Map<number, number>();
  const add = (feature: string, value: number) => {
    const idx = fnv1a(feature) % buckets;
    weights.set(idx, (weights.get(idx) ?? 0) + value);
  };
  for (let i = 0; i < stems.length; i += 1) {
    const s = stems[i] as string;
    add(`w:${s}`, 1);
    if (i + 1 < stems.length) add(`b:${s} ${stems[i + 1]}`, 1);
    for (const g of charTrigrams(s)) add(`c:${g}`, CHAR_GRAM_WEIGHT);
  }
  if (stems.length === 1) add(`only:${stems[0]}`, 1);
  let norm = 0;
  for (const v of weights.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  const indices = new Uint32Array(weights.size);
  const values = new Float32Array(weights.size);
  let k = 0;
  for (const [idx, v] of [...weights.entries()].sort((a, b) => a[0] - b[0])) {
    indices[k] = idx;
    values[k] = v / norm;
    k += 1;
  }
  return { indices, values, stems };
}
