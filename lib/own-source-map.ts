/**
 * A Lambda's source map cut to the project's own code: every mapping into node_modules (the bundled AWS SDK,
 * Stripe, Powertools, zod: about 98% of a map's 1.1 MB) is dropped, with the sources and names only they used.
 * `NODE_OPTIONS=--enable-source-maps` reads and parses the whole map when the bundle loads; cut, the map costs 4–16
 * ms of module load (median 10) instead of 8–29 ms (median 20; module-load bench, docs/cold-start.md), and a stack
 * frame in our code still maps to its .ts file and line. A frame inside a package shows the bundle's position
 * (index.js:line:column), as without a map: each run of dropped mappings leaves one unmapped segment. Run after
 * esbuild by `scripts/own-source-map.ts` (the stack's afterBundling hook) and by scripts/lib/lambda-bundles.ts, so
 * the map measured is the map deployed. `@jridgewell/sourcemap-codec` (a dev dependency) decodes and re-encodes the mappings.
 */
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

interface RawSourceMap {
  readonly version: 3;
  readonly sources: readonly string[];
  readonly names: readonly string[];
  readonly mappings: string;
  readonly sourcesContent?: readonly (string | null)[];
  readonly [field: string]: unknown;
}

/** Whether a map source is a package's file rather than the project's (esbuild writes paths relative to the map). */
export const isPackageSource = (source: string) => /(^|\/)node_modules\//.test(source);

/** The map (JSON text) with only the segments whose source is the project's own; keeps every other field. */
export function ownCodeSourceMap(mapText: string): string {
  const map = JSON.parse(mapText) as RawSourceMap;
  if (map.version !== 3) throw new Error(`source map version ${String(map.version)}, expected 3`);
  const sourceIndex = new Map<number, number>();
  const sources: string[] = [];
  const sourcesContent: (string | null)[] = [];
  map.sources.forEach((source, i) => {
    if (isPackageSource(source)) return;
    sourceIndex.set(i, sources.length);
    sources.push(source);
    sourcesContent.push(map.sourcesContent?.[i] ?? null);
  });
  const nameIndex = new Map<number, number>();
  const names: string[] = [];
  const renamed = (i: number) => {
    let n = nameIndex.get(i);
    if (n === undefined) {
      n = names.length;
      nameIndex.set(i, n);
      names.push(map.names[i] as string);
    }
    return n;
  };
  // A dropped run becomes one unmapped segment (column only): else the own segment before it would claim its code.
  const lines = decode(map.mappings).map((line) => {
    const kept: SourceMapSegment[] = [];
    let mapped = false;
    for (const segment of line) {
      const source = segment.length === 1 ? undefined : sourceIndex.get(segment[1]);
      if (segment.length === 1 || source === undefined) {
        if (mapped) kept.push([segment[0]]);
        mapped = false;
        continue;
      }
      kept.push(
        segment.length === 5
          ? [segment[0], source, segment[2], segment[3], renamed(segment[4])]
          : [segment[0], source, segment[2], segment[3]],
      );
      mapped = true;
    }
    return kept;
  });
  return JSON.stringify({
    ...map,
    sources,
    ...(map.sourcesContent ? { sourcesContent } : {}),
    names,
    mappings: encode(lines),
  });
}
