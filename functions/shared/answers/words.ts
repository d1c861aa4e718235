/**
 * The customer's words for money, dates, phone numbers and order states (POLICY.md v2 "Answers from the customer's own
 * data"): one module, so the outcome messages, the agents' resolutions and the suggestions all say `Mar 15, 2026` and
 * `$14.99` the same way. Pure.
 */
import { toEpochMs } from '../instants.js';
import { formatMoney } from '../money.js';
import type { IsoInstant, MinorUnits, OrderStatus } from '../types.js';
import { utcDateInWords } from '../utc-date.js';

export { formatMoney };

/** "Mar 15, 2026": an instant as the customer's date (UTC), the one date format of POLICY. */
export function customerDate(instant: IsoInstant): string {
  return utcDateInWords(new Date(toEpochMs(instant)));
}

/** "a", "a and b", "a, b and c". */
export function listInWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** "$14.99 on Mar 1, 2026 and Feb 1, 2026" when the amounts agree, else "$14.99 on Mar 1, 2026 and $9.99 on Feb 1, 2026". */
export function chargesInWords(
  charges: readonly {
    readonly amount: MinorUnits;
    readonly currency: string;
    readonly chargedAt: IsoInstant;
  }[],
): string {
  const first = charges[0];
  if (!first) return '';
  const sameAmount = charges.every((c) => c.amount === first.amount && c.currency === first.currency);
  if (sameAmount)
    return `${formatMoney(first.amount, first.currency)} on ${listInWords(charges.map((c) => customerDate(c.chargedAt)))}`;
  return listInWords(
    charges.map((c) => `${formatMoney(c.amount, c.currency)} on ${customerDate(c.chargedAt)}`),
  );
}

/** ITU country calling codes of one and two digits; every other code has three (the codes are prefix-free). */
const ONE_DIGIT_CODES = new Set(['1', '7']);
const TWO_DIGIT_CODES = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
);

/**
 * "+1 ••• ••• 0101": an E.164 number with every digit but the last 4 masked (the country code stays, so the customer
 * recognises which of their numbers it is). Null for anything that is not E.164.
 */
export function maskedPhone(phone: string | null | undefined): string | null {
  if (!phone || !/^\+[1-9]\d{6,14}$/.test(phone)) return null;
  const digits = phone.slice(1);
  const codeLength = ONE_DIGIT_CODES.has(digits.slice(0, 1))
    ? 1
    : TWO_DIGIT_CODES.has(digits.slice(0, 2))
      ? 2
      : 3;
  const national = digits.slice(codeLength);
  const hidden = national.length - 4;
  const groups: string[] = [];
  for (let left = hidden; left > 0; left -= 3) groups.unshift('•'.repeat(Math.min(3, left)));
  return `+${digits.slice(0, codeLength)} ${[...groups, national.slice(-4)].join(' ')}`;
}

/** An order's status as a customer would say it (the date comes separately). */
export function orderStatusInWords(status: OrderStatus): string {
  switch (status) {
    case 'processing':
      return 'is being prepared and has not shipped yet';
    case 'shipped':
      return 'has shipped';
    case 'out_for_delivery':
      return 'is out for delivery';
    case 'delivered':
      return 'was delivered';
    case 'lost':
      return 'was reported lost';
  }
}

/** "in about 5 minutes" / "in about a minute". */
export function waitInWords(minutes: number): string {
  return minutes <= 1 ? 'in about a minute' : `in about ${Math.round(minutes)} minutes`;
}
