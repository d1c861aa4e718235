/**
 * classifyMessage: the bundled intent model plus the marker rules. Pure: no AWS, no environment,
 * no network; the model is a JSON artifact that esbuild bundles into the Lambda.
 */

import artifact from '../../classifier/model/intent.model.json' with { type: 'json' };
import type { Classification, Intent } from '../shared/types.js';
import { loadModel, type ModelArtifact, score } from './linear-model.js';
import { detectMarkers } from './markers.js';

const model = loadModel(artifact as ModelArtifact);

/**
 * Words the model never saw in training pull confidence down: a message that is half
 * gibberish keeps at most ~70% of its probability, pure gibberish drops to 0.
 */
function coverageFactor(coverage: number): number {
  return Math.min(1, 0.4 + 0.6 * coverage);
}

export function predictIntent(text: string): { intent: Intent; confidence: number } {
  const { probabilities, coverage, words } = score(model, text);
  if (words === 0 || coverage === 0) return { intent: 'other', confidence: 0 };
  let best = 0;
  for (let i = 1; i < probabilities.length; i += 1) {
    if ((probabilities[i] as number) > (probabilities[best] as number)) best = i;
  }
  const confidence = (probabilities[best] as number) * coverageFactor(coverage);
  return { intent: model.intents[best] as Intent, confidence: Math.round(confidence * 1000) / 1000 };
}

export function classifyMessage(text: string): Classification {
  const { intent, confidence } = predictIntent(text);
  const markers = detectMarkers(text);
  return {
    intent,
    confidence,
    frustrated: markers.frustrated,
    urgent: markers.urgent,
    humanRequested: markers.humanRequested,
  };
}
