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
  'tomorrow',
  'patience',
  'complaint',
  'chargeback',
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
  'patient',
  'complaints',
  'curious',
  'persona',
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
const SHORTHAND: Readonly<Record<string, string>> = {
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmrow: 'tomorrow',
  tmw: 'tomorrow',
  '2moro': 'tomorrow',
  '2morrow': 'tomorrow',
  tomoz: 'tomorrow',
  tonite: 'tonight',
  '2nite': 'tonight',
  rn: 'right now',
  bday: 'birthday',
  bdays: 'birthdays',
  w: 'with',
  hrs: 'hours',
  mins: 'minutes',
  min: 'minutes',
  ppl: 'people',
  u: 'you',
  ur: 'your',
  r: 'are',
  pls: 'please',
  plz: 'please',
};

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

const PERSON =
  '(?:(?:a|an|the|some|your|one of your|a member of your|my)\\s)?(?:(?:real|live|actual|human|proper|customer service|customer support|support|service|account|billing|senior)\\s)*' +
  '(?:human(?: being| agent)?|humans|person|people|agent|agents|representative|rep|reps|someone|somebody|anyone|anybody|manager|supervisor|operator|staff(?: member)?|team|advisor|associate|customer (?:service|support|care)|support|being)';

/** Each pattern is one way to ask for a person; negation is checked separately. */
const HUMAN_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\b(?:talk|speak|chat|converse|speek|tlak)(?:ing)?\\s(?:2|to|with)\\s${PERSON}\\b`),
  // "I'd rather discuss this with a human being", "need help from a real person"
  new RegExp(
    `\\b(?:discuss|sort|go over|explain|deal with|handle)\\b(?:\\s[a-z]+){0,3}\\swith\\s${PERSON}\\b|\\bhelp from\\s${PERSON}\\b`,
  ),
  new RegExp(
    `\\b(?:connect|transfer|put|escalate|pass|send)(?:ed|ing)?\\s(?:me\\s|this\\s|it\\s)?(?:through\\s|over\\s|on\\s)?(?:to|with)\\s${PERSON}\\b`,
  ),
  /\b(?:get|give|find|want|need|like|prefer|request(?:ing)?|have)\s(?:me\s)?(?:to\s(?:have|get)\s)?(?:a|an|some)\s(?:real\s|live\s|actual\s|proper\s)?(?:human|person|agent|representative|rep|manager|supervisor|operator|callback|call back|phone call)\b/,
  /\b(?:get|give|gimme)\s(?:me\s)?(?:a\s|an\s)?(?:real\s|live\s|actual\s)?(?:human|person|agent|representative|rep|manager|supervisor|operator|someone|somebody)\b/,
  /\b(?:call|ring|phone)\s(?:me|us)\b/,
  // "email me or call, either is fine"
  /\b(?:email|text|message|write)(?: me)? or (?:call|phone|ring)\b|\b(?:call|phone|ring)(?: me)? or (?:email|text)\b/,
  /\b(?:need|want|like|request|requesting|prefer)\s(?:a\s)?(?:quick\s)?(?:call|phone call|call back)\b/,
  /\b(?:reach|contact) me (?:by|via|on|at) (?:the )?(?:phone|telephone|mobile|cell|\d)/,
  // "who do I call about…", "who can I speak to"
  /\bwho (?:do|can|should|could) (?:i|we) (?:call|ring|phone|talk to|speak to|speak with)\b/,
  // "any humans working today?", "is there a real person around?" (a bare "anyone there??" is
  // impatience, see IMPATIENT, not a request for a person)
  /^(?:hello\s)?(?:is\s|are\s)?(?:there\s)?(?:any humans?|any (?:real )?people|any staff|any (?:live |real )?agents?|a human|a real person|an actual person|a person)\s(?:actually\s|even\s)?(?:there|around|available|working|online|awake|out there|reading (?:this|these|my))\b/,
  // "could a staff member reach out?"
  /\b(?:someone|somebody|a person|an agent|a human|(?:a )?staff member|a rep|a representative|a manager|your team)\s(?:to\s|can\s|could\s|please\s|will\s)*(?:reach out|get in touch|give me a call|call back)\b/,
  /\bcall(?:ed|ing)?\s?back\b|\bcallback\b|\bphone\scall\b|\bring\sback\b/,
  /\b(?:give|gimme)\s(?:me\s)?a\s(?:call|ring|bell)\b/,
  /\b(?:someone|somebody|person|human|agent|representative|rep|manager|team|staff(?: member)?|you)\s(?:to\s)?(?:contact|reach out to|get in touch with|call|ring|phone)\s(?:me|us)\b/,
  /(?<!\b(?:talked|spoke|spoken|chatted|was|were|been)\s)\bon\sthe\s(?:phone|line)\b/,
  /\blive\s(?:chat|agent|person|support|human|operator)\b(?!\s(?:widget|plugin|integration|api|software|tool|app|feature|button))/,
  new RegExp(`\\b(?:contact|reach|call)\\s(?:your\\s)?${PERSON}\\b`),
  /\b(?:number|phone)\s(?:to|i can|can i|for)\s(?:call|ring|phone|customer|support|reach|contact|speak)/,
  /\bcustomer\s(?:service|support|care)\s(?:phone\s)?number\b/,
  /\b(?:can|could|may|will|would)\s(?:a|an|some|one of your)?\s?(?:real\s|live\s|actual\s)?(?:human|person|agent|representative|rep|manager|someone|somebody|supervisor|staff member|member of staff|support person)\s(?:please\s)?(?:help|call|contact|ring|phone|assist|look|talk|speak)\b/,
  /\b(?:anyone|someone|somebody|person|human|agent)\s(?:i|we)\s(?:can|could)\s(?:talk|speak|chat|call|ring|phone)\b/,
  /\b(?:dont|do not) want (?:to (?:talk|speak|chat) (?:to|with) )?(?:a |the |this |your )?(?:bot|robot|machine)\b/,
  /\bnot\s(?:a|the)\s(?:bot|robot|machine)\b/,
  /\b(?:someone|somebody|a person|an agent|a human|a member of (?:staff|your team)|staff)\b(?:\s[a-z]+){0,4}\s(?:contacts?|calls?|rings?|phones?|reaches? out to|gets? in touch with)\s(?:me|us)\b/,
  /\b(?:schedule|book|arrange|set up)\s(?:a\s)?(?:call|callback|phone call|chat with)\b/,
  /\b(?:rather|prefer|easier|discuss|explain|sort (?:this|it) out|talk|speak)\b[^.?!]{0,30}\b(?:by|via|over)\s(?:the\s)?phone\b/,
  /\bchat\s(?:with\s(?:someone|somebody|a person|an agent|a human)\s)?live\b/,
  /\bis there (?:a|an|any|some)\s(?:real\s|actual\s|live\s)?(?:human|person|agent|representative|rep|manager|supervisor|operator|one|body)\s?(?:who|that|i can|we can|to|there|available|at all)\b/,
  /\b(?:what is|whats|give me|send me|do you have|need|want|is there|can i have|can i get)\s(?:a\s|the\s|your\s)?(?:phone|telephone|contact|support|customer service|helpline)\s(?:number|line)\b/,
  /\b(?:by|via|over|on)\s(?:a\s)?(?:voice|video call|voice call)\b/,
  /^\W*(?:(?:(?:a|an)\s)?(?:(?:real|actual|live|support|human)\s)?(?:human(?: being)?|person|agent|representative|rep|operator|manager|supervisor|someone|customer service|customer support)\W*(?:please|pls|plz|now|asap)?\W*)+$/,
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
  /\b(?:urgent|urgently|emergency|asap|a s a p|immediately|immediate|right away|straight away|right now|time sensitive|time critical|as soon as possible|this instant|at once|hurry|before it is too late|panicking|panic|quickly as possible|as we speak|this cant wait|it cant wait|(?:this|it) cannot wait|cant wait (?:any )?(?:longer|any more|anymore)|running out of time|time is running out|times running out|(?:im|we are|were) out of time|short on time|pressed for time|due any (?:day|minute|moment|time now)|any minute now|needed (?:it|this|them) yesterday|within (?:the|an|the next|1|one|\d+) (?:hour|hours|minutes)|(?:can|could|will) you (?:please )?(?:rush|expedite)|(?:please |just )?(?:rush|expedite) (?:it|this|my|the order|please)|^\W*rush\W*$|(?:please )?hurry(?: up)?|as (?:fast|quick|quickly|soon) as (?:possible|you can|u can)|(?:the )?sooner the better|desperate(?:ly)? (?:need|for|to)|(?:im|i am) desperate|(?:this is|its|it is) (?:time )?critical|pronto|time is of the essence|speed (?:this|it|things) up|(?:today|tonight) please|please (?:today|tonight))\b/;
/** Money trouble caused now: an overdrawn account, a bill that cannot be paid. */
const MONEY_TROUBLE =
  /\b(?:overdrawn|overdraft fees?|maxed(?: out)?|over (?:my|the) (?:limit|overdraft)|in (?:the )?minus|negative balance|bounced|at zero|(?:rent|mortgage|bills?|car payment|loan payment|(?:electric|gas|phone) bill) (?:is |are )?(?:due|goes out|comes out|bounced)|(?:cant|cannot|couldnt|unable to) (?:pay|afford|buy|make) (?:my |the |our |food|groceries|rent|bills?|mortgage)|no money (?:left|for)|bank (?:is )?charg(?:es|ing) (?:me )?fees)\b/;
/** A deadline stated as a need: "need it for an interview on Thursday", "ends tomorrow". */
const NEED_BY =
  /\b(?:need|needs|needed|must have|have to have)\b(?:\s[a-z0-9$]+){0,8}\s(?:(?:on|by|for|before)\s)?(?:tomorrow|tonight|this weekend|the weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(?:ends|expires|closes|due|runs out|renews|renewal)\s(?:is\s)?(?:(?:at|on)\s)?(?:today|tonight|tomorrow|midnight)\b|\bfor (?:tomorrow|tonight)\b|\b(?:need|needs|needed|must|have to|has to|gotta)\b(?:\s[a-z0-9$]+){0,8}\s(?:by|before|until|for|on)\s(?:the\s)?\d{1,2}(?:st|nd|rd|th)\b|\b(?:its|it is|this is|theyre|they are) for\b[^.?!]{0,40}\b(?:today|tonight|tomorrow|this weekend)\b|\blast day\b[^.?!]{0,30}\b(?:today|tonight|tomorrow)\b|\b(?:today|tomorrow) is (?:the )?last day\b|\b(?:need|needs|needed|must|have to|has to|gotta)\b(?:\s[a-z0-9$]+){0,8}\s(?:by|before|for)\s(?:christmas|xmas|christmas eve|new years(?: eve)?|easter|thanksgiving|halloween|valentines(?: day)?|mothers day|fathers day)\b/;
const DEADLINE =
  /\b(?:by|before|until|no later than)\s\d{1,2}(?::\d\d)?\s?(?:am|pm)\b|\b(?:by|before|until)\s(?:mon|tues?|wed|thurs?|thu|fri|sat|sun)\b|\b(?:by|before|until|no later than)\s(?:[a-z0-9]+\s){0,3}(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|weekend)|the weekend|end of (?:the )?day|eod|noon|midnight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|my (?:flight|trip|wedding|exam|interview|holiday|vacation|surgery|appointment))\b|\bdeadline\b/;
/** An event that depends on the request, soon: "wedding is this Saturday", "leaving for a trip on Thursday". */
const EVENT_SOON =
  /\b(?:flight|fly|flying|trip|travel|travelling|traveling|wedding|party|exam|interview|birthday|anniversary|graduation|recital|play|concert|ceremony|event|presentation|meeting|funeral|surgery|appointment|holiday|vacation|moving|leaving|leave)\b(?:\s(?!(?:was|were|went|had|last)\b)[a-z0-9]+){0,4}?\s(?:is\s|on\s|this\s|starts\s|out\s)*(?:today|tonight|tomorrow|this weekend|(?:(?:on|this|next) )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|in (?:a|one|two|three|[1-3]|a couple of|a few) days?|in (?:an?|one|two|three|half an?|\d+) (?:hours?|minutes)|at \d{1,2}(?::\d\d)?\s?(?:am|pm))\b/;
/** Something that happens within hours: "renews in an hour", "presentation in 30 min". */
const WITHIN_HOURS =
  /\b(?:renews?|renewal|expires?|ends|starts?|begins?|closes?|due|leave|leaving|charged|charge|goes through|payment)\b(?:\s[a-z]+){0,2}\sin (?:an?|one|two|three|half an?|\d+|a few|a couple of)\s?(?:hours?|minutes)\b/;
/** An order given for today ("please process this today", "cancel before 5pm today"), or "… now." alone. */
const DO_NOW =
  /(?:^|[.!?,;]\s*|\b(?:please|can you|could you|will you)\s)(?:please\s|just\s)?(?:process|send|ship|fix|refund|cancel|sort|resolve|do|get|call|deliver|handle|help|reply|respond|answer|dispatch|deal with|stop|block|freeze|lock)\b(?:\s[a-z0-9$]+){0,5}\s(?:today|tonight)\b|(?:^|[.!?]\s*)now\s*[.!]*\s*$/;
const NEED_NOW =
  /\b(?:need|needs|needed|must|have to|has to|gotta|want)\b(?:\s[a-z0-9$]+){0,6}\s(?:today|tonight|now)\b/;
/** "please fix it quickly", "help quick" (not "how quickly do you ship", "quick question"). */
const QUICKLY =
  /\b(?:need|please|help|sort|fix|refund|reply|respond|block|lock)\b(?:\s[a-z]+){0,6}\s(?:quickly|quick|fast)\b(?!\s(?:question|q\b|one))|^\W*(?:quick|quickly|fast)\W+please\b|\bplease be (?:quick|fast)\b/;
const SAFETY =
  /\b(?:fire|smoke|burning|burnt|caught fire|on fire|catch(?:es|ing)? fire|set fire|started a fire|fire hazard|smoking|smoke (?:came|coming|pouring|everywhere|out)|(?:there is|theres|there was) smoke|burning smell|smells? (?:of )?(?:burning|burnt|smoke)|sparking|sparked|sparks|exploded|explode|exploding|injured|injury|hurt me|bleeding|electric shock|shocked me|electrocuted|unsafe|not safe|dangerous|danger|poison|poisoned|choking|swallowed|allergic reaction|had a reaction|gas leak|overheating|overheated|melting|melted|swelling|swollen|hot to the touch|tripped the (?:fuse|breaker))\b/;
/** Product names and devices that contain a safety word ("smoke alarm", "Fire TV"). */
const NOT_SAFETY =
  /\b(?:smoke (?:detectors?|alarms?)|fire (?:tv|stick|tablet|alarms?|extinguishers?|pit|door|hd|\d+)|kindle fire|(?:had|caused|was) a (?:small |kitchen )*fire (?:years|months|once|last)|(?:quit|no|stop) smoking)\b/g;
/** A medicine or medical device that is late or running out. */
const MEDICAL =
  /\b(?:medicine|medication|meds|insulin|epipen|epi pen|inhaler|prescription|medical device|oxygen|nebuli[sz]er|blood pressure monitor|glucose)\b/;
const MEDICAL_PROBLEM =
  /\b(?:need|needs|havent arrived|hasnt arrived|not arrived|not here|delayed|stuck|runs? out|ran out|running out|missing|lost|late|without)\b/;
/** Words that, said of the request, remove urgency ("not urgent", "no rush"). */
const NOT_URGENT =
  /\b(?:not|isnt|nothing|non|no)[\s-](?:urgent|rush|hurry|emergency|urgency|time sensitive|time critical|an emergency|in a (?:rush|hurry))\b|\bno (?:pressure|biggie)\b|\b(?:no|not a) big deal\b|\bno rush\b|\btake your time\b|\bwhenever (?:you|is|its)\b|\beffective immediately\b|\bnot in a (?:hurry|rush)\b|\bno need to (?:hurry|rush)\b|\bcant wait to\b|\bno hurry\b|\b(?:serious|annoyed|angry|furious|mad|upset|frustrated|pissed|kidding me|joking|livid|fuming|busy|fine|happy|good|okay|ok|at work|away|travelling|traveling) right now\b|\burgent care\b|\b(?:urgent|express|rush|expedited) (?:delivery|shipping) (?:options?|costs?|fees?|prices?|service)\b|\bdeadline (?:mode|feature|settings?|reminders?|function|tracker|app)\b/g;
/**
 * Someone else's words reported by the customer (a phishing e-mail "saying URGENT action
 * required", a subject line): not the customer's own urgency or anger.
 */
const QUOTED = /"[^"]*"|“[^”]*”|«[^»]*»|‘[^’]*’|(?<![A-Za-z])'[^'\n]{1,40}'(?![A-Za-z])/g;
const REPORTED =
  /\b(?:email|e mail|text|message|sms|letter|caller|subject(?: line)?|popup|pop up|link)\s(?:that\s)?(?:said|says|saying|stating|states|claiming|claims|titled|reads|read)\b(?:\s[a-z0-9]+){1,8}/g;

const ANGER =
  /\b(?:angry|furious|livid|pissed|fed up|sick of|sick and tired|tired of|ridiculous|unacceptable|outrageous|disgusting|disgraceful|terrible|horrible|awful|worst|useless|pathetic|incompetent|garbage|junk|rubbish|trash|crap|crappy|shit|shitty|bullshit|bs|dammit|goddamn|fuck\w*|fck\w*|f\*+\w*|wtf|ffs|wth|omfg|fml|jfc|stupid|idiots?|morons?|clowns|clueless|liars?|you lied|lying to (?:me|us)|crooks|cowboys|amateurs|unbelievable|frustrated|frustrating|annoyed|annoying|upset|disappointed|disappointing|ripped off|rip off|ripoff|robbed|robbing|daylight robbery|stealing my money|never again|waste of (?:my )?(?:time|money)|wasted (?:my|hours|so much|an hour)|had enough|enough is enough|are you kidding|you (?:have|ve) got to be kidding|are you (?:serious|joking)|shame on you|i hate (?:this|you|your|it)|(?:this is|what a|its|is a|was a|such a|are a|total|complete|absolute) (?:joke|farce|shambles|mess|disgrace)|(?:what a|such a|total|complete|absolute|utter) scam|(?:you|your company|this company|you guys|you people|this site) (?:are|is) (?:a )?(?:scam|scammers)|scamming (?:me|us|people|customers)|beyond a joke|joke of a|shambles|farce|nightmare|scammers|scamming|scammed me|thieves|robbery|sort it out|fuming|seething|shocking|appalling|atrocious|abysmal|dreadful|shoddy|lousy|inexcusable|embarrassing|disgrace|smh|ugh+|argh+|grr+|urgh+|jeez|for gods sake|for crying out loud|thanks for nothing|(?:im|i am) (?:so |really |completely |just |totally )?done (?:with (?:this|that|you|your|it|the whole|all)|being)|(?:im|i am) (?:so|completely|totally|absolutely) done|had it with|i give up|(?:round|around|going) in circles|runaround|run around|fobbed off|pillar to post|keep(?:s)? ignoring|ignoring (?:me|my)|you keep (?:saying|telling|sending|promising|changing|ignoring|asking)|(?:nobody|no one|noone) (?:here |there |at your company |in your company )?(?:ever |actually |even )?(?:replies|answers|responds|gets back|helps|cares|reads|listens|gives)|does (?:anyone|anybody) (?:even |actually |there )?(?:work|read|care|answer|listen)|(?:bad|terrible|negative|awful|1 star|one star) reviews?|(?:1|one) star|seriously(?=\s*(?:[?!.,]|$|guys|people|now|though))|beyond (?:angry|frustrated|annoyed)|not happy|losing (?:my )?(?:patience|mind|temper)|lost (?:my )?patience|out of patience|(?:my )?patience (?:is|has) (?:run|running|worn|wearing)|done being patient|end of my (?:rope|tether)|wits end|driving me (?:mad|crazy|nuts|insane)|doing my head in|so over (?:this|it)|you people|you lot|what am i paying for|do your job|make up your mind|how hard (?:is it|can it be)|is it too much to ask|whats wrong with (?:you|your)|why is (?:it|everything) (?:so|always)|(?:canned|copy paste|scripted) (?:reply|replies|response|responses|answer|answers|email)|(?:another|more|same|just|only) (?:automated|generic) (?:reply|replies|response|responses|answer|answers|email)|bot answers|on hold for|(?:been|keep) (?:trying|waiting|chasing)(?:\s[a-z]+){0,5}\s(?:for|since) (?:a |an |over a |over |\d+ |two |three |four |several |many )?(?:week|weeks|month|months|hour|hours|ages|forever)|chargeback|charge back|(?:file|filing|open|opening|raise|raising) a (?:dispute|complaint)|dispute (?:it|this|the charge) with my bank|reporting you|report you|(?:the )?bbb|better business bureau|trading standards|ombudsman|consumer (?:protection|rights)|(?:my )?lawyer|solicitor|attorney|legal action|small claims|sue you|take my business elsewhere|switching to (?:a competitor|another|amazon)|(?:never|not) (?:ordering|buying|shopping|using you) (?:from you |here )?again)\b/;
/**
 * Terse exasperation typed in a chat: "cmon", "so done with this", "this is insane", "getting
 * old", "taking forever", "nothing but excuses", "zero help", "every single time", "hate this".
 */
const EXASPERATION =
  /\b(?:cmon|come on(?=\s*(?:[,.!?]|$|guys|man|people|now|really|seriously|its|it has|this|you|already))|(?:im |i am )?so done(?: with)?\b|(?:im|i am) (?:so |just |completely |totally )?done(?=\s*(?:[,.!]|$))|done with (?:you|your (?:company|service|nonsense)|this (?:company|place|nonsense|crap|service)|it all)|(?:this is|thats|that is|its|it is) (?:honestly |just |getting |absolutely )?(?:insane|crazy|absurd|madness|nuts|ludicrous|a disaster|beyond)|absurd|ludicrous|infuriat\w+|disgusted|exasperat\w+|irritat(?:ed|ing)|aggravat(?:ed|ing)|maddening|getting (?:old|ridiculous|silly|beyond a joke)|taking (?:forever|ages|so long)|takes forever|(?:been|waited|waiting) (?:forever|ages)|(?:nothing but|more|another|same old|enough(?: with the)?) excuses?|(?:zero|no) help(?: at all| whatsoever)?(?! needed)|(?:keeps?|kept) (?:looping|repeating|going in circles|sending me the same|giving me the same|saying the same)|not another (?:bot|automated|canned|generic)|every single time|every time i (?:order|buy|contact|call|email|message|try)|(?:late|delayed|broken|wrong|missing|lost) again|again\s*[?!]|hate (?:this|it|you|your|dealing)\b|whats (?:going on|wrong) with (?:you|your company|this company)|what is (?:going on|wrong) with (?:you|your company|this company)|(?:you|you guys|you people|they) (?:never|dont|do not|wont) (?:reply|respond|answer|get back)|why (?:is|isnt|hasnt|has|does|doesnt|did|didnt|wont|cant|do|dont) (?:nobody|no one|noone|anyone|anybody|someone|somebody)\b(?! (?:else|other))|why is (?:this|it|everything) so (?:hard|difficult|complicated|slow)|(?:nobody|no one|noone) (?:is |will |seems to |can )?(?:telling|tells|told|helping|answering|responding|replying|bothered|bothers|get(?:ting)? back)|(?:is|does) (?:anyone|anybody) (?:even |actually )?(?:reading|there|listening|working|home)|(?:\d+|two|three|four|five|six|several|multiple|many) (?:emails|messages|calls|chats|tickets|requests)\b[^.?!]{0,30}\b(?:no|zero|not a single|without (?:a|any)) (?:answer|reply|response|word)|still (?:nothing|no (?:answer|reply|response|word))|been (?:waiting|trying|chasing) (?:for )?(?:over |almost |nearly )?(?:a|an|\d+|two|three|four|five|six|several|many) (?:weeks?|months?)|(?:really|honestly|so|very) disappointed|unreal(?! engine)|cmon+|come onn+|taking (?:too|so|this) long|(?:this|its|it is|you are|youre|you guys are|delivery|shipping|service|support|everything)(?: is| are)? (?:too|so|way too|painfully) slow|not good enough|(?:thats|that is|this is|its|it is) not (?:ok|okay|acceptable|fair|right)|not impressed|are you (?:even |actually )?listening|(?:did|do) you (?:even |actually )?read (?:my|what)|i (?:already|have already|already have) (?:told|explained|said|sent|given) (?:you|this|that|it)|what a waste|unhelpful|sigh+|(?:im|i am|so|really|very) mad\b|forget it(?!s)|(?:\d+|a|an|one|two|three|four|five|six|several) (?:days?|weeks?|months?) (?:and|later|on|now)(?: still| i have| ive got| i got)? (?:nothing|no (?:refund|reply|answer|response|package|parcel|order|word|update))|(?:waited|been waiting|waiting) (?:long )?enough|whats the point|why do i (?:even )?bother|impossible to (?:reach|contact|get hold of|get through)|(?:cant|cannot|couldnt) (?:get through|reach anyone|get hold of anyone|get anyone)|(?:nobody|no one|noone) (?:ever )?picks? up|i (?:keep|kept) (?:asking|telling|calling|emailing|getting the same)|still (?:not (?:fixed|working|resolved|sorted)|broken)|(?:poor|bad|crap|lousy|awful) (?:service|support|customer service|experience)|(?:was|were|so|very|really) rude|hung up on me|sucks?(?!\s(?:up|in|out|at|the|air|dust|hair|everything|well|really))|just wow|tf|what the f|i demand|i want (?:some )?answers|(?:scam|scammy|dodgy|crooked) (?:company|business|shop|store|outfit)|(?:you|you guys|you people|your company) (?:stole|are stealing|have stolen|basically stole)|jesus christ|for christs? sake|is this (?:a joke|some kind of joke|some sort of joke)|what kind of (?:service|company|business|support|customer service|operation) is this|keeps? happening|happened again|same (?:problem|issue|thing) again|^\W*(?:you|u) serious|^\W*hel+o{3,})\b/;
/** A bare "anyone there??", "hello?", "pls respond", "answer me", "refund me already". */
const IMPATIENT =
  /^\W*(?:hello+|helo+|hey|hi|yo)?\W*(?:is )?(?:anyone|anybody|someone|somebody)(?: there| home| out there| alive)?\s*\?|^\W*hel+o+\s*\?{2,}|^\W*really\s*\?{2,}|(?:^|[.!?,]\s*)(?:please |just )?(?:respond|reply|answer(?: me)?)(?: please)?(?=\s*(?:[!?.]|$))|\banswer me\b|(?:^|[.!?,]\s*)(?:please |just )?(?:give|send|fix|refund|cancel|sort|answer|reply|respond|hurry(?: up)?|ship|process|do)\b[^.?!]{0,30}\balready\b|^\W*(?:unreal|incredible|unbelievable)\s*[.!?]/;
/** Mild oaths that are also exclamations of pleasure ("damn, that was fast!"): anger only without praise. */
const MILD_OATH = /\b(?:damn|damned|bloody|(?:the|bloody|to|like) (?:hell|heck)|hell no|heck)\b/;
const NOT_ANGRY =
  /\b(?:not|isnt|im not|no)\s(?:angry|upset|frustrated|annoyed|complaining|mad|disappointed|furious|cross|a problem)\b|\bno complaints?\b|\bno hate\b|\bno hard feelings\b|\bhell of a\b|\b(?:scam|phishing|fake|fraud|suspicious) (?:call|calls|caller|email|emails|text|texts|message|messages|link|site|website)\b|\b(?:is (?:it|this|that)|was (?:it|this|that)|if (?:it|this) is) a scam\b|\b(?:review|reviews) (?:of|for) (?:the|this)\b|\b(?:ridiculous|insane|crazy|unreal|unbelievable|incredible|stupid|absurd)(?:ly)?\s(?:good|cheap|fast|low|comfy|comfortable|soft|quick|easy|nice|cute|well|deal|price|prices|quality|value)\b|\b[a-z]+,? in a good way\b/g;
const REPEATED_ASK =
  /\b(?:asked|requested|told you|called|tried|contacted you|emailed|messaged|chased|explained|written|wrote|rang|reported)\b(?:\s[a-z]+){0,6}\s(?:twice|three times|four times|five times|\d+ times|multiple times|several times|many times|again and again|already)\b|\b(?:second|2nd) time (?:this|in)\b|\b(?:third|fourth|fifth|sixth|3rd|4th|5th|6th|\d+th|umpteenth|hundredth|nth) (?:time|email|message|attempt|call|request|chat)\b|\bhow many (?:more )?times\b|\bfor the (?:last|final) time\b|\b(?:yet|once) again\b|\bagain and again\b|\bnot again\b|\bstill (?:no|not|nothing|waiting)\b.{0,40}\b(?:again|weeks|months)\b|\b(?:weeks|months)\b.{0,40}\bstill (?:no|not|nothing|waiting|havent|hasnt)\b/;
/** Sarcastic praise next to a complaint ("brilliant service, thanks a lot" after a failed delivery). */
const PRAISE =
  /\b(?:great|brilliant|wonderful|fantastic|excellent|amazing|stellar|superb|lovely|top notch) (?:service|job|work|support|customer service|system|stuff)\b|\bthanks a lot\b|\breally appreciate (?:it|that)\b|\bjust what i (?:needed|wanted)\b|^\W*(?:oh |wow )?(?:great|wonderful|fantastic|perfect|brilliant|lovely|nice|awesome|cool)\b(?=\W*(?:the|another|so|now|just|you))/;
const COMPLAINT =
  /\b(?:still|never|nothing|didnt|wasnt|havent|hasnt|not|no (?:answer|reply|response|refund|one)|while i was|all day|twice|again|another (?:automated|canned|generic)|charging me|broken|wrong|missing|delay|delayed|late|excuse)\b/;
/** "…really appreciate it. Not." */
const SARCASTIC_NOT = /\bnot\W*$/;
/** Words written in capitals for emphasis ("charged me AGAIN", "STILL nothing"). */
const EMPHASIS =
  /\b(?:AGAIN|STILL|NEVER|TWICE|NOTHING|NOBODY|ANYONE|WHY|WHERE|ANY|EVERY|WEEKS|MONTHS|SERIOUSLY|THIRD|WORST|ENOUGH|NOW)\b/;
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

/** Eye-roll, angry and thumbs-down emoji. */
const ANGRY_EMOJI = /[\u{1F644}\u{1F621}\u{1F92C}\u{1F624}\u{1F620}\u{1F44E}\u{1F612}\u{1F4A2}]/u;
/** "ASAP!!", "urgent!!!", "right now!!": the exclamation marks stress the urgency, not anger. */
const URGENT_BANG = /\b(?:asap|urgent|urgently|emergency|now|immediately|today|tonight|help)\s*[!?]+/gi;

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
  // Someone else's words (a quoted phishing e-mail) are not the customer's mood.
  const ownRaw = raw.replace(QUOTED, ' ');
  const own = (ownRaw === raw ? text : canonical(ownRaw)).replace(REPORTED, ' ');
  const calm = own.replace(NOT_URGENT, ' ');
  const urgent =
    SAFETY.test(calm.replace(NOT_SAFETY, ' ')) ||
    (MEDICAL.test(calm) && MEDICAL_PROBLEM.test(calm)) ||
    URGENT_WORDS.test(calm) ||
    MONEY_TROUBLE.test(calm) ||
    DEADLINE.test(calm) ||
    NEED_NOW.test(calm) ||
    NEED_BY.test(calm) ||
    EVENT_SOON.test(calm) ||
    WITHIN_HOURS.test(calm) ||
    DO_NOW.test(calm) ||
    /\bNOW\b/.test(ownRaw) ||
    QUICKLY.test(calm) ||
    /\b(?:today|tonight|now)\s*!/.test(calm);
  const unangry = own.replace(NOT_ANGRY, ' ');
  const praise = POSITIVE.test(unangry);
  const frustrated =
    ANGER.test(unangry) ||
    (MILD_OATH.test(unangry) && !praise) ||
    EXASPERATION.test(unangry) ||
    ANGRY_EMOJI.test(ownRaw) ||
    (IMPATIENT.test(unangry) && !praise) ||
    REPEATED_ASK.test(unangry.replace(/\bthanks? (?:you )?(?:once )?again\b/g, ' ')) ||
    (PRAISE.test(unangry) && (COMPLAINT.test(unangry.replace(PRAISE, ' ')) || SARCASTIC_NOT.test(unangry))) ||
    shouting(ownRaw) ||
    EMPHASIS.test(ownRaw) ||
    (/!{2,}|[!?]{3,}|\?!|!\?/.test(ownRaw.replace(URGENT_BANG, ' ')) && !praise) ||
    humanRequests >= 3;
  return { frustrated, urgent, humanRequested: humanRequests > 0 };
}
