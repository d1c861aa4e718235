/**
 * Card numbers, card security codes and secrets never leave intake (POLICY.md "Redaction"): they are
 * removed before the text is stored, logged, classified or passed to the state machine (whose
 * execution history is logged). Only the secret goes; the rest of the message stays, so the request
 * routes as the customer wrote it.
 *
 * Card numbers. A digit run is digit groups (any Unicode decimal digit, \p{Nd}) joined by separators
 * of 1-4 characters: whitespace of any kind (tab, no-break and other Unicode spaces, a line break),
 * dashes (hyphen, en/em dash, minus), dots, slashes, invisible format characters (zero-width space).
 * Every window of whole groups of the run with 13-19 digits that passes Luhn and does not start
 * with 0 is a card number, so one typed after another number ("Order 12345 4965 3175 ...") or
 * touching letters ("card4111...") is found; overlapping windows are removed as one.
 * Never part of a card, whatever their windows: a USPS tracking number (the whole run is 20 or 22
 * digits starting with 9, in one piece or in fours, with a right USPS mod-10 check digit), an order
 * number 3-7-7 with hyphens ("113-4567890-1234567") and a date ("2026-03-15 2026-03-14" is two).
 *
 * Card security codes: the 3-4 digits after "cvv", "cvv2", "cvc", "cvc2", "csc", "security code".
 *
 * Secrets: the token after "password", "passcode", "passphrase", "passwd", "pwd", "pw", "pin",
 * spaced, hyphenated, capitalised or obfuscated ("pass word", "pass-word", "p@ssword", "pa$$word",
 * "passw0rd"), plural (but not "pins"), optionally with "number"/"code" ("PIN number is 1234").
 * Which token is the secret (after ":", "=" or "is" it may be on the next line):
 * - after ":", "=" or "#" (also "is:"): always;
 * - after "is", "are", "was", "were": unless it is a word that describes the secret rather than is
 *   it ("not", "wrong", "expired", "the", and any plain word of 5+ letters ending in -ed/-ing);
 * - right after the word, or after a dash: only a token that is not a plain word (it holds a digit
 *   or a symbol, or mixed case like "hUnter"), so "password reset link", "pin yesterday" stay;
 * - glued to the word ("passcode90817"): when it starts with a digit ("passwords", "pin-protected" stay);
 * - "pw" (also a product name) only after ":", "=", "#" or "is";
 * - "is", ":" or "=" may follow a short qualifier ("my password for the app is hunter2"); there
 *   ":" and "=" count as "is".
 * A token is the next run of non-spaces less its sentence punctuation ("9876." loses "9876"); a
 * numeric secret takes its spaced digit groups ("1 2 3 4"); a quoted secret goes to its closing
 * quote; a passphrase after ":", "=" or "is" goes to the end of its clause (, ; . ! ? or line end).
 *
 * Every pattern is linear: digit runs use disjoint character classes with bounded separators, and
 * what follows a keyword is read by sticky patterns that never backtrack into each other.
 */
import { asciiDigits, CARD_MAX_DIGITS, CARD_MIN_DIGITS, isCardNumber } from '../shared/card-number.js';

export { luhnValid } from '../shared/card-number.js';

export const CARD_PLACEHOLDER = '[card number removed]';
export const SECRET_PLACEHOLDER = '[removed]';

export interface Redaction {
  readonly text: string;
  readonly redacted: boolean;
}

export function redact(text: string): Redaction {
  const result = redactCardNumbers(redactSecrets(text));
  return { text: result, redacted: result !== text };
}

// ---- Card numbers ----

const SEPARATOR = String.raw`[\s\p{Pd}\p{Cf}\u2212.\u00b7\u2024\u2027\u2219\u30fb\uff0e\uff61/\u2044\u2215\uff0f\\]`;
const DIGIT_RUN = new RegExp(String.raw`\p{Nd}+(?:${SEPARATOR}{1,4}\p{Nd}+)*`, 'gu');
const DIGIT_GROUP = /\p{Nd}+/gu;
const LINE_BREAK = /[\n\r\v\f\u2028\u2029\u0085]/u;

interface DigitGroup {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

/** USPS Intelligent Mail package barcode check digit: weights 3,1,3,... from the right. */
function uspsCheckValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight)
    sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** A USPS tracking number as printed: 20 or 22 digits starting with 9, in one piece or in fours. */
function isUspsTracking(groups: readonly DigitGroup[]): boolean {
  const digits = groups.map((g) => g.digits).join('');
  if ((digits.length !== 20 && digits.length !== 22) || digits[0] !== '9' || !uspsCheckValid(digits))
    return false;
  return groups.length === 1 || groups.every((g, i) => g.digits.length === (i < 5 ? 4 : 2));
}

const DATE_SEPARATOR = /^[-/.]$/;
const inRange = (digits: string, min: number, max: number) => Number(digits) >= min && Number(digits) <= max;

/** 2026-03-15, 03/15/2026, 15.03.2026: a year 1900-2099 with a month and a day, one separator. */
function isDate(a: string, b: string, c: string): boolean {
  if (a.length === 4)
    return inRange(a, 1900, 2099) && inRange(b, 1, 12) && inRange(c, 1, 31) && b.length <= 2 && c.length <= 2;
  if (c.length !== 4 || !inRange(c, 1900, 2099) || a.length > 2 || b.length > 2) return false;
  return (inRange(a, 1, 12) && inRange(b, 1, 31)) || (inRange(a, 1, 31) && inRange(b, 1, 12));
}

/**
 * Groups that are never part of a card: a whole USPS tracking number, an order number 3-7-7 with
 * hyphens, a date. Only the first can hide a card, and only one written as 20-22 digits from a 9.
 */
function protectedGroups(groups: readonly DigitGroup[], separators: readonly string[]): boolean[] {
  if (isUspsTracking(groups)) return groups.map(() => true);
  const kept = groups.map(() => false);
  for (let i = 0; i + 2 < groups.length; i++) {
    const [a, b, c] = [groups[i]?.digits ?? '', groups[i + 1]?.digits ?? '', groups[i + 2]?.digits ?? ''];
    const orderShape = a.length === 3 && b.length === 7 && c.length === 7;
    const dateShape =
      (a.length === 4 && b.length <= 2 && c.length <= 2) ||
      (a.length <= 2 && b.length <= 2 && c.length === 4);
    if (!orderShape && !dateShape) continue;
    const separator = separators[i]?.trim() ?? '';
    if (separator !== separators[i + 1]?.trim() || !DATE_SEPARATOR.test(separator)) continue;
    if ((orderShape && separator === '-') || (dateShape && isDate(a, b, c))) kept.fill(true, i, i + 3);
  }
  return kept;
}

/** [first, last] group indexes of each card number in the run, overlapping windows merged. */
function cardWindows(groups: readonly DigitGroup[], kept: readonly boolean[]) {
  const windows: [number, number][] = [];
  for (let first = 0; first < groups.length; first++) {
    let digits = '';
    let last = -1;
    for (let end = first; end < groups.length && !kept[end]; end++) {
      digits += groups[end]?.digits ?? '';
      if (digits.length > CARD_MAX_DIGITS) break;
      if (isCardNumber(digits)) last = end;
    }
    if (last < 0) continue;
    const previous = windows[windows.length - 1];
    if (previous && first <= previous[1]) previous[1] = Math.max(previous[1], last);
    else windows.push([first, last]);
  }
  return windows;
}

function redactRun(run: string): string {
  if (run.length < CARD_MIN_DIGITS) return run;
  const groups: DigitGroup[] = [];
  for (const match of run.matchAll(DIGIT_GROUP)) {
    groups.push({ start: match.index, end: match.index + match[0].length, digits: asciiDigits(match[0]) });
  }
  const separators = groups.slice(1).map((group, i) => run.slice(groups[i]?.end, group.start));
  const windows = cardWindows(groups, protectedGroups(groups, separators));
  if (windows.length === 0) return run;
  let result = '';
  let cursor = 0;
  for (const [first, last] of windows) {
    result += run.slice(cursor, groups[first]?.start) + CARD_PLACEHOLDER;
    cursor = groups[last]?.end ?? run.length;
  }
  return result + run.slice(cursor);
}

/** The text with every card number replaced (also used on fields that must not hold one). */
export function redactCardNumbers(text: string): string {
  return text.replace(DIGIT_RUN, redactRun);
}

// ---- Card security codes and secrets ----

const KEYWORD = new RegExp(
  [
    String.raw`(?<!\p{L})(?:`,
    String.raw`(?<phrase>p[a@4][s$5][s$5][ \t_.\-]?phrases?)`,
    String.raw`|(?<word>p[a@4][s$5][s$5][ \t_.\-]?(?:w[o0]rd|c[o0]de)s?|p[a@4][s$5][s$5]wd|p[s$5]?wd|pin)`,
    '|(?<short>pw)',
    String.raw`|(?<cvv>cvv2?|cvc2?|csc|security[ \t]+code)`,
    String.raw`)(?!\p{L})`,
  ].join(''),
  'giu',
);
const GAP = /[\p{Zs}\t]*/uy;

const escaped = (literal: string) => literal.replace(/[[\]]/g, String.raw`\$&`);
/**
 * A placeholder this module wrote, with the keyword that named the secret ("password is [removed]", "cvv: [removed]",
 * "[card number removed]"): what the classifier drops from its features, since a pasted secret is not the topic.
 */
export const REDACTED_SECRET = new RegExp(
  String.raw`(?:(?:my\s+)?${KEYWORD.source}\s*(?:is|are|was|were|[:=])?\s*)?` +
    `(?:${escaped(SECRET_PLACEHOLDER)}|${escaped(CARD_PLACEHOLDER)})`,
  'giu',
);
/** After ":", "=" or "is" the secret may be on the next line ("Password:\nhunter2"). */
const GAP_TO_NEXT_LINE = /[\p{Zs}\t]*(?:\r?\n[\p{Zs}\t]*)?/uy;
const FILLER = /(?:numbers?|code|no\.?|num)(?![\p{L}\p{N}])/iuy;
const CONNECTOR =
  /(?:(?<verb>is|are|was|were)(?![\p{L}\p{N}])[\p{Zs}\t]*(?<verbAssign>[:=#])?|(?<assign>[:=#])|(?<dash>[-\u2013\u2014]))/iuy;
/** Up to three words after "for"/"on"/"of"/"at"/"with"/"to", only when "is", ":" or "=" follows them. */
const QUALIFIER =
  /(?:for|on|of|at|with|to)(?:[\p{Zs}\t]+[\p{L}\p{N}'\u2019.-]+){1,3}?[\p{Zs}\t]*(?=(?:is|are|was|were)(?![\p{L}\p{N}])|[:=])/iuy;
const SECURITY_CODE = /\p{Nd}{3,4}(?!\p{Nd})/uy;
const NUMERIC_SECRET = /\p{Nd}+(?:[ -]\p{Nd}+){0,7}(?![\p{L}\p{N}])/uy;
const TOKEN = /\S+/uy;
const PHRASE = /[^,;.!?\n\r]+/uy;
const STARTS_WITH_DIGIT = /^\p{Nd}/u;
const PLAIN_WORD = /^\p{L}+(?:['\u2019-]\p{L}+)*$/u;
const MIXED_CASE = /\p{Ll}\p{Lu}/u;
const SENTENCE_PUNCTUATION = new Set([...'.,;:!?)]}"\'\u201d\u2019\u00bb\u2026']);
const QUOTES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\u201c': '\u201d',
  '\u2018': '\u2019',
  '\u00ab': '\u00bb',
  '`': '`',
};
const MAX_QUOTED = 128;

/** Words that say something about a secret after "is"/"was" rather than being it. */
const DESCRIBING_WORDS = new Set(
  (
    'a an the my your his her our their its this that these those it me mine yours not no never none nothing ' +
    'too very so still already also just only now always sometimes definitely probably actually really ' +
    'in on at for to of from with without by about into under and or but because if when since ' +
    'being been be wrong incorrect invalid expired expiring locked blocked disabled correct right fine ok okay good ' +
    'bad weak strong short long same different new old empty blank missing required needed gone lost stolen ' +
    'hacked compromised leaked reset changed forgotten saved stored broken working case sensitive ' +
    'there here what which who how why where going supposed asking'
  ).split(' '),
);
const DESCRIBING_SUFFIX = /^\p{L}{3,}(?:ed|ing)$/u;

type Connector = 'none' | 'verb' | 'assign' | 'dash';

function readAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function skipGap(text: string, at: number, gap = GAP): number {
  return at + (readAt(gap, text, at)?.[0].length ?? 0);
}

/** End of the next token, less its trailing sentence punctuation (at itself when nothing is left). */
function tokenEnd(text: string, at: number): number {
  const token = readAt(TOKEN, text, at)?.[0] ?? '';
  let end = at + token.length;
  while (end > at && SENTENCE_PUNCTUATION.has(text[end - 1] ?? '')) end--;
  return end;
}

function quotedEnd(text: string, at: number): number | undefined {
  const closing = QUOTES[text[at] ?? ''];
  if (!closing) return undefined;
  const close = text.indexOf(closing, at + 1);
  if (close < 0 || close - at > MAX_QUOTED || LINE_BREAK.test(text.slice(at, close))) return undefined;
  return close + 1;
}

function isSecretWord(word: string, connector: Connector): boolean {
  if (connector === 'assign') return true;
  const plain = PLAIN_WORD.test(word);
  if (connector === 'verb')
    return !(plain && (DESCRIBING_WORDS.has(word.toLowerCase()) || DESCRIBING_SUFFIX.test(word)));
  return !plain || MIXED_CASE.test(word);
}

/** [start, end) of the secret that follows a keyword ending at `at`, if there is one. */
function secretAfter(
  text: string,
  at: number,
  keyword: 'phrase' | 'word' | 'short' | 'cvv',
): [number, number] | undefined {
  let position = skipGap(text, at);
  const filler = readAt(FILLER, text, position);
  if (filler) position = skipGap(text, position + filler[0].length);
  // "my password for the app is hunter2": the connector comes after a short "for ..." phrase.
  const qualifier = readAt(QUALIFIER, text, position);
  if (qualifier) position += qualifier[0].length;
  const match = readAt(CONNECTOR, text, position);
  let connector: Connector = 'none';
  if (match) {
    const groups = match.groups ?? {};
    connector = groups.assign || groups.verbAssign ? 'assign' : groups.verb ? 'verb' : 'dash';
    // After a qualifier, ":" is as weak as "is" ("a password for everything: that is the problem").
    if (qualifier && connector === 'assign') connector = 'verb';
    position = skipGap(text, position + match[0].length, connector === 'dash' ? GAP : GAP_TO_NEXT_LINE);
  }
  const glued = position === at;
  if (keyword === 'short' && connector !== 'verb' && connector !== 'assign') return undefined;
  if (text.startsWith(SECRET_PLACEHOLDER, position) || text.startsWith(CARD_PLACEHOLDER, position))
    return undefined;
  if (keyword === 'cvv') {
    const code = readAt(SECURITY_CODE, text, position);
    return code ? [position, position + code[0].length] : undefined;
  }
  if (glued) {
    if (!STARTS_WITH_DIGIT.test(text.slice(position, position + 2))) return undefined;
    return [position, Math.max(tokenEnd(text, position), position + 1)];
  }
  const numeric = readAt(NUMERIC_SECRET, text, position);
  if (numeric) return [position, position + numeric[0].length];
  const quoted = quotedEnd(text, position);
  if (quoted !== undefined) return [position, quoted];
  const end = tokenEnd(text, position);
  if (end === position || !isSecretWord(text.slice(position, end), connector)) return undefined;
  if (keyword === 'phrase' && (connector === 'assign' || connector === 'verb')) {
    const phrase = readAt(PHRASE, text, position)?.[0].trimEnd() ?? '';
    return [position, Math.max(end, position + phrase.length)];
  }
  return [position, end];
}

function redactSecrets(text: string): string {
  let result = '';
  let cursor = 0;
  KEYWORD.lastIndex = 0;
  for (let match = KEYWORD.exec(text); match; match = KEYWORD.exec(text)) {
    const groups = match.groups ?? {};
    const keyword = groups.cvv ? 'cvv' : groups.phrase ? 'phrase' : groups.short ? 'short' : 'word';
    const secret = secretAfter(text, match.index + match[0].length, keyword);
    if (!secret) continue;
    result += text.slice(cursor, secret[0]) + SECRET_PLACEHOLDER;
    cursor = secret[1];
    KEYWORD.lastIndex = cursor;
  }
  return result + text.slice(cursor);
}
