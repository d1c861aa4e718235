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

/** One currency's share of a total: POLICY "Data" adds amounts only within one currency. */
export interface CurrencyTotal {
  readonly currency: string;
  readonly amount: MinorUnits;
}

/** A total over several currencies, as per-currency totals (sorted by currency, no zero entries). */
export function totalsByCurrency(
  lines: readonly { readonly currency: string; readonly amount: MinorUnits }[],
): CurrencyTotal[] {
  const totals = new Map<string, MinorUnits>();
  for (const { currency, amount } of lines) totals.set(currency, (totals.get(currency) ?? 0) + amount);
  return [...totals]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ currency, amount }));
}

/**
 * The single-currency view of per-currency totals that the case record and replay report:
 * the amount and its currency, or, for a total in more than one currency, no single amount.
 */
export function singleCurrency(totals: readonly CurrencyTotal[]): {
  amount: MinorUnits | null;
  currency: string | null;
} {
  if (totals.length === 0) return { amount: 0, currency: null };
  if (totals.length === 1) return { amount: totals[0]?.amount ?? 0, currency: totals[0]?.currency ?? null };
  return { amount: null, currency: null };
}
