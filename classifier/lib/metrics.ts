/** Accuracy, macro-F1, confusion matrices and marker P/R/F1, rendered as markdown tables. */
import type { Intent } from '../../functions/shared/types.js';

export interface IntentReport {
  readonly name: string;
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly labels: readonly Intent[];
  /** confusion[gold][predicted] */
  readonly confusion: ReadonlyMap<Intent, ReadonlyMap<Intent, number>>;
}

export function intentReport(
  name: string,
  gold: readonly Intent[],
  predicted: readonly Intent[],
  allLabels: readonly Intent[],
): IntentReport {
  const confusion = new Map<Intent, Map<Intent, number>>();
  let correct = 0;
  for (let i = 0; i < gold.length; i += 1) {
    const g = gold[i] as Intent;
    const p = predicted[i] as Intent;
    if (g === p) correct += 1;
    const row = confusion.get(g) ?? new Map<Intent, number>();
    row.set(p, (row.get(p) ?? 0) + 1);
    confusion.set(g, row);
  }
  const goldLabels = allLabels.filter((l) => confusion.has(l));
  const f1s = goldLabels.map((l) => {
    const tp = confusion.get(l)?.get(l) ?? 0;
    let predictedAs = 0;
    for (const row of confusion.values()) predictedAs += row.get(l) ?? 0;
    const goldCount = [...(confusion.get(l)?.values() ?? [])].reduce((a, b) => a + b, 0);
    const precision = predictedAs === 0 ? 0 : tp / predictedAs;
    const recall = goldCount === 0 ? 0 : tp / goldCount;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });
  return {
    name,
    n: gold.length,
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    macroF1: f1s.reduce((a, b) => a + b, 0) / (f1s.length || 1),
    labels: allLabels,
    confusion,
  };
}

export interface MarkerScore {
  readonly marker: string;
  readonly support: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function markerScore(
  marker: string,
  gold: readonly boolean[],
  predicted: readonly boolean[],
): MarkerScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < gold.length; i += 1) {
    if (predicted[i] && gold[i]) tp += 1;
    else if (predicted[i]) fp += 1;
    else if (gold[i]) fn += 1;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { marker, support: tp + fn, precision, recall, f1 };
}

const fmt = (x: number) => x.toFixed(3);

export function confusionTable(report: IntentReport): string {
  const cols = report.labels.filter(
    (l) => report.confusion.has(l) || [...report.confusion.values()].some((row) => row.has(l)),
  );
  const header = `| gold \\ predicted | ${cols.join(' | ')} |`;
  const sep = `|---|${cols.map(() => '---:').join('|')}|`;
  const rows = report.labels
    .filter((l) => report.confusion.has(l))
    .map((g) => `| ${g} | ${cols.map((p) => report.confusion.get(g)?.get(p) ?? 0).join(' | ')} |`);
  return [header, sep, ...rows].join('\n');
}

export function summaryTable(
  reports: readonly IntentReport[],
  targets: Readonly<Record<string, number>>,
): string {
  const lines = ['| data set | n | accuracy | macro-F1 | target (accuracy) |', '|---|---:|---:|---:|---:|'];
  for (const r of reports) {
    const target = targets[r.name];
    const verdict = target === undefined ? '' : `≥ ${target} ${r.accuracy >= target ? '✅' : '❌'}`;
    lines.push(`| ${r.name} | ${r.n} | ${fmt(r.accuracy)} | ${fmt(r.macroF1)} | ${verdict} |`);
  }
  return lines.join('\n');
}

export function markerTable(scores: readonly MarkerScore[], target: number): string {
  const lines = [
    '| marker | positives | precision | recall | F1 | target (F1) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const s of scores) {
    lines.push(
      `| ${s.marker} | ${s.support} | ${fmt(s.precision)} | ${fmt(s.recall)} | ${fmt(s.f1)} | ≥ ${target} ${s.f1 >= target ? '✅' : '❌'} |`,
    );
  }
  return lines.join('\n');
}
