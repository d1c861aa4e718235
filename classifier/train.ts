/**
 * `npm run train:classifier`: regenerates classifier/model/intent.model.json and classifier/model/marker.model.json
 * (generated, do not edit) from the project's corpora (classifier/corpus/train.jsonl, markers-train.jsonl), the
 * compiled phrase lists and the training splits of shared/data. Deterministic: the same inputs give byte-identical
 * artifacts (no clock, no Math.random). `--check` exits non-zero when a committed artifact differs from a fresh training.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MODEL_PATH, trainArtifactJson } from './lib/train-artifact.js';
import { MARKER_MODEL_PATH, markerArtifactJson } from './lib/train-markers.js';

let stale = false;
for (const [path, build] of [
  [MODEL_PATH, trainArtifactJson],
  [MARKER_MODEL_PATH, () => markerArtifactJson()],
] as const) {
  const json = build();
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== json) {
      console.error(`${basename(path)} is stale: run \`npm run train:classifier\``);
      stale = true;
    } else console.log(`${basename(path)} matches a fresh training`);
  } else {
    writeFileSync(path, json);
    console.log(`wrote ${path} (${json.length} bytes)`);
  }
}
if (stale) process.exit(1);
