/**
 * `npm run markers:compile`: classifier/markers/*.yaml (phrase lists people review, every category
 * with a `why`) → classifier/model/markers.json (generated; the Lambda imports it, so it needs no
 * YAML parser at run time). Checks as it goes: every category has a why and phrases, every
 * `{{name}}` refers to a fragment list, every list compiles to a RegExp. `--check` exits non-zero
 * when the committed JSON differs from a fresh compile. Deterministic: same YAML, same bytes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  buildMarkerLists,
  type CompiledMarkers,
  type ListHow,
  type Phrase,
} from '../../functions/classify/marker-lists.js';

export const MARKERS_DIR = fileURLToPath(new URL('.', import.meta.url));
export const COMPILED_MARKERS_PATH = fileURLToPath(new URL('../model/markers.json', import.meta.url));
const HOWS: readonly ListHow[] = ['words', 'patterns', 'each', 'fragment'];

interface YamlCategory {
  readonly category?: unknown;
  readonly why?: unknown;
  readonly phrases?: unknown;
}

function fail(file: string, where: string, problem: string): never {
  throw new Error(`${file}: ${where}: ${problem}`);
}

function phraseOf(file: string, where: string, value: unknown): Phrase {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'string' && p !== ''))
    return value as string[];
  return fail(file, where, 'a phrase is a non-empty string or a list of pieces joined without spaces');
}

function stringList(file: string, where: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((w) => typeof w === 'string' && w !== ''))
    return fail(file, where, 'expected a non-empty list of words');
  return value as string[];
}

function nonEmptyText(file: string, where: string, value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') fail(file, where, `needs a ${field}`);
}

export function compileMarkers(dir = MARKERS_DIR): CompiledMarkers {
  const lists: Record<string, CompiledMarkers['lists'][string]> = {};
  const vocabularies: Record<string, readonly string[] | Readonly<Record<string, string>>> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const doc = parse(readFileSync(join(dir, file), 'utf8')) as {
      lists?: Record<string, { how?: unknown; flags?: unknown; use?: unknown; categories?: unknown }>;
      vocabularies?: Record<string, { why?: unknown; words?: unknown; map?: unknown }>;
    };
    for (const [name, list] of Object.entries(doc.lists ?? {})) {
      if (name in lists) fail(file, name, 'list defined twice');
      if (!HOWS.includes(list.how as ListHow)) fail(file, name, `how must be one of ${HOWS.join(', ')}`);
      nonEmptyText(file, name, list.use, 'use (how the engine reads the list)');
      const flags = list.flags === undefined ? '' : String(list.flags);
      if (!/^[giu]*$/.test(flags)) fail(file, name, 'flags may only be g, i, u');
      if (!Array.isArray(list.categories) || list.categories.length === 0)
        fail(file, name, 'needs categories');
      const phrases: Phrase[] = [];
      const seen = new Set<string>();
      for (const [i, category] of (list.categories as YamlCategory[]).entries()) {
        const where = `${name}.categories[${i}]`;
        nonEmptyText(file, where, category.category, 'category name');
        nonEmptyText(file, `${where} (${String(category.category)})`, category.why, 'why');
        if (!Array.isArray(category.phrases) || category.phrases.length === 0)
          fail(file, where, 'needs phrases');
        for (const value of category.phrases) {
          const phrase = phraseOf(file, where, value);
          const joined = typeof phrase === 'string' ? phrase : phrase.join('');
          if (seen.has(joined)) fail(file, where, `phrase listed twice: ${joined}`);
          seen.add(joined);
          phrases.push(phrase);
        }
      }
      lists[name] = { how: list.how as ListHow, flags, phrases };
    }
    for (const [name, vocabulary] of Object.entries(doc.vocabularies ?? {})) {
      nonEmptyText(file, name, vocabulary.why, 'why');
      if (vocabulary.map !== undefined) {
        const map = vocabulary.map as Record<string, unknown>;
        if (!Object.values(map).every((v) => typeof v === 'string'))
          fail(file, name, 'map values must be text');
        vocabularies[name] = map as Record<string, string>;
      } else vocabularies[name] = stringList(file, name, vocabulary.words);
    }
  }
  const compiled: CompiledMarkers = {
    format: 'refund-hub-markers/1',
    generated: 'by `npm run markers:compile` from classifier/markers/*.yaml: do not edit',
    lists,
    vocabularies,
  };
  buildMarkerLists(compiled); // throws on an unknown {{name}} or a phrase that is not a valid RegExp
  return compiled;
}

export function compiledMarkersJson(dir = MARKERS_DIR): string {
  return `${JSON.stringify(compileMarkers(dir), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = compiledMarkersJson();
  if (process.argv.includes('--check')) {
    if (readFileSync(COMPILED_MARKERS_PATH, 'utf8') !== json) {
      console.error('classifier/model/markers.json is stale: run `npm run markers:compile`');
      process.exit(1);
    }
    console.log('classifier/model/markers.json matches the YAML');
  } else {
    writeFileSync(COMPILED_MARKERS_PATH, json);
    console.log(`wrote ${COMPILED_MARKERS_PATH} (${json.length} bytes)`);
  }
}
