/** The returns policy numbers as the Lambdas receive them from the stack (lib/config.ts), read once at load. */
import { ENV, numberEnv } from '../shared/env.js';
import type { ReturnsConfig } from './domain.js';

export function returnsConfigFromEnv(): ReturnsConfig & { readonly labelLifeDays: number } {
  const raw = process.env[ENV.highValueThresholds];
  const thresholds = raw ? (JSON.parse(raw) as Record<string, number>) : {};
  return {
    returnWindowDays: numberEnv(ENV.returnWindowDays, 30),
    maxReturnsPer90Days: numberEnv(ENV.maxReturnsPer90Days, 5),
    labelLifeDays: numberEnv(ENV.labelLifeDays, 28),
    highValueThresholds: thresholds,
  };
}
