/** The examples the bundled model is trained on: never any held-out or test row. */
import type { Intent } from '../../functions/shared/types.js';
import { loadBanking77, loadBitext, loadOwnTrain } from './datasets.js';
import type { WeightedExample } from './train-linear.js';

/**
 * Own corpus lines count more: they are the shop's domain and the only source for some intents. Round 6 raised
 * it from 2 to 6: the public sets' refund rows (BANKING77 refund requests, Bitext refund policy and tracking)
 * outvoted the shop's "refund for the item I sent back" (`return_request`) and cancellation-status lines. Picked
 * from {2, 4, 6, 10} on the development sets (2, 4: check set 0.900; 6, 10: 0.938; 2026-12-a/b/c within ±1 point);
 * public held-out cost: Bitext 0.991 → 0.985, BANKING77 0.969 → 0.963.
 */
export const OWN_WEIGHT = 6;

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
