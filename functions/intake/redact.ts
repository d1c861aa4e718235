/**
 * Card numbers and passwords never leave intake: they are removed before the text is stored,
 * logged or passed to the state machine (whose execution history is logged).
 */

/** A run of digit groups separated by single spaces or dashes ("4111 1111 1111 1111 123"). */
const DIGIT_RUN = /(?<!\d)\d+(?:[ -]\d+)*(?!\d)/g;
/** The secret follows the word, so everything after it goes. */
const SECRET_WORD = /\b(pass(?:words?|codes?|wds?)|pwd|pin)\b[\s\S]*$/i;

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

/**
 * A card number at the start of a run of digit groups: the longest run of whole leading groups
 * holding 13-19 digits that passes Luhn, so a CVV or expiry typed after it does not hide it.
 * Only leading groups, so an order number such as 113-4567890-1234567 is not cut into a "card".
 */
function redactCards(run: string): string {
  const parts = run.split(/([ -])/);
  let digits = '';
  let cardParts = 0;
  for (let i = 0; i < parts.length; i += 2) {
    digits += parts[i];
    if (digits.length > 19) break;
    if (digits.length >= 13 && luhnValid(digits)) cardParts = i + 1;
  }
  if (cardParts === 0) return run;
  return CARD_PLACEHOLDER + parts.slice(cardParts).join('');
}

export function redact(text: string): { readonly text: string; readonly redacted: boolean } {
  let result = text.replace(DIGIT_RUN, redactCards);
  result = result.replace(SECRET_WORD, (_match, word: string) => `${word} ${SECRET_PLACEHOLDER}`);
  return { text: result, redacted: result !== text };
}
