/**
 * Turns the compiled marker lists (classifier/model/markers.json, generated from the reviewed
 * YAML in classifier/markers/) into RegExps, once at module load. Pure: no I/O.
 * - `words`: `\b(?:phrase|phrase…)\b`, one RegExp for the list
 * - `patterns`: `(?:pattern|pattern…)`, each phrase a full pattern with its own boundaries
 * - `each`: one RegExp per phrase (requests for a person are tested and negated one by one)
 * - `fragment`: not a matcher; `{{name}}` in any phrase inserts `phrase|phrase…`
 */

export type ListHow = 'words' | 'patterns' | 'each' | 'fragment';
/** A phrase, or a long phrase split into pieces that are joined without spaces. */
export type Phrase = string | readonly string[];

export interface CompiledMarkers {
  readonly format: 'refund-hub-markers/1';
  readonly generated: string;
  readonly lists: Readonly<
    Record<string, { readonly how: ListHow; readonly flags: string; readonly phrases: readonly Phrase[] }>
  >;
  readonly vocabularies: Readonly<Record<string, readonly string[] | Readonly<Record<string, string>>>>;
}

export interface MarkerLists {
  /** The one RegExp of a `words` or `patterns` list. */
  regex(name: string): RegExp;
  /** The RegExps of an `each` list, in order. */
  each(name: string): readonly RegExp[];
  words(name: string): readonly string[];
  map(name: string): Readonly<Record<string, string>>;
}

const MACRO = /\{\{(\w+)\}\}/g;

export function buildMarkerLists(compiled: CompiledMarkers): MarkerLists {
  const expanding = new Set<string>();
  const expand = (phrase: Phrase): string =>
    (typeof phrase === 'string' ? phrase : phrase.join('')).replace(MACRO, (_, name: string) => {
      const list = compiled.lists[name];
      if (list?.how !== 'fragment')
        throw new Error(`marker phrase uses {{${name}}}, which is no fragment list`);
      if (expanding.has(name)) throw new Error(`marker fragment {{${name}}} refers to itself`);
      expanding.add(name);
      const text = list.phrases.map(expand).join('|');
      expanding.delete(name);
      return text;
    });
  const single = new Map<string, RegExp>();
  const multiple = new Map<string, RegExp[]>();
  for (const [name, list] of Object.entries(compiled.lists)) {
    const sources = list.phrases.map(expand);
    if (list.how === 'words') single.set(name, new RegExp(`\\b(?:${sources.join('|')})\\b`, list.flags));
    else if (list.how === 'patterns') single.set(name, new RegExp(`(?:${sources.join('|')})`, list.flags));
    else if (list.how === 'each')
      multiple.set(
        name,
        sources.map((s) => new RegExp(s, list.flags)),
      );
    else new RegExp(`(?:${sources.join('|')})`, list.flags); // a fragment must be valid on its own
  }
  const missing = (kind: string, name: string): never => {
    throw new Error(`marker list ${name} (${kind}) is not in markers.json: run npm run markers:compile`);
  };
  return {
    regex: (name) => single.get(name) ?? missing('words/patterns', name),
    each: (name) => multiple.get(name) ?? missing('each', name),
    words: (name) => {
      const v = compiled.vocabularies[name];
      return Array.isArray(v) ? (v as readonly string[]) : missing('word vocabulary', name);
    },
    map: (name) => {
      const v = compiled.vocabularies[name];
      return v && !Array.isArray(v)
        ? (v as Readonly<Record<string, string>>)
        : missing('map vocabulary', name);
    },
  };
}
