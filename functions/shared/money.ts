import type { MinorUnits } from './types.js';

/** One formatter per currency: building an Intl.NumberFormat costs far more than using one. */
const formats = new Map<string, { format: Intl.NumberFormat; digits: number }>();

function currencyFormat(currency: string) {
  let entry = formats.get(currency);
  if (!entry) {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    formats.set(currency, entry);
  }
  return entry;
}

/** "$14.99" from 1499 USD; the number of decimals comes from the currency (JPY has none). */
export function formatMoney(amount: MinorUnits, currency: string): string {
  const { format, digits } = currencyFormat(currency);
  return format.format(amount / 10 ** digits);
}
