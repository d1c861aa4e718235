/** The examples the bundled model is trained on: never any held-out or test row. */
import { stemsOf } from '../../functions/classify/features.js';
import { looksLikeMash } from '../../functions/classify/linear-model.js';
import type { Intent } from '../../functions/shared/types.js';
import { loadBanking77, loadBitext, loadDevSet, loadOwnTrain } from './datasets.js';
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

/**
 * The development sets written for training (data/dev/brief-*.jsonl), each by a helper who saw only POLICY.md and a
 * brief on one weak spot (the data cards say which), with the round they were first trained in.
 */
export const BRIEF_SETS: readonly { readonly name: string; readonly round: number }[] = [
  // Round 16: 3,240 lines, each brief on one weak spot of the markers (situational urgency, dry sarcasm, phone
  // shorthand, people writing for others or for work, regional voices, chasing, calm look-alikes, high stakes, long
  // emails).
  { name: 'brief-situations', round: 16 },
  { name: 'brief-tone', round: 16 },
  { name: 'brief-mobile', round: 16 },
  { name: 'brief-for-others', round: 16 },
  { name: 'brief-voices', round: 16 },
  { name: 'brief-chasing', round: 16 },
  { name: 'brief-lookalikes', round: 16 },
  { name: 'brief-stakes', round: 16 },
  { name: 'brief-long', round: 16 },
  // Round 19: two more briefs of 360 lines, on the border of frustrated (mild, indirect, weary wording against calm
  // look-alikes) and of urgent (near dates and situations against time words that are not haste).
  { name: 'brief-annoyance', round: 19 },
  { name: 'brief-timing', round: 19 },
  // Round 20: 360 lines on whose voice a marker is (pasted, forwarded or quoted words of others, chat bursts), after
  // 2026-12-x's frustrated missed its target on false alarms: any quotation weighed as anger (scare quotes).
  { name: 'brief-pasted', round: 20 },
  // Round 21: 720 lines on frustration in ordinary first messages (plain blame, judgement, fed-up statements against the
  // same problems stated as facts) and in the registers of different people (retirees, teenagers, learners).
  { name: 'brief-plain-anger', round: 21 },
  { name: 'brief-personas', round: 21 },
  // Round 22: 720 lines on frustration without the obvious words (passive-aggressive politeness, understatement, counted
  // contacts against genuine politeness) and in many writers' voices (teenagers, retirees, learners, voice-to-text).
  { name: 'brief-understated', round: 22 },
  { name: 'brief-voices2', round: 22 },
];

/**
 * Round 15: the development sets with intent labels are trained on. They are 7,447 messages written by people
 * (helpers) other than the template writer, each labelled by POLICY.md: the wording templates never reach. Measured
 * leave-one-set-out on 2026-12-k, the one former held-out set no template was written from: 0.905 → 0.950, 0.960 once
 * l, n and o joined (`npm run eval:cross`, docs/classifier.md round 15). Held-out sets (`data/heldout/`) are never
 * listed here. The marker-only sets (`markers-*`) stay out: their intent labels were not reviewed.
 */
export const DEV_TRAINING_SETS: readonly string[] = [
  'own',
  'realistic',
  'realistic-fresh',
  'realistic-round3',
  'round6-validation',
  'round6-check',
  'round8-validation',
  'round9-validation',
  'round10-validation',
  'round11-validation',
  'round13-validation',
  'round14-validation',
  // Held out: 2026-12-m and -t (classifier/data/heldout/). q, r and s are trained on since their errors were read.
  ...'abcdefghijklnopqrs'.split('').map((letter) => `2026-12-${letter}`),
  ...BRIEF_SETS.map(({ name }) => name),
];

/** Weight of a development-set line: as an own corpus line (3, 6 and 12 measured within 0.3 points on 2026-12-k). */
export const DEV_WEIGHT = 6;

/**
 * A development line that is a keyboard mash ("sdfsdf sdf", "asdfgh sorry wrong window"): trained as `other` but kept
 * out of the coverage vocabulary like the corpus's noise lines, so that "sdf" does not become a known word.
 */
function isKeyboardMash(e: { text: string; intent: Intent }): boolean {
  return e.intent === 'other' && stemsOf(e.text).some(looksLikeMash);
}

export interface TrainingSetOptions {
  /** Development sets left out, for leave-one-set-out evaluation (classifier/cross-validate.ts). */
  readonly leaveOut?: readonly string[];
}

export function buildTrainingSet(options: TrainingSetOptions = {}): {
  examples: WeightedExample[];
  counts: Record<string, number>;
  classWeights: Record<string, number>;
} {
  const own = loadOwnTrain();
  const bitext = loadBitext().train;
  const banking = loadBanking77('train');
  const leaveOut = new Set(options.leaveOut ?? []);
  const dev = DEV_TRAINING_SETS.filter((name) => !leaveOut.has(name)).flatMap((name) => loadDevSet(name));
  const raw: WeightedExample[] = [
    ...own.map((e) => ({ ...e, weight: OWN_WEIGHT })),
    ...dev.map((e) => ({ text: e.text, intent: e.intent, weight: DEV_WEIGHT, noise: isKeyboardMash(e) })),
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
    counts: {
      own: own.length,
      development: dev.length,
      bitextTrain: bitext.length,
      banking77Train: banking.length,
    },
    classWeights,
  };
}
