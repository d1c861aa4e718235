/** Payment card numbers as POLICY.md "Redaction" defines them: 13-19 digits that pass Luhn. Pure. */

const DECIMAL_DIGIT = /\p{Nd}/u;
const digitValues = new Map<number, number>();

/**
 * The value (0-9) of any Unicode decimal digit (\p{Nd}): ASCII, full-width, Arabic-Indic, Devanagari...
 * Unicode keeps each script's digits as contiguous blocks of ten starting at zero, so the value is
 * the distance from the start of the block (found once per code point, then cached).
 */
export function digitValue(codePoint: number): number {
  if (codePoint >= 0x30 && codePoint <= 0x39) return codePoint - 0x30;
  const known = digitValues.get(codePoint);
  if (known !== undefined) return known;
  let blockStart = codePoint;
  while (blockStart > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(blockStart - 1))) blockStart--;
  const value = (codePoint - blockStart) % 10;
  digitValues.set(codePoint, value);
  return value;
}

/** The ASCII digits of a string of Unicode decimal digits ("４１１１" -> "4111"). */
const ASCII_DIGITS = /^[0-9]*$/;

export function asciiDigits(digits: string): string {
  if (ASCII_DIGITS.test(digits)) return digits;
  let ascii = '';
  for (const char of digits) ascii += String(digitValue(char.codePointAt(0) ?? 0x30));
  return ascii;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 0x30;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export const CARD_MIN_DIGITS = 13;
export const CARD_MAX_DIGITS = 19;

/**
 * ASCII digits that could be a card number: 13-19 of them, Luhn-valid, and not starting with 0
 * (no card issuer uses major industry identifier 0, and "0000000000000" passes Luhn).
 */
export function isCardNumber(digits: string): boolean {
  return (
    digits.length >= CARD_MIN_DIGITS &&
    digits.length <= CARD_MAX_DIGITS &&
    digits[0] !== '0' &&
    luhnValid(digits)
  );
}
