/**
 * `npm run train:classifier`: regenerates functions/classify/model/intent.model.json from the
 * project's corpus (corpus/train.jsonl) and the training splits of shared/data. Deterministic:
 * the same inputs give a byte-identical artifact (no clock, no Math.random).
 * `--check` exits non-zero when the committed artifact differs from a fresh training.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/datasets.js';
import { DEFAULT_TRAIN_OPTIONS, trainLinear } from './lib/train-linear.js';
import { buildTrainingSet, OWN_WEIGHT } from './lib/training-set.js';

export const MODEL_PATH = join(ROOT, 'functions', 'classify', 'model', 'intent.model.json');

export function trainArtifactJson(): string {
  const { examples, counts } = buildTrainingSet();
  const corpusSha256 = createHash('sha256')
    .update(readFileSync(join(ROOT, 'corpus', 'train.jsonl')))
    .digest('hex');
  const artifact = trainLinear(examples, DEFAULT_TRAIN_OPTIONS, {
    features: '@nlpjs/lang-en-min normaliser+tokeniser+Snowball stems: unigrams, bigrams, char trigrams',
    trainedOn: counts,
    ownWeight: OWN_WEIGHT,
    corpusSha256,
  });
  return `${JSON.stringify(artifact)}\n`;
}

const json = trainArtifactJson();
if (process.argv.includes('--check')) {
  const committed = readFileSync(MODEL_PATH, 'utf8');
  if (committed !== json) {
    console.error('intent.model.json is stale: run `npm run train:classifier`');
    process.exit(1);
  }
  console.log('intent.model.json matches a fresh training');
} else {
  writeFileSync(MODEL_PATH, json);
  console.log(`wrote ${MODEL_PATH} (${json.length} bytes)`);
}
