/** Reading Stripe params (with Stripe's messages for bad ones) and Stripe's list pages. */
import { invalid, missing } from './errors.js';
import type { FormParams, FormValue } from './form.js';
import type { Metadata } from './objects.js';

export const clone = <T>(value: T): T => structuredClone(value);

// ---- param readers: Stripe's messages for bad params ----

export function str(params: FormParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw invalid(`Invalid string: ${name} must be a string`, 'parameter_invalid_string', name);
  return value;
}

export function int(params: FormParams, name: string): number | undefined {
  const value = str(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw invalid(`Invalid integer: ${value}`, 'parameter_invalid_integer', name);
  return Number(value);
}

export function positiveInt(params: FormParams, name: string): number | undefined {
  const value = int(params, name);
  if (value !== undefined && value <= 0)
    throw invalid('This value must be greater than or equal to 1.', 'parameter_invalid_integer', name);
  return value;
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw invalid(`Missing required param: ${name}.`, 'parameter_missing', name);
  return value;
}

export function currencyParam(params: FormParams): string {
  const value = required(str(params, 'currency'), 'currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(value))
    throw invalid(`Invalid currency: ${value}.`, 'parameter_invalid_string', 'currency');
  return value;
}

/** Stripe's metadata update: keys merge, an empty value unsets a key, `metadata=` (empty) clears all. */
export function mergeMetadata(current: Metadata, value: FormValue | undefined): Metadata {
  if (value === undefined) return current;
  if (value === '') return {};
  if (typeof value === 'string' || Array.isArray(value))
    throw invalid('Invalid hash', 'parameter_invalid_string', 'metadata');
  const next = { ...current };
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid('Invalid hash', 'parameter_invalid_string', `metadata[${key}]`);
    if (v === '') delete next[key];
    else next[key] = v;
  }
  return next;
}

/** Stripe refuses a parameter an endpoint does not take (`parameter_unknown`), which catches a misspelt one. */
export function allowOnly(params: FormParams, allowed: readonly string[]): void {
  for (const key of Object.keys(params))
    if (key !== 'expand' && !allowed.includes(key))
      throw invalid(`Received unknown parameter: ${key}`, 'parameter_unknown', key);
}

export function expandList(params: FormParams): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** Newest first (by `created`, then by creation order), `limit` 1..100 (10), `starting_after` / `ending_before` cursors. */
export function listPage<T extends { id: string; created: number }>(
  items: readonly T[],
  params: FormParams,
  url: string,
): ListPage<T> {
  const limit = int(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100)
    throw invalid('This value must be between 1 and 100.', 'parameter_invalid_integer', 'limit');
  const sorted = [...items].reverse().sort((a, b) => b.created - a.created);
  const after = str(params, 'starting_after');
  const before = str(params, 'ending_before');
  let data: T[];
  let hasMore: boolean;
  if (before !== undefined) {
    const index = sorted.findIndex((item) => item.id === before);
    if (index < 0) throw missing('object', before, 'ending_before');
    const start = Math.max(0, index - limit);
    data = sorted.slice(start, index);
    hasMore = start > 0;
  } else {
    let start = 0;
    if (after !== undefined) {
      const index = sorted.findIndex((item) => item.id === after);
      if (index < 0) throw missing('object', after, 'starting_after');
      start = index + 1;
    }
    data = sorted.slice(start, start + limit);
    hasMore = start + limit < sorted.length;
  }
  return { object: 'list', data: data.map(clone), has_more: hasMore, url };
}
