import type { IsoInstant } from './types.js';

/**
 * Instants are compared as instants, never as strings:
 * `2026-02-14T23:30:00-08:00` is after `2026-02-15T07:00:00Z`.
 */
export function toEpochMs(instant: IsoInstant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 instant: ${instant}`);
  return ms;
}

export function isAtOrAfter(a: IsoInstant, b: IsoInstant): boolean {
  return toEpochMs(a) >= toEpochMs(b);
}

export function isAfter(a: IsoInstant, b: IsoInstant): boolean {
  return toEpochMs(a) > toEpochMs(b);
}

/** The injected clock every domain decision takes; handlers pass the case's `requestedAt`. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
