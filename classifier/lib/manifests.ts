/**
 * The held-out manifest (classifier/data/heldout/manifest.json) and the first figures of former held-out sets
 * (classifier/data/dev/past-first-evaluations.json): one entry per set, its first evaluation kept as written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_DIR, HELDOUT_DIR } from './datasets.js';

export const MARKER_NAMES = ['frustrated', 'urgent', 'humanRequested'] as const;

export const HELDOUT_MANIFEST = join(HELDOUT_DIR, 'manifest.json');
/** Where the first held-out evaluation of a set that is now a development set is kept (history). */
export const PAST_FIRST_EVALUATIONS = join(DEV_DIR, 'past-first-evaluations.json');

export interface Evaluation {
  readonly commit: string;
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly markerF1: Readonly<Record<(typeof MARKER_NAMES)[number], number>>;
  readonly wrongConfident?: number;
}

export interface ManifestEntry {
  readonly file: string;
  readonly writtenBy: string;
  readonly committedAt: string | null;
  readonly firstEvaluation: Evaluation | null;
}

export function readManifest(path = HELDOUT_MANIFEST): ManifestEntry[] {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ManifestEntry[]) : [];
}
