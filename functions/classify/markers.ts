/**
 * The three markers of POLICY.md, reported independently of the intent. Rules, not a model:
 * they are easy to audit and to extend, and an operator can read why a case was flagged.
 *
 * - `humanRequested`: the customer asks for a person, a call, a callback or live chat.
 * - `urgent`: a deadline ("today", "asap", "right now", "by tomorrow") or a safety word.
 * - `frustrated`: anger, insults, profanity, SHOUTING, repeated "!!", repeated requests.
 *
 * Robust to case, to one-letter typos in the key words ("representitive", "immediatly") and to
 * simple negation in the same clause ("no need to call me", "not urgent", "I'm not angry").
 * Pure: no I/O, no environment.
 */

export interface Markers {
  readonly frustrated: boolean;
  readonly urgent: boolean;
  readonly humanRequested: boolean;
}

/** Key words whose misspellings are corrected before the rules run. */
const FUZZY_LEXICON = [
  'representative',
  'supervisor',
  'operator',
  'manager',
  'human',
  'person',
  'agent',
  'someone',
  'somebody',
  'callback',
  'customer',
  'immediately',
  'urgently',
  'urgent',
  'emergency',
  'ridiculous',
  'unacceptable',
  'outrageous',
  'furious',
  'terrible',
  'horrible',
  'useless',
  'pathetic',
  'disgusting',
  'incompetent',
  'frustrated',
  'frustrating',
  'annoyed',
  'unbelievable',
  'disappointed',
  'speak',
];
const FUZZY_SET = new Set(FUZZY_LEXICON);
/** Real words one edit away from a key word: never "corrected". */
const PROTECTED = new Set([
  'managed',
  'manages',
  'humane',
  'humans',
  'agents',
  'agency',
  'persons',
  'operate',
  'operated',
  'speaks',
  'speaker',
  'speaking',
  'urgency',
  'customers',
]);

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

function correct(token: string): string {
  if (token.length < 5 || FUZZY_SET.has(token) || PROTECTED.has(token)) return token;
  const max = token.length >= 9 ? 2 : 1;
  for (const word of FUZZY_LEXICON) {
    if (word.length < 5) continue;
    if (editDistanceWithin(token, word, max)) return word;
  }
  return token;
}

/** Lowercase, accent-free, apostrophes dropped ("don't" → "dont"), typos in key words fixed. */
export function canonical(text: string): string {
  const lower = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '');
  return lower.replace(/[a-z]+/g, (w) => correct(w)).replace(/\s+/g, ' ');
}

const PERSON =
  '(?:(?:a|an|the|some|your|one of your|a member of your|my)\\s)?(?:(?:real|live|actual|human|proper|customer service|customer support|support|service|account|billing|senior)\\s)*' +
  '(?:human(?: being| agent)?|humans|person|people|agent|agents|representative|rep|reps|someone|somebody|anyone|anybody|manager|supervisor|operator|staff(?: member)?|team|advisor|associate|customer (?:service|support|care)|support|being)';

/** Each pattern is one way to ask for a person; negation is checked separately. */
const HUMAN_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\b(?:talk|speak|chat|converse|speek|tlak)(?:ing)?\\s(?:2|to|with)\\s${PERSON}\\b`),
  new RegExp(
    `\\b(?:connect|transfer|put|escalate|pass|send)(?:ed|ing)?\\s(?:me\\s|this\\s|it\\s)?(?:through\\s|over\\s|on\\s)?(?:to|with)\\s${PERSON}\\b`,
  ),
  /\b(?:get|give|find|want|need|like|prefer|request(?:ing)?|have)\s(?:me\s)?(?:to\s(?:have|get)\s)?(?:a|an|some)\s(?:real\s|live\s|actual\s|proper\s)?(?:human|person|agent|representative|rep|manager|supervisor|operator|callback|call back|phone call)\b/,
  /\b(?:get|give|gimme)\s(?:me\s)?(?:a\s|an\s)?(?:real\s|live\s|actual\s)?(?:human|person|agent|representative|rep|manager|supervisor|operator|someone|somebody)\b/,
  /\b(?:call|ring|phone)\s(?:me|us)\b/,
  /\bcall(?:ed|ing)?\s?back\b|\bcallback\b|\bphone\scall\b|\bring\sback\b/,
  /\b(?:give|gimme)\s(?:me\s)?a\s(?:call|ring|bell)\b/,
  /\b(?:someone|somebody|person|human|agent|representative|rep|manager|team|staff(?: member)?|you)\s(?:to\s)?(?:contact|reach out to|get in touch with|call|ring|phone)\s(?:me|us)\b/,
  /\bon\sthe\s(?:phone|line)\b/,
  /\blive\s(?:chat|agent|person|support|human|operator)\b/,
  new RegExp(`\\b(?:contact|reach|call)\\s(?:your\\s)?${PERSON}\\b`),
  /\b(?:number|phone)\s(?:to|i can|can i|for)\s(?:call|ring|phone|customer|support)/,
  /\bcustomer\s(?:service|support|care)\s(?:phone\s)?number\b/,
  /\b(?:can|could|may|will|would)\s(?:a|an|some|one of your)?\s?(?:real\s|live\s|actual\s)?(?:human|person|agent|representative|rep|manager|someone|somebody|supervisor)\s(?:help|call|contact|ring|phone|assist|look|talk|speak)\b/,
  /\b(?:anyone|someone|somebody|person|human|agent)\s(?:i|we)\s(?:can|could)\s(?:talk|speak|chat)\b/,
  /\b(?:dont|do not) want (?:to (?:talk|speak|chat) (?:to|with) )?(?:a |the |this |your )?(?:bot|robot|machine)\b/,
  /\bnot\s(?:a|the)\s(?:bot|robot|machine)\b/,
  /\b(?:someone|somebody|a person|an agent|a human|a member of (?:staff|your team)|staff)\b(?:\s[a-z]+){0,4}\s(?:contacts?|calls?|rings?|phones?|reaches? out to|gets? in touch with)\s(?:me|us)\b/,
  /\b(?:schedule|book|arrange|set up)\s(?:a\s)?(?:call|callback|phone call|chat with)\b/,
  /\b(?:rather|prefer|easier|discuss|explain|sort (?:this|it) out|talk|speak)\b[^.?!]{0,30}\b(?:by|via|over)\s(?:the\s)?phone\b/,
  /\bchat\s(?:with\s(?:someone|somebody|a person|an agent|a human)\s)?live\b/,
  /^\W*(?:(?:human|person|agent|representative|rep|operator|manager|supervisor|someone|live agent|human agent|real person|customer service|customer support)\W*(?:please|pls|plz|now|asap)?\W*)+$/,
];

/** Words that, before a request in the same clause, cancel it ("no need to call me"). */
const NEGATION = /\b(?:no|not|never|dont|doesnt|didnt|wont|without|rather not|stop|nobody)\b/;

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

const URGENT_WORDS =
  /\b(?:urgent|urgently|emergency|asap|a s a p|immediately|immediate|right away|straight away|right now|time sensitive|time critical|as soon as possible|this instant|at once|hurry|before it is too late|panicking|panic|quickly as possible|overdrawn|rent is due|cant pay (?:my )?(?:rent|bills)|cant afford)\b/;
/** A deadline stated as a need: "need it for an interview on Thursday", "ends tomorrow". */
const NEED_BY =
  /\b(?:need|needs|needed|must have|have to have)\b(?:\s[a-z0-9$]+){0,8}\s(?:(?:on|by|for|before)\s)?(?:tomorrow|tonight|this weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(?:ends|expires|closes|due|runs out)\s(?:today|tonight|tomorrow)\b/;
const DEADLINE =
  /\b(?:by|before|until|no later than)\s(?:[a-z]+\s){0,3}(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|weekend)|end of (?:the )?day|eod|noon|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/;
const NEED_NOW =
  /\b(?:need|needs|needed|must|have to|has to|gotta|want)\b(?:\s[a-z0-9$]+){0,6}\s(?:today|tonight|now)\b/;
const SAFETY =
  /\b(?:fire|smoke|smoking|sparking|sparks|burning|burnt|exploded|explode|exploding|injured|injury|hurt me|bleeding|electric shock|shocked me|unsafe|dangerous|danger|poison|poisoned|choking|gas leak|overheating|melting)\b/;
const NOT_URGENT =
  /\b(?:not|isnt|nothing|non|no)[\s-](?:urgent|rush|hurry|emergency)\b|\bno rush\b|\btake your time\b|\bwhenever (?:you|is|its)\b|\beffective immediately\b|\bnot in a hurry\b|\bno need to hurry\b/g;

const ANGER =
  /\b(?:angry|furious|livid|pissed|fed up|sick of|sick and tired|ridiculous|unacceptable|outrageous|disgusting|disgraceful|terrible|horrible|awful|worst|useless|pathetic|incompetent|garbage|junk|rubbish|trash|crap|crappy|shit|shitty|damn|dammit|goddamn|bloody|fuck\w*|fck\w*|f\*+\w*|wtf|ffs|wth|stupid|idiots?|morons?|clowns|unbelievable|frustrated|frustrating|annoyed|annoying|upset|disappointed|disappointing|ripped off|rip off|never again|waste of (?:my )?time|had enough|are you kidding|shame on you|i hate (?:this|you|your|it)|(?:this is|what a|its) a joke|nightmare|scammers|thieves|robbery|sort it out|fed up|fuming|seething|livid|shocking|appalling|atrocious|disgrace|smh|thanks for nothing|(?:im|i am) (?:so |really |completely )?done with|had it with|(?:round|around) in circles|keep(?:s)? ignoring|ignoring (?:me|my)|(?:nobody|no one|noone) (?:ever )?(?:replies|answers|responds|gets back|helps|cares)|(?:bad|terrible|negative|1 star|one star) review|seriously(?=\?)|beyond angry|not happy)\b/;
const NOT_ANGRY =
  /\b(?:not|isnt|im not|no)\s(?:angry|upset|frustrated|annoyed|complaining|mad|disappointed|a problem)\b|\bno complaints?\b|\bno hate\b/g;
const REPEATED_ASK =
  /\b(?:asked|requested|told you|called|tried|contacted you|emailed|messaged|chased|explained|written|wrote|rang)\b(?:\s[a-z]+){0,6}\s(?:twice|three times|four times|five times|\d+ times|multiple times|several times|many times|again and again|already)\b|\b(?:second|2nd) time (?:this|in)\b|\b(?:third|fourth|fifth|3rd|4th|5th|\d+th|umpteenth|hundredth) time\b|\bhow many times\b|\bstill (?:no|not|nothing|waiting)\b.{0,40}\b(?:again|weeks|months)\b/;
const ACRONYMS = new Set([
  'ASAP',
  'USB',
  'TV',
  'UPS',
  'DHL',
  'PIN',
  'ID',
  'OK',
  'HDMI',
  'LED',
  'XXL',
  'XL',
  'FAQ',
  'SMS',
  'RMA',
  'EU',
  'UK',
  'US',
  'USA',
  'USPS',
  'PC',
  'ATM',
  'GPS',
  'OTP',
  'VAT',
  'DM',
  'PM',
  'AM',
  'ETA',
]);

/** "Thanks!!" is enthusiasm, not anger. */
const POSITIVE = /\b(?:thanks|thank you|thx|great|awesome|amazing|love|perfect|brilliant|excellent|happy)\b/;

function shouting(raw: string): boolean {
  const words = raw.match(/[A-Za-z]{2,}/g) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase() && !ACRONYMS.has(w));
  return caps.length >= 3 && caps.length >= words.length * 0.5;
}

export function detectMarkers(raw: string): Markers {
  const text = canonical(raw);
  const humanRequests = countHumanRequests(text);
  const calm = text.replace(NOT_URGENT, ' ');
  const urgent =
    SAFETY.test(text) ||
    URGENT_WORDS.test(calm) ||
    DEADLINE.test(calm) ||
    NEED_NOW.test(calm) ||
    NEED_BY.test(calm) ||
    /\b(?:today|tonight|now)\s*!/.test(calm);
  const unangry = text.replace(NOT_ANGRY, ' ');
  const frustrated =
    ANGER.test(unangry) ||
    REPEATED_ASK.test(text) ||
    shouting(raw) ||
    (/!{2,}|[!?]{3,}|\?!|!\?/.test(raw) && !POSITIVE.test(text)) ||
    humanRequests >= 2;
  return { frustrated, urgent, humanRequested: humanRequests > 0 };
}
