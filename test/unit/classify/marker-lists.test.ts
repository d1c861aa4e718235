import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPILED_MARKERS_PATH,
  compiledMarkersJson,
  compileMarkers,
  MARKERS_DIR,
} from '../../../classifier/markers/compile.js';
import { buildMarkerLists } from '../../../functions/classify/marker-lists.js';

const yamlFiles = readdirSync(MARKERS_DIR).filter((f) => f.endsWith('.yaml'));

describe('marker phrase lists (classifier/markers/*.yaml)', () => {
  it('compile to exactly the committed classifier/model/markers.json (run `npm run markers:compile` after editing)', () => {
    expect(compiledMarkersJson()).toBe(readFileSync(COMPILED_MARKERS_PATH, 'utf8'));
  });

  it('give every category a why and keep every line under 200 characters', () => {
    expect(yamlFiles.length).toBeGreaterThanOrEqual(4);
    for (const file of yamlFiles) {
      const text = readFileSync(join(MARKERS_DIR, file), 'utf8');
      expect(text.split('\n').filter((l) => l.length > 200)).toEqual([]);
      const categories = text.match(/- category: /g)?.length ?? 0;
      const whys = text.match(/^\s+why: \S/gm)?.length ?? 0;
      expect(whys, file).toBeGreaterThanOrEqual(categories);
    }
    for (const line of readFileSync(COMPILED_MARKERS_PATH, 'utf8').split('\n'))
      expect(line.length).toBeLessThanOrEqual(200);
  });

  it('refuse a category without a why, an unknown {{fragment}} and a phrase that is not a RegExp', () => {
    const bad = (body: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'markers-'));
      writeFileSync(join(dir, 'x.yaml'), body);
      return () => compileMarkers(dir);
    };
    const list = (category: string) =>
      `lists:\n  l:\n    how: words\n    use: test\n    categories:\n${category}`;
    expect(bad(list("      - category: c\n        phrases: ['a']\n"))).toThrow(/why/);
    expect(bad(list("      - category: c\n        why: w\n        phrases: ['{{nope}}']\n"))).toThrow(/nope/);
    expect(bad(list("      - category: c\n        why: w\n        phrases: ['(unclosed']\n"))).toThrow();
  });

  it('expand fragments and match whole words only', () => {
    const lists = buildMarkerLists({
      format: 'refund-hub-markers/1',
      generated: 'test',
      lists: {
        who: { how: 'fragment', flags: '', phrases: ['agent', 'person'] },
        ask: { how: 'words', flags: '', phrases: ['talk to (?:a )?(?:{{who}})', ['spea', 'k up']] },
      },
      vocabularies: {},
    });
    expect(lists.regex('ask').test('can i talk to a person')).toBe(true);
    expect(lists.regex('ask').test('please speak up')).toBe(true);
    expect(lists.regex('ask').test('talk to a personality')).toBe(false);
    expect(() => lists.regex('missing')).toThrow(/markers:compile/);
  });
});
