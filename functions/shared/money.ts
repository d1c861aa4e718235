import type { MinorUnits } from './types.js';

/** "$14.99" from 1499 USD; the number of decimals comes from the currency (JPY has none). */
export function formatMoney(amount: MinorUnits, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
