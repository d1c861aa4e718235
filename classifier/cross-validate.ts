/**
 * `npm run eval:cross`: leave-one-set-out figures for the former held-out sets, which are trained on since round 15
 * (lib/training-set.ts DEV_TRAINING_SETS, lib/train-markers.ts MARKER_DEV_SETS). For each set, the intent model and
 * the marker models are trained on everything but that set, with the bundled settings, and the whole classifier
 * (topic over a request for a person included) is measured on it. Templates or marker lines were written from the
 * errors of every set but k (of l and n to s only the marker errors were read), so only k, and the intents of l and n to
 * s, measure wording no part of the pipeline saw; the others are development figures. Round 16's settings were picked
 * on the brief-* sets, whose errors shaped no list. Prints a markdown table; `-- --sets k,j` runs a few, `-- --sets
 * brief-tone` a development set written for training (round 16).
 */
import { createClassifier } from '../functions/classify/domain.js';
import { INTENTS } from '../functions/shared/types.js';
import { loadDevSet } from './lib/datasets.js';
import { MARKER_NAMES, PAST_FIRST_EVALUATIONS, readManifest } from './lib/manifests.js';
import { intentReport, markerScore } from './lib/metrics.js';
import { DEFAULT_TRAIN_OPTIONS, trainLinear } from './lib/train-linear.js';
import { DEFAULT_MARKER_OPTIONS, markerTrainingLines, trainMarkerModels } from './lib/train-markers.js';
import { buildTrainingSet, DEV_TRAINING_SETS } from './lib/training-set.js';

/** The former held-out sets, oldest first, with their first held-out figure. */
const past = readManifest(PAST_FIRST_EVALUATIONS);

// `--sets k,brief-tone`: a letter names a former held-out set (2026-12-k), anything else a development set by name.
const setsArgument = process.argv.indexOf('--sets');
const names =
  setsArgument > 0
    ? (process.argv[setsArgument + 1] ?? '').split(',').map((s) => (/^[a-z]$/.test(s) ? `2026-12-${s}` : s))
    : past.map(({ file }) => file.replace(/\.jsonl$/, ''));

const rows: string[] = [
  '| set | n | first held-out figure | left out: accuracy | wrong | frustrated F1 | urgent F1 | humanRequested F1 |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const name of names) {
  const firstEvaluation = past.find((entry) => entry.file === `${name}.jsonl`)?.firstEvaluation;
  if (!DEV_TRAINING_SETS.includes(name)) throw new Error(`${name} is not in DEV_TRAINING_SETS`);
  const classifier = createClassifier(
    trainLinear(buildTrainingSet({ leaveOut: [name] }).examples, DEFAULT_TRAIN_OPTIONS),
    trainMarkerModels(markerTrainingLines(DEFAULT_MARKER_OPTIONS, [name]), DEFAULT_MARKER_OPTIONS),
  );
  const lines = loadDevSet(name);
  const predictions = lines.map((l) => classifier.classifyMessage(l.text));
  const { accuracy } = intentReport(
    name,
    lines.map((l) => l.intent),
    predictions.map((p) => p.intent),
    INTENTS,
  );
  const wrong = Math.round(lines.length * (1 - accuracy));
  const f1 = MARKER_NAMES.map(
    (m) =>
      markerScore(
        m,
        lines.map((l) => l[m]),
        predictions.map((p) => p[m]),
      ).f1,
  );
  rows.push(
    `| ${name} | ${lines.length} | ${firstEvaluation?.accuracy.toFixed(3) ?? '—'} | ${accuracy.toFixed(3)} | ${wrong} | ${f1.map((x) => x.toFixed(3)).join(' | ')} |`,
  );
  console.error(`${name}: ${accuracy.toFixed(3)}`);
}
console.log(rows.join('\n'));
