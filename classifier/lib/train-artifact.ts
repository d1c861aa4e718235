/** Builds the model artifact's JSON text from the training set: deterministic, no clock. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIER_DIR, TRAIN_CORPUS_PATH } from './datasets.js';
import { DEFAULT_TRAIN_OPTIONS, trainLinear } from './train-linear.js';
import { BALANCE_POWER, buildTrainingSet, OWN_WEIGHT } from './training-set.js';

export const MODEL_PATH = join(CLASSIFIER_DIR, 'model', 'intent.model.json');
export function trainArtifactJson(): string {
  const { examples, counts, classWeights } = buildTrainingSet();
  const corpusSha256 = createHash('sha256').update(readFileSync(TRAIN_CORPUS_PATH)).digest('hex');
  const artifact = trainLinear(examples, DEFAULT_TRAIN_OPTIONS, {
    features:
      '@nlpjs/lang-en-min normaliser+tokeniser+foreign-word gloss+Snowball stems: unigrams, bigrams, char trigrams',
    trainedOn: counts,
    ownWeight: OWN_WEIGHT,
    balancePower: BALANCE_POWER,
    classWeights,
    corpusSha256,
  });
  return `${JSON.stringify(artifact)}\n`;
}
