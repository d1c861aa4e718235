import { describe, expect, it } from 'vitest';
import { utcDateInWords } from '../../functions/shared/utc-date.js';

const intl = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const DAY_MS = 86_400_000;

describe('utcDateInWords', () => {
  it('reads every day from 1999 to 2031 exactly as Intl en-US in UTC does', () => {
    const mismatches: string[] = [];
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2032, 0, 1); ms += DAY_MS) {
      const date = new Date(ms + 23 * 3_600_000 + 59 * 60_000);
      if (utcDateInWords(date) !== intl.format(date)) mismatches.push(date.toISOString());
    }
    expect(mismatches).toEqual([]);
    expect(utcDateInWords(new Date('2026-03-15T23:30:00-05:00'))).toBe('Mar 16, 2026');
  });

  it('gives the same words as Intl at the edges of four-digit years and beyond', () => {
    for (const iso of [
      '1000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '0999-12-31T00:00:00Z',
      '+010000-01-01T00:00:00Z',
      '-000001-06-01T00:00:00Z',
    ]) {
      const date = new Date(iso);
      expect(utcDateInWords(date), iso).toBe(intl.format(date));
    }
  });

  it('refuses an invalid date as Intl does', () => {
    expect(() => intl.format(new Date('not a date'))).toThrow(RangeError);
    expect(() => utcDateInWords(new Date('not a date'))).toThrow(RangeError);
  });
});
