/**
 * "Mar 15, 2026": a date as the customer reads it (en-US, UTC), the one date format of POLICY.md. Written by hand for
 * four-digit years, which is what `Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric',
 * timeZone: 'UTC' })` prints: building that formatter loads ICU's date data, about 20 ms of a cold start (module-load
 * bench), and the modules that format dates built it at load. Any other year, or an invalid date, goes to that
 * formatter itself (built on first such use), so every input reads, or throws, exactly as before.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

let intlFormat: Intl.DateTimeFormat | undefined;

export function utcDateInWords(date: Date): string {
  const year = date.getUTCFullYear();
  if (year >= 1000 && year <= 9999) return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${year}`;
  intlFormat ??= new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return intlFormat.format(date);
}
