/**
 * `npm run eval:intents`: measures the bundled classifier (model + marker lists) and says which
 * figures are honest.
 * - public held-out: Bitext split by paraphrase group (lib/datasets.ts) and BANKING77 test.csv,
 *   never trained on.
 * - held-out (this project's): classifier/data/heldout/*.jsonl listed in manifest.json. Written and
 *   committed before any model or rule ran on them; the first evaluation is kept in the manifest and
 *   shown first, the current figure follows labelled "later". Missing files are skipped.
 * - development: classifier/data/dev/*.jsonl. Their errors were read or their sentences are in
 *   templates or tests, so they measure progress, not generalisation; since round 15 they are trained on
 *   ("development, trained on": fit). `npm run eval:cross` gives their leave-one-set-out figures. Sets that were held-out once
 *   (2026-12-a to -l) keep their first held-out figure in dev/past-first-evaluations.json, shown as history.
 * `-- --set <file>` evaluates one file (intent accuracy, macro-F1, marker P/R/F1, wrong answers with
 * confidence ≥ threshold) and prints a JSON line ready for the manifest's `firstEvaluation`.
 * `-- --write-readme` puts the tables between the eval:intents markers of README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { classifyMessage } from '../functions/classify/domain.js';
import { INTENTS } from '../functions/shared/types.js';
import { classifierBundleBytes } from './lib/bundle-size.js';
import {
  DEV_DIR,
  type Example,
  HELDOUT_DIR,
  loadBanking77,
  loadBitext,
  loadDevSet,
  loadOwnTrain,
  type MarkedExample,
  ROOT,
  readJsonl,
} from './lib/datasets.js';
import { type Evaluation, MARKER_NAMES, PAST_FIRST_EVALUATIONS, readManifest } from './lib/manifests.js';
import {
  confusionTable,
  type IntentReport,
  intentReport,
  type MarkerScore,
  markerScore,
  markerTable,
  summaryTable,
} from './lib/metrics.js';
import { MARKER_DEV_SETS } from './lib/train-markers.js';
import { BRIEF_SETS, DEV_TRAINING_SETS } from './lib/training-set.js';

/** Development sets the models are trained on since round 15: their figures measure fit, not generalisation. */
const TRAINED_ON = new Set([...DEV_TRAINING_SETS, ...MARKER_DEV_SETS]);

/** The state machine's operator default: under it the intent counts as `other`. */
const CONFIDENCE_THRESHOLD = 0.5;
const MARKER_F1_TARGET = 0.9;
const MS_TARGET = 1;
const BUNDLE_TARGET = 1024 * 1024;

/** The development sets, in the order they were written, with what happened to them. */
const DEV_SETS: readonly { file: string; note: string; intents: boolean }[] = [
  { file: 'own', note: 'own, sentences later added to templates', intents: true },
  { file: 'realistic', note: 'realistic', intents: true },
  { file: 'realistic-fresh', note: 'realistic fresh', intents: true },
  { file: 'realistic-round3', note: 'realistic round 3', intents: true },
  { file: 'markers-fresh', note: 'marker set 1, marker rules written from its errors', intents: false },
  { file: 'markers-round2', note: 'marker set 2, marker rules written from its errors', intents: false },
  { file: '2026-12-a', note: '2026-12-a (held-out once, errors read)', intents: true },
  { file: '2026-12-b', note: '2026-12-b (held-out once; round 6 measured it only)', intents: true },
  { file: '2026-12-c', note: '2026-12-c (held-out once, errors read)', intents: true },
  {
    file: 'round6-validation',
    note: 'round 6 validation (own lines, written before round 6, errors read)',
    intents: true,
  },
  {
    file: 'round6-check',
    note: 'round 6 check (own lines, written after round 6, corpus weight picked on it)',
    intents: true,
  },
  { file: 'markers-round6', note: 'marker set 3 (own frustrated lines, rules tuned on it)', intents: false },
  { file: '2026-12-d', note: '2026-12-d (held-out once, errors read for the marker models)', intents: true },
  {
    file: 'markers-round7-validation',
    note: "marker set 4 (own lines, written with the marker models' training lines, trained on since round 15)",
    intents: false,
  },
  { file: '2026-12-e', note: '2026-12-e (held-out once, errors read for round 8)', intents: true },
  {
    file: 'round8-validation',
    note: 'round 8 validation (own lines, written before round 8)',
    intents: true,
  },
  {
    file: 'markers-round8-validation',
    note: 'marker set 5 (own lines, written before round 8 changed anything, trained on since round 15)',
    intents: false,
  },
  { file: '2026-12-f', note: '2026-12-f (held-out once, errors read for round 9)', intents: true },
  {
    file: 'markers-round9-validation',
    note: 'marker set 6 (own lines, written before round 9)',
    intents: false,
  },
  {
    file: 'round9-validation',
    note: 'round 9 validation (own lines, written before round 9)',
    intents: true,
  },
  { file: '2026-12-g', note: '2026-12-g (held-out once, errors read for round 10)', intents: true },
  { file: '2026-12-h', note: '2026-12-h (held-out once, errors read for round 11)', intents: true },
  { file: '2026-12-i', note: '2026-12-i (held-out once, errors read for round 13)', intents: true },
  { file: '2026-12-j', note: '2026-12-j (held-out once, errors read for round 14)', intents: true },
  { file: '2026-12-k', note: '2026-12-k (held-out once, errors read for round 15)', intents: true },
  { file: '2026-12-l', note: '2026-12-l (held-out once, urgent errors read for round 15)', intents: true },
  { file: '2026-12-n', note: '2026-12-n (held-out once, urgent errors read for round 15)', intents: true },
  { file: '2026-12-o', note: '2026-12-o (held-out once, marker errors read for round 15)', intents: true },
  { file: '2026-12-p', note: '2026-12-p (held-out once, marker errors read after round 15)', intents: true },
  { file: '2026-12-q', note: '2026-12-q (held-out once, marker errors read for round 17)', intents: true },
  { file: '2026-12-r', note: '2026-12-r (held-out once, marker errors read for round 17)', intents: true },
  { file: '2026-12-s', note: '2026-12-s (held-out once, marker errors read for round 18)', intents: true },
  {
    file: 'round10-validation',
    note: 'round 10 validation (own lines, written before round 10)',
    intents: true,
  },
  {
    file: 'round11-validation',
    note: 'round 11 validation (own lines, written before round 11)',
    intents: true,
  },
  {
    file: 'round13-validation',
    note: 'round 13 validation (own lines, written before round 13, only its totals read)',
    intents: true,
  },
  {
    file: 'round14-validation',
    note: 'round 14 validation (own lines, written before round 14, only its totals read)',
    intents: true,
  },
  {
    file: 'markers-round12-validation',
    note: 'marker set 7 (own lines, written before round 12, only its totals read)',
    intents: false,
  },
  // Rounds 16 and 19-22: written for training, one brief each (the data cards in data/dev/ say which).
  ...BRIEF_SETS.map(({ name: file, round }) => ({
    file,
    note: `${file} (helper lines written for training, round ${round})`,
    intents: true,
  })),
];

const round = (x: number) => Math.round(x * 1000) / 1000;

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function intentsOf(name: string, rows: readonly Example[]): IntentReport {
  return intentReport(
    name,
    rows.map((r) => r.intent),
    rows.map((r) => classifyMessage(r.text).intent),
    INTENTS,
  );
}

function markerScores(rows: readonly MarkedExample[]): MarkerScore[] {
  const predictions = rows.map((r) => classifyMessage(r.text));
  return MARKER_NAMES.map((m) =>
    markerScore(
      m,
      rows.map((r) => r[m]),
      predictions.map((p) => p[m]),
    ),
  );
}

function errorCounts(rows: readonly Example[]): {
  wrong: number;
  wrongConfident: number;
  rightUnsure: number;
} {
  let wrong = 0;
  let wrongConfident = 0;
  let rightUnsure = 0;
  for (const r of rows) {
    const c = classifyMessage(r.text);
    if (c.intent !== r.intent) {
      wrong += 1;
      if (c.confidence >= CONFIDENCE_THRESHOLD) wrongConfident += 1;
    } else if (c.confidence < CONFIDENCE_THRESHOLD && r.intent !== 'other') rightUnsure += 1;
  }
  return { wrong, wrongConfident, rightUnsure };
}

function evaluation(rows: readonly MarkedExample[]): Evaluation {
  const report = intentsOf('set', rows);
  const scores = markerScores(rows);
  const f1 = (m: string) => round(scores.find((s) => s.marker === m)?.f1 ?? 0);
  return {
    commit: currentCommit(),
    n: rows.length,
    accuracy: round(report.accuracy),
    macroF1: round(report.macroF1),
    markerF1: { frustrated: f1('frustrated'), urgent: f1('urgent'), humanRequested: f1('humanRequested') },
    wrongConfident: errorCounts(rows).wrongConfident,
  };
}

/** Lowercased, punctuation dropped, spaces squeezed: how a copied line is recognised. */
function normalisedLine(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const trainLines = new Set(loadOwnTrain().map((r) => normalisedLine(r.text)));
function copiedIntoTraining(rows: readonly Example[]): number {
  return rows.filter((r) => trainLines.has(normalisedLine(r.text))).length;
}

const fmt = (x: number) => x.toFixed(3);

function evaluateOneSet(file: string): void {
  const path = isAbsolute(file) ? file : resolve(process.env.INIT_CWD ?? process.cwd(), file);
  const rows = readJsonl<MarkedExample>(path);
  const report = intentsOf(basename(path), rows);
  const scores = markerScores(rows);
  const errors = errorCounts(rows);
  const copied = copiedIntoTraining(rows);
  console.log(`# ${basename(path)} (${rows.length} messages)\n`);
  console.log(`intent accuracy ${fmt(report.accuracy)}, macro-F1 ${fmt(report.macroF1)}`);
  console.log(
    `wrong ${errors.wrong}, wrong with confidence ≥ ${CONFIDENCE_THRESHOLD}: ${errors.wrongConfident}, right but under it: ${errors.rightUnsure}\n`,
  );
  console.log(markerTable(scores, MARKER_F1_TARGET));
  console.log(`\n${confusionTable(report)}\n`);
  if (copied > 0)
    console.warn(`warning: ${copied} lines of this set are also in classifier/corpus/train.jsonl`);
  console.log(JSON.stringify({ file: basename(path), firstEvaluation: evaluation(rows) }));
}

function heldoutSection(): { markdown: string[]; rows: [string, readonly Example[]][] } {
  const lines = [
    '### Held-out sets of this project (first evaluation kept, later figures labelled)',
    '',
    '| set | n | evaluation | commit | accuracy | macro-F1 | frustrated F1 | urgent F1 | humanRequested F1 |',
    '|---|---:|---|---|---:|---:|---:|---:|---:|',
  ];
  const present: [string, readonly Example[]][] = [];
  const row = (file: string, label: string, e: Evaluation) =>
    `| ${file} | ${e.n} | ${label} | ${e.commit} | ${fmt(e.accuracy)} | ${fmt(e.macroF1)} | ${fmt(e.markerF1.frustrated)} | ${fmt(e.markerF1.urgent)} | ${fmt(e.markerF1.humanRequested)} |`;
  for (const entry of readManifest()) {
    const path = join(HELDOUT_DIR, entry.file);
    if (!existsSync(path)) {
      console.error(`held-out set ${entry.file} is not here: skipped`);
      continue;
    }
    const rows = readJsonl<MarkedExample>(path);
    present.push([`held-out: ${entry.file}`, rows]);
    if (entry.firstEvaluation) lines.push(row(entry.file, 'first', entry.firstEvaluation));
    else console.error(`held-out set ${entry.file} has no first evaluation yet: record the JSON line below`);
    const later = evaluation(rows);
    lines.push(row(entry.file, entry.firstEvaluation ? 'later' : 'first (not yet recorded)', later));
    if (!entry.firstEvaluation) console.error(JSON.stringify({ file: entry.file, firstEvaluation: later }));
    const copied = copiedIntoTraining(rows);
    if (copied > 0) console.warn(`warning: ${copied} lines of held-out ${entry.file} are in train.jsonl`);
  }
  if (present.length === 0) lines.push('| (none present) | | | | | | | | |');
  return { markdown: lines, rows: present };
}

/** Former held-out sets, now development: their first held-out figure (history) and today's figure. */
function pastHeldoutSection(): string[] {
  const lines = [
    '### Former held-out sets, now development (first held-out figure kept as history)',
    '',
    '| set | n | evaluation | commit | accuracy | macro-F1 | frustrated F1 | urgent F1 | humanRequested F1 |',
    '|---|---:|---|---|---:|---:|---:|---:|---:|',
  ];
  const row = (file: string, label: string, e: Evaluation) =>
    `| ${file} | ${e.n} | ${label} | ${e.commit} | ${fmt(e.accuracy)} | ${fmt(e.macroF1)} | ${fmt(e.markerF1.frustrated)} | ${fmt(e.markerF1.urgent)} | ${fmt(e.markerF1.humanRequested)} |`;
  for (const entry of readManifest(PAST_FIRST_EVALUATIONS)) {
    const path = join(DEV_DIR, entry.file);
    if (!existsSync(path)) continue;
    if (entry.firstEvaluation)
      lines.push(row(entry.file, 'held-out, first (history)', entry.firstEvaluation));
    lines.push(row(entry.file, 'development, trained on, now', evaluation(readJsonl<MarkedExample>(path))));
  }
  return lines;
}

async function fullReport(): Promise<string> {
  const bitext = loadBitext();
  const bitextName = `public held-out: Bitext, ${bitext.heldoutGroups} of ${bitext.groups} paraphrase groups (seed 7)`;
  const banking = 'public held-out: BANKING77 test (mapped)';
  const publicSets: [string, readonly Example[]][] = [
    [bitextName, bitext.heldout],
    [banking, loadBanking77('test')],
  ];
  const targets: Record<string, number> = { [bitextName]: 0.92, [banking]: 0.85 };
  const heldout = heldoutSection();
  const dev = DEV_SETS.map(({ file, note, intents }) => ({
    name: `${TRAINED_ON.has(file) ? 'development, trained on' : 'development'}: ${note}`,
    file,
    intents,
    rows: loadDevSet(file),
  }));
  for (const d of dev) {
    const copied = copiedIntoTraining(d.rows);
    if (copied > 0)
      console.warn(
        `warning: ${copied} of ${d.rows.length} lines of development set ${d.file} are in train.jsonl`,
      );
  }
  const intentSets: [string, readonly Example[]][] = [
    ...publicSets,
    ...heldout.rows,
    ...dev.filter((d) => d.intents).map((d): [string, readonly Example[]] => [d.name, d.rows]),
  ];
  const reports = intentSets.map(([name, rows]) => intentsOf(name, rows));

  const allTexts = [
    ...intentSets.flatMap(([, rows]) => rows),
    ...dev.filter((d) => !d.intents).flatMap((d) => d.rows),
  ].map((r) => r.text);
  for (const t of allTexts.slice(0, 500)) classifyMessage(t);
  const started = performance.now();
  for (const t of allTexts) classifyMessage(t);
  const msPerMessage = (performance.now() - started) / allTexts.length;
  const bundleBytes = await classifierBundleBytes();

  return [
    ...heldout.markdown,
    '',
    ...pastHeldoutSection(),
    '',
    '### Intent accuracy: public held-out and development sets',
    '',
    summaryTable(reports, targets),
    '',
    ...dev.flatMap((d) => [
      `### Markers, ${d.name} (classifier/data/dev/${d.file}.jsonl)`,
      '',
      markerTable(markerScores(d.rows), MARKER_F1_TARGET),
      '',
    ]),
    '### Cost',
    '',
    '| measure | value | target |',
    '|---|---:|---:|',
    `| mean time per message (model + markers, ${allTexts.length} messages) | ${msPerMessage.toFixed(3)} ms | ≤ ${MS_TARGET} ms ${msPerMessage <= MS_TARGET ? '✅' : '❌'} |`,
    `| classifier Lambda bundle (esbuild, minified, node22, @aws-sdk/* external) | ${bundleBytes} bytes ` +
      `(${(bundleBytes / 1024).toFixed(0)} KiB) | ≤ 1 MiB ${bundleBytes <= BUNDLE_TARGET ? '✅' : '❌'} |`,
    '',
    `### Errors and the confidence threshold (${CONFIDENCE_THRESHOLD})`,
    '',
    `| data set | n | wrong | wrong with confidence ≥ ${CONFIDENCE_THRESHOLD} | right but under ${CONFIDENCE_THRESHOLD} (counts as \`other\`) |`,
    '|---|---:|---:|---:|---:|',
    ...intentSets.map(([name, rows]) => {
      const e = errorCounts(rows);
      return `| ${name} | ${rows.length} | ${e.wrong} | ${e.wrongConfident} | ${e.rightUnsure} |`;
    }),
    '',
    ...reports.flatMap((r) => [`### Confusion matrix: ${r.name}`, '', confusionTable(r), '']),
  ].join('\n');
}

function writeReadme(markdown: string): void {
  const readme = join(ROOT, 'README.md');
  const start = '<!-- eval:intents:start -->';
  const end = '<!-- eval:intents:end -->';
  if (!existsSync(readme)) {
    console.error('README.md not found: nothing written');
    return;
  }
  const text = readFileSync(readme, 'utf8');
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) console.error(`README.md has no ${start} … ${end} block: nothing written`);
  else {
    writeFileSync(readme, `${text.slice(0, a + start.length)}\n${markdown}\n${text.slice(b)}`);
    console.error('README.md updated');
  }
}

const setIndex = process.argv.indexOf('--set');
if (setIndex >= 0) {
  const file = process.argv[setIndex + 1];
  if (!file) {
    console.error('usage: npm run eval:intents -- --set <file.jsonl>');
    process.exit(2);
  }
  evaluateOneSet(file);
} else {
  if (!existsSync(DEV_DIR)) throw new Error(`${DEV_DIR} is missing`);
  const markdown = await fullReport();
  console.log(markdown);
  if (process.argv.includes('--write-readme')) writeReadme(markdown);
}
