/**
 * The bundled intent model: a multinomial logistic regression over hashed features
 * (features.ts), weights quantised to int8 and stored base64 in model/intent.model.json.
 * Pure: decoding happens once, scoring is a sparse dot product per intent.
 */
import { INTENTS, type Intent } from '../shared/types.js';
import { charTrigrams, extractFeatures, fnv1a } from './features.js';

export interface ModelArtifact {
  readonly format: 'refund-hub-intent-linear/1';
  readonly buckets: number;
  readonly intents: readonly string[];
  /** int8 weight × scale = real weight. */
  readonly scale: number;
  readonly bias: readonly number[];
  /** base64 of Int8Array(buckets × intents.length), bucket-major. */
  readonly weights: string;
  /** base64 Bloom filter of the stems seen in training (vocabBits bits), for the coverage check. */
  readonly vocab: string;
  readonly vocabBits: number;
  /** Hash functions of the Bloom filter (1 when absent: a plain bitset). */
  readonly vocabHashes?: number;
  /** Logits are multiplied by it before the softmax (calibration; 1 when absent). */
  readonly temperature?: number;
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface LoadedModel {
  readonly buckets: number;
  readonly intents: readonly Intent[];
  readonly scale: number;
  readonly bias: Float64Array;
  readonly weights: Int8Array;
  readonly vocab: Uint8Array;
  readonly vocabBits: number;
  readonly vocabHashes: number;
  readonly temperature: number;
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function loadModel(artifact: ModelArtifact): LoadedModel {
  const intents = artifact.intents.map((name) => {
    if (!(INTENTS as readonly string[]).includes(name)) throw new Error(`model has unknown intent ${name}`);
    return name as Intent;
  });
  const bytes = fromBase64(artifact.weights);
  if (bytes.length !== artifact.buckets * intents.length)
    throw new Error('model weights have the wrong size');
  return {
    buckets: artifact.buckets,
    intents,
    scale: artifact.scale,
    bias: Float64Array.from(artifact.bias),
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    vocab: fromBase64(artifact.vocab),
    vocabBits: artifact.vocabBits,
    vocabHashes: artifact.vocabHashes ?? 1,
    temperature: artifact.temperature ?? 1,
  };
}

/** The Bloom filter's bit positions for a key (`hashes` independent FNV-1a hashes). */
export function vocabSlots(key: string, bits: number, hashes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < hashes; i += 1) out.push(fnv1a(i === 0 ? `v:${key}` : `v${i}:${key}`) % bits);
  return out;
}

function hasBit(model: LoadedModel, key: string): boolean {
  for (const slot of vocabSlots(key, model.vocabBits, model.vocabHashes)) {
    if ((((model.vocab[slot >> 3] as number) >> (slot & 7)) & 1) === 0) return false;
  }
  return true;
}

/** Runs along one keyboard row ("qwert", "asdf", "zxcv"): no English word holds one. */
const KEYBOARD_RUN = /qwert|werty|ertyu|rtyui|tyuio|yuiop|asdf|sdfg|dfgh|fghj|ghjk|hjkl|zxcv|xcvb|cvbn|vbnm/;

/**
 * A word that looks typed at random: a letter three times in a row ("jjjj"), 4+ letters without a
 * vowel ("sdfgh"), a short chunk repeated ("sdfsdf", "wertwert") or a run along a keyboard row ("qwertyuiop").
 */
export function looksLikeMash(stem: string): boolean {
  return (
    /([a-z])\1\1/.test(stem) ||
    (stem.length >= 4 && !/[aeiouy]/.test(stem)) ||
    /^([a-z]{2,4})\1+$/.test(stem) ||
    KEYBOARD_RUN.test(stem)
  );
}

/**
 * 1 for a stem seen in training; for an unseen one (a typo?), the squared share of its trigrams
 * that several training stems share; 0 for an unseen keyboard mash.
 */
function wordKnownness(model: LoadedModel, stem: string): number {
  if (/^([a-z])\1+$/.test(stem)) return 0;
  if (hasBit(model, stem)) return 1;
  // "pleeease", "sooo": an elongated known word is known.
  if (/([a-z])\1\1/.test(stem)) {
    if (
      hasBit(model, stem.replace(/([a-z])\1+/g, '$1')) ||
      hasBit(model, stem.replace(/([a-z])\1{2,}/g, '$1$1'))
    )
      return 1;
  }
  if (looksLikeMash(stem)) return 0;
  const grams = charTrigrams(stem);
  if (grams.length === 0) return 0;
  let hits = 0;
  for (const g of grams) if (hasBit(model, `t:${g}`)) hits += 1;
  return (hits / grams.length) ** 2;
}

export interface Scores {
  /** Softmax probability per intent, in `model.intents` order. */
  readonly probabilities: Float64Array;
  /** Share of the message's words that the model saw in training (0 when there are none). */
  readonly coverage: number;
  readonly words: number;
}

export function score(model: LoadedModel, text: string): Scores {
  const { indices, values, stems } = extractFeatures(text, model.buckets);
  const k = model.intents.length;
  const logits = Float64Array.from(model.bias);
  for (let i = 0; i < indices.length; i += 1) {
    const base = (indices[i] as number) * k;
    const v = (values[i] as number) * model.scale;
    for (let c = 0; c < k; c += 1)
      logits[c] = (logits[c] as number) + v * (model.weights[base + c] as number);
  }
  for (let c = 0; c < k; c += 1) logits[c] = (logits[c] as number) * model.temperature;
  let max = Number.NEGATIVE_INFINITY;
  for (const l of logits) max = Math.max(max, l);
  let sum = 0;
  const probabilities = new Float64Array(k);
  for (let c = 0; c < k; c += 1) {
    const e = Math.exp((logits[c] as number) - max);
    probabilities[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c += 1) probabilities[c] = (probabilities[c] as number) / sum;
  let known = 0;
  let words = 0;
  for (const s of stems) {
    if (s.startsWith('#')) continue;
    words += 1;
    known += wordKnownness(model, s);
  }
  return { probabilities, coverage: words === 0 ? 0 : known / words, words };
}
