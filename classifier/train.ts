/**
 * `npm run train:classifier`: regenerates classifier/model/intent.model.json (generated, do not edit)
 * from the project's corpus (classifier/corpus/train.jsonl) and the training splits of shared/data. Deterministic:
 * the same inputs give a byte-identical artifact (no clock, no Math.random).
 * `--check` exits non-zero when the committed artifact differs from a fresh training.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { MODEL_PATH, trainArtifactJson } from './lib/train-artifact.js';

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
