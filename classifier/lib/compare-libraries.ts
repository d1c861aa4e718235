/**
 * `npm run eval:libraries`: the two library classifiers compared for issue #4, trained on the same
 * training set and scored on the same held-out sets as `eval:intents`.
 * - NLP.js: @nlpjs/neural NeuralNetwork over @nlpjs/lang-en-min stems (NLP.js's own NLU recipe)
 * - wink: wink-naive-bayes-text-classifier over wink-nlp tokens (lemma-free, stop words kept)
 * The verdict and the numbers are in docs/classifier.md.
 */
import { createRequire } from 'node:module';
import { NormalizerEn, StemmerEn, TokenizerEn } from '@nlpjs/lang-en-min';
import type { Intent } from '../../functions/shared/types.js';
import { type Example, loadBanking77, loadBitext, loadDevSet } from './datasets.js';
import { buildTrainingSet } from './training-set.js';

const require = createRequire(import.meta.url);

interface Candidate {
  readonly name: string;
  train(examples: readonly Example[]): void;
  predict(text: string): Intent;
  modelBytes(): number;
}

function nlpjs(): Candidate {
  const { NeuralNetwork } = require('@nlpjs/neural') as {
    NeuralNetwork: new (
      settings: object,
    ) => { train(c: object[]): void; run(i: object): Record<string, number>; toJSON(): object };
  };
  const normalizer = new NormalizerEn();
  const tokenizer = new TokenizerEn();
  const stemmer = new StemmerEn();
  const features = (text: string) => {
    const out: Record<string, number> = {};
    for (const t of tokenizer.tokenize(normalizer.normalize(text))) out[stemmer.stemWord(t)] = 1;
    return out;
  };
  const net = new NeuralNetwork({ log: false });
  return {
    name: 'NLP.js NeuralNetwork (@nlpjs/neural + lang-en-min stems)',
    train(examples) {
      net.train(examples.map((e) => ({ input: features(e.text), output: { [e.intent]: 1 } })));
    },
    predict(text) {
      const scores = net.run(features(text)) ?? {};
      let best: Intent = 'other';
      let top = Number.NEGATIVE_INFINITY;
      for (const [k, v] of Object.entries(scores))
        if (v > top) {
          top = v;
          best = k as Intent;
        }
      return best;
    },
    modelBytes: () => JSON.stringify(net.toJSON()).length,
  };
}

function wink(): Candidate {
  const winkNLP = require('wink-nlp') as (model: unknown) => {
    readDoc(t: string): { tokens(): { out(f?: unknown): string[] } };
    its: { normal: unknown; type: unknown };
  };
  const model = require('wink-eng-lite-web-model');
  const nlp = winkNLP(model);
  const its = nlp.its;
  const Classifier = require('wink-naive-bayes-text-classifier') as () => {
    definePrepTasks(t: ((x: string) => string[])[]): void;
    defineConfig(c: object): void;
    learn(text: string, label: string): void;
    consolidate(): void;
    predict(text: string): string;
    exportJSON(): string;
  };
  const nb = Classifier();
  nb.definePrepTasks([
    (text: string) =>
      nlp
        .readDoc(text)
        .tokens()
        .out(its.normal)
        .filter((t) => /\w/.test(t)),
  ]);
  nb.defineConfig({ considerOnlyPresence: true, smoothingFactor: 0.5 });
  return {
    name: 'wink (wink-naive-bayes-text-classifier + wink-nlp tokens)',
    train(examples) {
      for (const e of examples) nb.learn(e.text, e.intent);
      nb.consolidate();
    },
    predict: (text) =>
      ((nlp.readDoc(text).tokens().out().length ? nb.predict(text) : 'other') || 'other') as Intent,
    modelBytes: () => nb.exportJSON().length,
  };
}

const { examples } = buildTrainingSet();
const sets: [string, readonly Example[]][] = [
  ['Bitext held-out', loadBitext().heldout],
  ['BANKING77 test', loadBanking77('test')],
  ['development: own', loadDevSet('own')],
];
console.log(
  '| library | Bitext held-out | BANKING77 test | own held-out | ms/message | model JSON bytes | train s |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const make of [nlpjs, wink]) {
  const c = make();
  const t0 = performance.now();
  c.train(examples);
  const trainS = (performance.now() - t0) / 1000;
  const accs: string[] = [];
  let n = 0;
  const t1 = performance.now();
  for (const [, rows] of sets) {
    let ok = 0;
    for (const r of rows) if (c.predict(r.text) === r.intent) ok += 1;
    n += rows.length;
    accs.push((ok / rows.length).toFixed(3));
  }
  const ms = (performance.now() - t1) / n;
  console.log(
    `| ${c.name} | ${accs.join(' | ')} | ${ms.toFixed(3)} | ${c.modelBytes()} | ${trainS.toFixed(1)} |`,
  );
}
