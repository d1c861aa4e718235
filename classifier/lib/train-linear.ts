/**
 * Deterministic trainer for the bundled model: multinomial logistic regression with AdaGrad over
 * the hashed features of functions/classify/features.ts. Fixed-seed shuffles, fixed epoch count,
 * no Math.random: the same examples always give byte-identical artifacts.
 */
import { charTrigrams, extractFeatures } from '../../functions/classify/features.js';
import { looksLikeMash, type ModelArtifact, vocabSlots } from '../../functions/classify/linear-model.js';
import { INTENTS, type Intent } from '../../functions/shared/types.js';
import { mulberry32, shuffled } from './prng.js';

export interface WeightedExample {
  readonly text: string;
  readonly intent: Intent;
  readonly weight: number;
  /** Keyboard mash / noise: trained on, but its stems stay out of the coverage vocabulary. */
  readonly noise?: boolean;
}

/** What every linear model of the pipeline is trained with (the intent model and the marker models). */
export interface LinearTrainingSettings {
  readonly buckets: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** How many models (shuffle seeds seed, seed + 1, …) are averaged into the artifact. */
  readonly ensemble: number;
}

export interface TrainOptions extends LinearTrainingSettings {
  readonly vocabBits: number;
  /** Hash functions of the vocabulary Bloom filter. */
  readonly vocabHashes: number;
  /** Stems seen fewer times than this are left out of the coverage vocabulary. */
  readonly minVocabCount: number;
  /** A trigram counts as known (for unseen words) when at least this many distinct stems have it. */
  readonly minTrigramStems: number;
  /** Stored in the artifact: the runtime multiplies the logits by it before the softmax (calibration). */
  readonly temperature?: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  buckets: 1 << 15,
  // Round 14: 12 → 10 epochs, 0.4 → 0.3: a less tightly fitted corpus generalised better (all development sets but
  // i and j 167 → 159 wrong, the own validation sets 34 → 32; BANKING77 -0.3 points). See docs/classifier.md.
  epochs: 10,
  learningRate: 0.3,
  l2: 1e-6,
  seed: 42,
  ensemble: 8,
  vocabBits: 1 << 18,
  // Round 15: 2 → 3. The development sets brought a quarter more stems; with two hashes a 0.4% share of unseen words read as
  // known ("asdkjh" did), with three 0.08% (9% of the bits set, same size).
  vocabHashes: 3,
  minVocabCount: 1,
  minTrigramStems: 2,
  // Round 14: the averaged, less fitted model was under-confident (51 right answers under 0.5 on the development
  // sets); logits × 1.6 leaves the ranking as is and 16 of them under 0.5 (picked from {1, 1.3, 1.6, 2}).
  temperature: 1.6,
};

/** One multinomial logistic regression trained with AdaGrad from one shuffle seed (float weights). */
function trainOne(
  data: readonly { f: ReturnType<typeof extractFeatures>; y: number; w: number }[],
  options: TrainOptions,
  seed: number,
  k: number,
): { w: Float64Array; b: Float64Array } {
  const { buckets } = options;
  const w = new Float64Array(buckets * k);
  const g2 = new Float64Array(buckets * k).fill(1e-8);
  const b = new Float64Array(k);
  const bg2 = new Float64Array(k).fill(1e-8);
  const rand = mulberry32(seed);
  const logits = new Float64Array(k);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (const ex of shuffled(data, rand)) {
      const { indices, values } = ex.f;
      logits.set(b);
      for (let i = 0; i < indices.length; i += 1) {
        const base = (indices[i] as number) * k;
        for (let c = 0; c < k; c += 1)
          logits[c] = (logits[c] as number) + (values[i] as number) * (w[base + c] as number);
      }
      let max = Number.NEGATIVE_INFINITY;
      for (const l of logits) max = Math.max(max, l);
      let sum = 0;
      for (let c = 0; c < k; c += 1) {
        logits[c] = Math.exp((logits[c] as number) - max);
        sum += logits[c] as number;
      }
      for (let c = 0; c < k; c += 1) {
        const grad = ex.w * ((logits[c] as number) / sum - (c === ex.y ? 1 : 0));
        bg2[c] = (bg2[c] as number) + grad * grad;
        b[c] = (b[c] as number) - (options.learningRate * grad) / Math.sqrt(bg2[c] as number);
        for (let i = 0; i < indices.length; i += 1) {
          const j = (indices[i] as number) * k + c;
          const gj = grad * (values[i] as number) + options.l2 * (w[j] as number);
          g2[j] = (g2[j] as number) + gj * gj;
          w[j] = (w[j] as number) - (options.learningRate * gj) / Math.sqrt(g2[j] as number);
        }
      }
    }
  }
  return { w, b };
}

export function trainLinear(
  examples: readonly WeightedExample[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
  meta: Record<string, unknown> = {},
): ModelArtifact {
  const intents = [...INTENTS];
  const k = intents.length;
  const { buckets } = options;
  const data = examples.map((e) => ({
    f: extractFeatures(e.text, buckets),
    y: intents.indexOf(e.intent),
    w: e.weight,
  }));
  // The average of `ensemble` models that differ only in their shuffle seed (seed, seed + 1, …): still one
  // linear model of the same size, but the accuracy no longer swings by 2-3 points with the shuffle order.
  const w = new Float64Array(buckets * k);
  const b = new Float64Array(k);
  for (let m = 0; m < options.ensemble; m += 1) {
    const one = trainOne(data, options, options.seed + m, k);
    for (let j = 0; j < w.length; j += 1) w[j] = (w[j] as number) + (one.w[j] as number) / options.ensemble;
    for (let c = 0; c < k; c += 1) b[c] = (b[c] as number) + (one.b[c] as number) / options.ensemble;
  }
  let maxAbs = 0;
  for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs / 127 || 1;
  const q = new Int8Array(buckets * k);
  for (let j = 0; j < w.length; j += 1)
    q[j] = Math.max(-127, Math.min(127, Math.round((w[j] as number) / scale)));

  const counts = new Map<string, number>();
  examples.forEach((e, i) => {
    if (e.noise) return;
    for (const s of (data[i] as (typeof data)[number]).f.stems) counts.set(s, (counts.get(s) ?? 0) + 1);
  });
  const vocab = new Uint8Array(options.vocabBits / 8);
  const setBit = (key: string) => {
    for (const slot of vocabSlots(key, options.vocabBits, options.vocabHashes))
      vocab[slot >> 3] = (vocab[slot >> 3] as number) | (1 << (slot & 7));
  };
  // A trigram vouches for an unseen word only when several distinct known stems share it:
  // "refnd" keeps most of "refund"'s trigrams, a keyboard mash ("sdfgh") does not.
  const trigramStems = new Map<string, number>();
  for (const [s, n] of counts) {
    // Round 15: the development sets hold real keyboard mashes ("asdfgh", labelled `other`); known, they would read as
    // confident. They are trained on but stay unknown, like the corpus's `noise` lines.
    if (n < options.minVocabCount || s.startsWith('#') || looksLikeMash(s)) continue;
    setBit(s);
    for (const g of new Set(charTrigrams(s))) trigramStems.set(g, (trigramStems.get(g) ?? 0) + 1);
  }
  for (const [g, n] of trigramStems) if (n >= options.minTrigramStems) setBit(`t:${g}`);
  return {
    format: 'refund-hub-intent-linear/1',
    buckets,
    intents,
    scale: Number(scale.toPrecision(8)),
    bias: Array.from(b, (v) => Number(v.toFixed(5))),
    weights: Buffer.from(q.buffer).toString('base64'),
    vocab: Buffer.from(vocab.buffer).toString('base64'),
    vocabBits: options.vocabBits,
    vocabHashes: options.vocabHashes,
    temperature: options.temperature ?? 1,
    meta: {
      ...meta,
      epochs: options.epochs,
      learningRate: options.learningRate,
      l2: options.l2,
      seed: options.seed,
      ensemble: options.ensemble,
      minTrigramStems: options.minTrigramStems,
    },
  };
}
