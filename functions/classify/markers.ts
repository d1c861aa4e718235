/**
 * The three markers of POLICY.md, reported independently of the intent: the reviewed phrase lists. Since round 7
 * they are also the cue features of the frustrated and urgent marker models (marker-model.ts, `markerCues`), which
 * the Lambda uses; `detectMarkers` is the lists alone (an operator can read why a rule fired).
 * The phrases live in classifier/markers/*.yaml (grouped by category, each with a why), compiled
 * by `npm run markers:compile` into classifier/model/markers.json, which is bundled and turned
 * into RegExps once at load (marker-lists.ts). This file holds only how the lists are combined.
 *
 * - `humanRequested`: the customer asks for a person, a call, a callback or live chat.
 * - `urgent`: a deadline ("today", "asap", "right now", "by tomorrow") or a safety word.
 * - `frustrated`: anger, insults, profanity, SHOUTING, repeated "!!", repeated requests.
 *
 * Robust to case, to one-letter typos in the key words ("representitive", "immediatly") and to
 * simple negation in the same clause ("no need to call me", "not urgent", "I'm not angry").
 * Pure: no I/O, no environment.
 */
import compiled from '../../classifier/model/markers.json' with { type: 'json' };
import { buildMarkerLists, type CompiledMarkers } from './marker-lists.js';

const lists = buildMarkerLists(compiled as CompiledMarkers);

export interface Markers {
  readonly frustrated: boolean;
  readonly urgent: boolean;
  readonly humanRequested: boolean;
}

/** Key words whose misspellings are corrected before the rules run. */
const FUZZY_LEXICON = lists.words('fuzzyWords');
const FUZZY_SET = new Set(FUZZY_LEXICON);
/** Real words one edit away from a key word: never "corrected". */
const PROTECTED = new Set(lists.words('protectedWords'));

/** Optimal-string-alignment distance, giving up once it exceeds `max`. */
function editDistanceWithin(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let prevPrev = prev2;
  for (let i = 1; i <= a.length; i += 1) {
    const cur = new Array<number>(b.length + 1).fill(0);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prevPrev[j - 2] as number) + 1);
      }
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return false;
    prevPrev = prev;
    prev = cur;
  }
  return (prev[b.length] as number) <= max;
}

/** Corrections already computed (a message with a quotation is canonicalised twice). */
const CORRECTED = new Map<string, string>();

function correct(token: string): string {
  if (token.length < 5 || FUZZY_SET.has(token) || PROTECTED.has(token)) return token;
  const known = CORRECTED.get(token);
  if (known !== undefined) return known;
  if (CORRECTED.size >= 20000) CORRECTED.clear();
  const fixed = correctUncached(token);
  CORRECTED.set(token, fixed);
  return fixed;
}

function correctUncached(token: string): string {
  const max = token.length >= 9 ? 2 : 1;
  for (const word of FUZZY_LEXICON) {
    if (word.length < 5) continue;
    if (editDistanceWithin(token, word, max)) return word;
  }
  return token;
}

/** Texting shorthand spelled out before the rules run. */
const SHORTHAND: Readonly<Record<string, string>> = lists.map('shorthand');

/**
 * Lowercase, accent-free, apostrophes dropped ("don't" → "dont"), hyphens as spaces
 * ("time-sensitive"), texting shorthand spelled out ("tmrw", "rn"), typos in key words fixed.
 */
export function canonical(text: string): string {
  const lower = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/(?<=[a-z0-9])-(?=[a-z0-9])/g, ' ');
  return lower.replace(/[a-z0-9]+/g, (w) => SHORTHAND[w] ?? correct(w)).replace(/\s+/g, ' ');
}

/** Each pattern is one way to ask for a person; negation is checked separately. */
const HUMAN_PATTERNS = lists.each('humanRequest');

/** Words that, before a request in the same clause, cancel it ("no need to call me"). */
const NEGATION = lists.regex('negation');

function negatedBefore(clause: string, index: number): boolean {
  const before = clause.slice(0, index).trim().split(' ').slice(-4).join(' ');
  return NEGATION.test(before);
}

function clauses(text: string): string[] {
  return text.split(/[.;!?,\n]+|\bbut\b|\binstead\b/).map((c) => c.trim());
}

function countHumanRequests(text: string): number {
  let count = 0;
  for (const clause of clauses(text)) {
    if (clause === '') continue;
    const hit = HUMAN_PATTERNS.some((re) => {
      const m = re.exec(clause);
      return m !== null && !negatedBefore(clause, m.index);
    });
    if (hit) count += 1;
  }
  return count;
}

const HUMAN_PATTERNS_GLOBAL = HUMAN_PATTERNS.map((re) => new RegExp(re.source, `${re.flags}g`));

/**
 * The message with every request for a person taken out ("my account was hacked, put me through
 * to someone on the phone" → "my account was hacked"), in canonical form: what is left is what
 * the customer needs help with, so the topic can be classified on its own ("the intent names the topic").
 */
export function withoutPersonRequests(raw: string): string {
  return clauses(canonical(raw))
    .map((clause) => HUMAN_PATTERNS_GLOBAL.reduce((rest, re) => rest.replace(re, ' '), clause).trim())
    .filter((clause) => /[a-z]/.test(clause))
    .join('. ');
}

const URGENT_WORDS = lists.regex('urgentWords');
/** Money trouble caused now: an overdrawn account, a bill that cannot be paid. */
const MONEY_TROUBLE = lists.regex('moneyTrouble');
/** A deadline stated as a need: "need it for an interview on Thursday", "ends tomorrow". */
const NEED_BY = lists.regex('needBy');
const DEADLINE = lists.regex('deadline');
/** An event that depends on the request, soon: "wedding is this Saturday", "leaving for a trip on Thursday". */
const EVENT_SOON = lists.regex('eventSoon');
/** Something that happens within hours: "renews in an hour", "presentation in 30 min". */
const WITHIN_HOURS = lists.regex('withinHours');
/** An order given for today ("please process this today", "cancel before 5pm today"), or "… now." alone. */
const DO_NOW = lists.regex('doNow');
const NEED_NOW = lists.regex('needNow');
/** "please fix it quickly", "help quick" (not "how quickly do you ship", "quick question"). */
const QUICKLY = lists.regex('quickly');
const SAFETY = lists.regex('safety');
/** Product names and devices that contain a safety word ("smoke alarm", "Fire TV"). */
const NOT_SAFETY = lists.regex('notSafety');
/** A medicine or medical device that is late or running out. */
const MEDICAL = lists.regex('medical');
const MEDICAL_PROBLEM = lists.regex('medicalProblem');
/** Words that, said of the request, remove urgency ("not urgent", "no rush"). */
const NOT_URGENT = lists.regex('notUrgent');
/** "No rush" anywhere in the message: dates and "tomorrow" are then no deadline (round 9); safety and money stay. */
const NO_RUSH = lists.regex('noRush');
/**
 * Someone else's words reported by the customer (a phishing e-mail "saying URGENT action
 * required", a subject line): not the customer's own urgency or anger.
 */
const QUOTED = lists.regex('quoted');
const REPORTED = lists.regex('reported');

const ANGER = lists.regex('anger');
/**
 * Terse exasperation typed in a chat: "cmon", "so done with this", "this is insane", "getting
 * old", "taking forever", "nothing but excuses", "zero help", "every single time", "hate this".
 */
const EXASPERATION = lists.regex('exasperation');
/** A bare "anyone there??", "hello?", "pls respond", "answer me", "refund me already". */
const IMPATIENT = lists.regex('impatient');
/** Mild oaths that are also exclamations of pleasure ("damn, that was fast!"): anger only without praise. */
const MILD_OATH = lists.regex('mildOath');
const NOT_ANGRY = lists.regex('notAngry');
const REPEATED_ASK = lists.regex('repeatedAsk');
/** Sarcastic praise next to a complaint ("brilliant service, thanks a lot" after a failed delivery). */
const PRAISE = lists.regex('praise');
const COMPLAINT = lists.regex('complaint');
/** "…really appreciate it. Not." */
const SARCASTIC_NOT = lists.regex('sarcasticNot');
/** "Love that for me", "of course it doesn't", "thanks for nothing": sarcasm on its own. */
const SARCASM = lists.regex('sarcasm');
/** Words written in capitals for emphasis ("charged me AGAIN", "STILL nothing"). */
const EMPHASIS = lists.regex('emphasis');
const ACRONYMS = new Set(lists.words('acronyms'));

/** Eye-roll, angry and thumbs-down emoji. */
const ANGRY_EMOJI = lists.regex('angryEmoji');
/** "ASAP!!", "urgent!!!", "right now!!": the exclamation marks stress the urgency, not anger. */
const URGENT_BANG = lists.regex('urgentBang');

/** "operator operator operator", "please please please": one word typed three times in a row. */
const SAME_WORD_THRICE = /\b([a-z]{3,})(?:\W+\1\b){2,}/;
/** "where is my order where is my order where is my order": one phrase typed three times (round 9). */
const SAME_PHRASE_THRICE = /\b((?:[a-z]+ ){1,4}[a-z]+)(?:\W+\1\b){2,}/;

/** "Thanks!!" is enthusiasm, not anger. */
const POSITIVE = lists.regex('positive');
/** Round 12: a misuse to stop at once ("hacked", "lock my account", "someone is ordering on my account"). */
const PANIC = lists.regex('panic');
/** Round 12: a loud demand for the customer's own money stays a rule in a hurry ("I want my refund NOW"). */
const LOUD_DEMAND = lists.regex('loudDemand');

/**
 * Round 12: urgency rules that tell a hurry, not a demand: capitals and "!!" next to them are haste ("LOCK IT",
 * "need a human NOW", "before midnight!!"). The bare commands (doNow, capsNow, todayBang) are left out: "I want my
 * refund NOW" is as often anger.
 */
const HURRY_RULES = [
  'safety',
  'medical',
  'urgentWords',
  'moneyTrouble',
  'deadline',
  'needNow',
  'needBy',
  'eventSoon',
  'withinHours',
  'quickly',
] as const;
/** The frustrated rules that only read how the message looks (capitals, "!!"). */
const LOUD_RULES = new Set(['shouting', 'emphasis', 'bangs']);

function shouting(raw: string): boolean {
  const words = raw.match(/[A-Za-z]{2,}/g) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase() && !ACRONYMS.has(w));
  if (caps.length >= 3 && caps.length >= words.length * 0.5) return true;
  // Round 9: one sentence shouted in a longer message ("REFUND THE DOUBLE CHARGE TODAY. I cant pay …").
  let run = 0;
  for (const w of words) {
    run = w === w.toUpperCase() && !ACRONYMS.has(w) ? run + 1 : 0;
    if (run >= 4) return true;
  }
  return false;
}

/**
 * Every rule of the phrase lists, one by one, after negation and reported speech were taken out: the
 * marker models (marker-model.ts) read them as features, `detectMarkers` ORs them.
 */
export interface MarkerCues {
  readonly frustrated: Readonly<Record<string, boolean>>;
  readonly urgent: Readonly<Record<string, boolean>>;
  /** Clauses with a request for a person. */
  readonly humanRequests: number;
  /** Negations and reported speech the rules took out ("not urgent", "not angry", a quoted scam e-mail). */
  readonly calming: Readonly<Record<string, boolean>>;
  /** The canonical text without someone else's words (the rules' input). */
  readonly own: string;
  readonly ownRaw: string;
}

export function markerCues(raw: string): MarkerCues {
  const text = canonical(raw);
  const humanRequests = countHumanRequests(text);
  // Someone else's words (a quoted phishing e-mail) are not the customer's mood.
  const ownRaw = raw.replace(QUOTED, ' ');
  const own = (ownRaw === raw ? text : canonical(ownRaw)).replace(REPORTED, ' ');
  const calm = own.replace(NOT_URGENT, ' ');
  const relaxed = NO_RUSH.test(own);
  const urgent = {
    safety: SAFETY.test(calm.replace(NOT_SAFETY, ' ')),
    medical: MEDICAL.test(calm) && MEDICAL_PROBLEM.test(calm),
    urgentWords: URGENT_WORDS.test(calm),
    moneyTrouble: MONEY_TROUBLE.test(calm),
    deadline: DEADLINE.test(calm) && !relaxed,
    needNow: NEED_NOW.test(calm) && !relaxed,
    needBy: NEED_BY.test(calm) && !relaxed,
    eventSoon: EVENT_SOON.test(calm) && !relaxed,
    withinHours: WITHIN_HOURS.test(calm) && !relaxed,
    doNow: DO_NOW.test(calm) && !relaxed,
    capsNow: /\bNOW\b/.test(ownRaw),
    quickly: QUICKLY.test(calm) && !relaxed,
    todayBang: /\b(?:today|tonight|now)\s*!/.test(calm) && !relaxed,
  };
  const unangry = own.replace(NOT_ANGRY, ' ');
  const praise = POSITIVE.test(unangry);
  const rules = {
    anger: ANGER.test(unangry),
    mildOath: MILD_OATH.test(unangry) && !praise,
    exasperation: EXASPERATION.test(unangry),
    angryEmoji: ANGRY_EMOJI.test(ownRaw),
    impatient: IMPATIENT.test(unangry) && !praise,
    repeatedAsk: REPEATED_ASK.test(unangry.replace(/\bthanks? (?:you )?(?:once )?again\b/g, ' ')),
    sarcasm: SARCASM.test(unangry),
    sarcasticPraise:
      PRAISE.test(unangry) && (COMPLAINT.test(unangry.replace(PRAISE, ' ')) || SARCASTIC_NOT.test(unangry)),
    shouting: shouting(ownRaw),
    sameWordThrice: SAME_WORD_THRICE.test(unangry) || SAME_PHRASE_THRICE.test(unangry),
    emphasis: EMPHASIS.test(ownRaw),
    // round 12: punctuation alone ("???") is no mood
    bangs:
      /!{2,}|[!?]{3,}|\?!|!\?/.test(ownRaw.replace(URGENT_BANG, ' ')) && !praise && /[a-z]/i.test(ownRaw),
    manyPersonRequests: humanRequests >= 3,
  };
  // Round 12: one word in capitals or "!!" in a hurry (a deadline, a misuse to stop) with no other sign of anger is left
  // to the model (the calming cue hurriedLoud), not a rule: the development sets' writers read "lock it NOW" as urgent.
  const hurried = HURRY_RULES.some((k) => urgent[k]) || PANIC.test(own);
  const onlyLoud = Object.entries(rules).every(([k, v]) => !v || LOUD_RULES.has(k));
  // Whole sentences in capitals stay a rule (the writers call them shouting, hurried or not), and so does a
  // complaint word next to the capitals ("DOUBLE CHARGED AGAIN and my rent is due").
  const hurriedLoud =
    hurried &&
    onlyLoud &&
    (rules.emphasis || rules.bangs) &&
    !rules.shouting &&
    !COMPLAINT.test(unangry) &&
    !LOUD_DEMAND.test(unangry);
  const frustrated = hurriedLoud ? { ...rules, emphasis: false, bangs: false } : rules;
  const calming = {
    notUrgent: calm !== own,
    notAngry: unangry !== own,
    praise,
    reported: own !== text,
    hurriedLoud,
  };
  return { frustrated, urgent, humanRequests, calming, own, ownRaw };
}

/** The phrase lists alone: a marker is set when any of its rules matched. */
export function detectMarkers(raw: string): Markers {
  const cues = markerCues(raw);
  return {
    frustrated: Object.values(cues.frustrated).some(Boolean),
    urgent: Object.values(cues.urgent).some(Boolean),
    humanRequested: cues.humanRequests > 0,
  };
}
