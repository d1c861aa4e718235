/** The examples the bundled model is trained on: never any held-out or test row. */
import { loadBanking77, loadBitext, loadOwnTrain } from './datasets.js';
import type { WeightedExample } from './train-linear.js';

/** Own corpus lines count more: they are the shop's domain and the only source for some intents. */
export const OWN_WEIGHT = 2;

export function buildTrainingSet(): { examples: WeightedExample[]; counts: Record<string, number> } {
  const own = loadOwnTrain();
  const bitext = loadBitext().train;
  const banking = loadBanking77('train');
  const examples: WeightedExample[] = [
    ...own.map((e) => ({ ...e, weight: OWN_WEIGHT })),
    ...bitext.map((e) => ({ ...e, weight: 1 })),
    ...banking.map((e) => ({ ...e, weight: 1 })),
  ];
  return {
    examples,
    counts: { own: own.length, bitextTrain: bitext.length, banking77Train: banking.length },
  };
}
