import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../classifier/lib/prng.js';
import { trainLinear } from '../../../classifier/lib/train-linear.js';
import artifact from '../../../classifier/model/intent.model.json' with { type: 'json' };
import { typo } from '../../../classifier/templates/generate-corpus.js';
import { loadModel, type ModelArtifact, score } from '../../../functions/classify/linear-model.js';

const SMALL = [
  { text: 'refund my subscription', intent: 'billing_refund', weight: 1 },
  { text: 'charged twice, money back', intent: 'billing_refund', weight: 1 },
  { text: 'where is my package', intent: 'order_tracking', weight: 1 },
  { text: 'my parcel is late', intent: 'order_tracking', weight: 1 },
  { text: 'talk to a human', intent: 'human_agent', weight: 1 },
  { text: 'call me back please', intent: 'human_agent', weight: 1 },
] as const;

const OPTIONS = {
  buckets: 1024,
  epochs: 5,
  learningRate: 0.5,
  l2: 1e-6,
  seed: 3,
  ensemble: 1,
  vocabBits: 4096,
  vocabHashes: 2,
  minVocabCount: 1,
  minTrigramStems: 2,
};

describe('training', () => {
  it('gives byte-identical artifacts for the same corpus', () => {
    const a = JSON.stringify(trainLinear(SMALL, OPTIONS));
    const b = JSON.stringify(trainLinear(SMALL, OPTIONS));
    expect(a).toBe(b);
  });

  it('learns the small corpus', () => {
    const model = loadModel(trainLinear(SMALL, OPTIONS));
    const p = score(model, 'where is my package').probabilities;
    const best = model.intents[p.indexOf(Math.max(...p))];
    expect(best).toBe('order_tracking');
  });

  it('averages an ensemble of shuffle seeds into one model of the same size, and still learns the corpus', () => {
    const single = trainLinear(SMALL, OPTIONS);
    const averaged = trainLinear(SMALL, { ...OPTIONS, ensemble: 3 });
    expect(JSON.stringify(trainLinear(SMALL, { ...OPTIONS, ensemble: 3 }))).toBe(JSON.stringify(averaged));
    expect(averaged.weights).not.toBe(single.weights);
    expect(averaged.weights.length).toBe(single.weights.length);
    const model = loadModel(averaged);
    const p = score(model, 'my parcel is late').probabilities;
    expect(model.intents[p.indexOf(Math.max(...p))]).toBe('order_tracking');
  });

  it('seeded helpers repeat themselves', () => {
    expect(typo('please refund my subscription', mulberry32(1))).toBe(
      typo('please refund my subscription', mulberry32(1)),
    );
  });
});

describe('committed artifact', () => {
  it('is a well-formed model over all eight intents', () => {
    const model = loadModel(artifact as ModelArtifact);
    expect(model.intents).toHaveLength(8);
    expect(model.weights.length).toBe(model.buckets * 8);
  });
});

describe('committed artifact vs a fresh training', () => {
  it('matches byte for byte (run `npm run train:classifier` after changing the corpus)', async () => {
    const { MODEL_PATH, trainArtifactJson } = await import('../../../classifier/lib/train-artifact.js');
    const { readFileSync } = await import('node:fs');
    expect(trainArtifactJson()).toBe(readFileSync(MODEL_PATH, 'utf8'));
    // A full training (about 27 s of CPU since round 8): a generous limit, so a busy 2-core machine does not time it out.
  }, 180_000);
});
