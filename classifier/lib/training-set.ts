/** The examples the bundled model is trained on: never any held-out or test row. */
import type { Intent } from '../../functions/shared/types.js';
import { loadBanking77, loadBitext, loadOwnTrain } from './datasets.js';
import type { WeightedExample } from './train-linear.js';

/** Own corpus lines count more: they are the shop's domain and the only source for some intents. */
export const OWN_WEIGHT = 2;

/**
 * Class balance: the public sets are dominated by banking/billing and chit-chat (`other`), which
 * made `billing_refund` swallow returns, cancellations and fraud reports worded like real
 * customers. Each intent's total weight is pulled towards the mean total by
 * `(mean / total) ^ BALANCE_POWER` (0: as is, 1: every intent weighs the same in total).
 */
export const BALANCE_POWER = 1;

export function buildTrainingSet(): {
  examples: WeightedExample[];
  counts: Record<string, number>;
  classWeights: Record<string, number>;
} {
  const own = loadOwnTrain();
  const bitext = loadBitext().train;
  const banking = loadBanking77('train');
  const raw: WeightedExample[] = [
    ...own.map((e) => ({ ...e, weight: OWN_WEIGHT })),
    ...bitext.map((e) => ({ ...e, weight: 1 })),
    ...banking.map((e) => ({ ...e, weight: 1 })),
  ];
  const totals = new Map<Intent, number>();
  for (const e of raw) totals.set(e.intent, (totals.get(e.intent) ?? 0) + e.weight);
  const mean = [...totals.values()].reduce((a, b) => a + b, 0) / totals.size;
  const classWeights: Record<string, number> = {};
  for (const [intent, total] of [...totals.entries()].sort((a, b) => a[0].localeCompare(b[0])))
    classWeights[intent] = Number(((mean / total) ** BALANCE_POWER).toFixed(4));
  const examples = raw.map((e) => ({ ...e, weight: e.weight * (classWeights[e.intent] as number) }));
  return {
    examples,
    counts: { own: own.length, bitextTrain: bitext.length, banking77Train: banking.length },
    classWeights,
  };
}
