/**
 * Card numbers and passwords never leave intake: they are removed before the text is stored,
 * logged or passed to the state machine (whose execution history is logged).
 */

/** 13-19 digits, optionally grouped with single spaces or dashes. */
const CARD_CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
/** The secret follows the word, so everything after it goes. */
const SECRET_WORD = /\b(pass(?:word|code|wd)|pwd)\b[\s\S]*$/i;

export const CARD_PLACEHOLDER = '[card number removed]';
export const SECRET_PLACEHOLDER = '[removed]';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function redact(text: string): { readonly text: string; readonly redacted: boolean } {
  let redacted = false;
  let result = text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return match;
    redacted = true;
    return CARD_PLACEHOLDER;
  });
  result = result.replace(SECRET_WORD, (_match, word: string) => {
    redacted = true;
    return `${word} ${SECRET_PLACEHOLDER}`;
  });
  return { text: result, redacted };
}
