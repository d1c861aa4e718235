/**
 * The "Call Me Now" number: a country picker and the national number, accepted only as E.164 (what the API's
 * `e164` schema in functions/shared/schemas.ts takes: + then 7 to 15 digits, no leading 0).
 */
export const COUNTRIES = [
  { code: 'US', name: 'United States', dial: '1' },
  { code: 'CA', name: 'Canada', dial: '1' },
  { code: 'GB', name: 'United Kingdom', dial: '44' },
  { code: 'IE', name: 'Ireland', dial: '353' },
  { code: 'DE', name: 'Germany', dial: '49' },
  { code: 'FR', name: 'France', dial: '33' },
  { code: 'ES', name: 'Spain', dial: '34' },
  { code: 'IT', name: 'Italy', dial: '39' },
  { code: 'NL', name: 'Netherlands', dial: '31' },
  { code: 'AU', name: 'Australia', dial: '61' },
  { code: 'IN', name: 'India', dial: '91' },
  { code: 'JP', name: 'Japan', dial: '81' },
] as const;

export type CountryCode = (typeof COUNTRIES)[number]['code'];

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The E.164 number for what was typed, or the reason it is not one. A number typed with its own `+` keeps its
 * country code; otherwise the picked country's is put in front and a national trunk 0 is dropped ("020 7946 0018").
 */
export function toE164(
  country: CountryCode,
  typed: string,
): { ok: true; number: string } | { ok: false; error: string } {
  const compact = typed.replace(/[\s().-]/g, '');
  if (compact === '') return { ok: false, error: 'Enter your phone number.' };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, error: 'Use digits only (spaces and dashes are fine).' };
  const dial = COUNTRIES.find((c) => c.code === country)?.dial ?? '1';
  const number = compact.startsWith('+') ? compact : `+${dial}${compact.replace(/^0/, '')}`;
  if (!E164.test(number))
    return {
      ok: false,
      error: `${number} is not a full phone number: it needs 7 to 15 digits with the country code.`,
    };
  if (!compact.startsWith('+') && dial === '1' && number.length !== 12)
    return { ok: false, error: 'A US or Canadian number has 10 digits, like 206 555 0100.' };
  return { ok: true, number };
}
