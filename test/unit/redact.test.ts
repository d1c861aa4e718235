import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CARD_PLACEHOLDER as CARD,
  SECRET_PLACEHOLDER as GONE,
  redact,
} from '../../functions/intake/redact.js';
import { asciiDigits, isCardNumber, luhnValid } from '../../functions/shared/card-number.js';

/** Writes ASCII digits in the script whose zero is `zero` (full-width, Arabic-Indic, ...). */
const inScript = (digits: string, zero: number) =>
  [...digits].map((d) => (/\d/.test(d) ? String.fromCodePoint(zero + Number(d)) : d)).join('');
const FULL_WIDTH = 0xff10;
const ARABIC_INDIC = 0x660;
const DEVANAGARI = 0x966;
/** The text with every Unicode decimal digit written in ASCII. */
const asciiDigitsOf = (text: string) => text.replace(/\p{Nd}/gu, (d) => asciiDigits(d));

describe('redact: card numbers, whatever separates the groups and whatever digits are used', () => {
  it.each([
    ['no separator', '4111111111111111'],
    ['single spaces', '5555 5555 5555 4444'],
    ['double spaces', '4111  1111  1111  1111'],
    ['dashes', '4111-1111-1111-1111'],
    ['en-dashes', '4111–1111–1111–1111'],
    ['em-dashes', '4111—1111—1111—1111'],
    ['spaced dashes', '4111 - 1111 - 1111 - 1111'],
    ['dots', '4111.1111.1111.1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['tabs', '4111\t1111\t1111\t1111'],
    ['non-breaking spaces', '4111\u00a01111\u00a01111\u00a01111'],
    ['thin and narrow no-break spaces', '4111\u20091111\u202f1111\u20091111'],
    ['ideographic spaces', '4111\u30001111\u30001111\u30001111'],
    ['zero-width spaces', '4111\u200b1111\u200b1111\u200b1111'],
    ['a line break', '4111 1111\n1111 1111'],
    ['a Windows line break', '4111 1111\r\n1111 1111'],
    ['Amex 4-6-5', '3782 822463 10005'],
    ['13 digits', '4222222222222'],
    ['19 digits', '6011111111111111110'],
    ['full-width digits', inScript('4111 1111 1111 1111', FULL_WIDTH)],
    ['Arabic-Indic digits', inScript('4111 1111 1111 1111', ARABIC_INDIC)],
    ['Devanagari digits', inScript('4111-1111-1111-1111', DEVANAGARI)],
    ['mathematical bold digits (outside the BMP)', inScript('4111111111111111', 0x1d7ce)],
    ['mixed scripts', `4111 ${inScript('1111', FULL_WIDTH)} 1111 ${inScript('1111', ARABIC_INDIC)}`],
  ])('removes a card number written with %s', (_label, card) => {
    // Act
    const result = redact(`I was charged twice on my card ${card}, please refund.`);

    // Assess
    expect(result).toEqual({
      text: `I was charged twice on my card ${CARD}, please refund.`,
      redacted: true,
    });
  });

  it.each([
    ['touching letters', 'card4111111111111111please', `card${CARD}please`],
    [
      'after another number',
      'Order 12345 4965 3175 1234 5672 was charged',
      `Order 12345 ${CARD} was charged`,
    ],
    ['after a number with a dash', 'ref 99-4965317512345672', `ref 99-${CARD}`],
    ['with its CVV after it', 'card 4111 1111 1111 1111 123', `card ${CARD} 123`],
    ['with its expiry after it', 'card 4111 1111 1111 1111 09/27', `card ${CARD} 09/27`],
    ['two cards', 'old 4111111111111111 new 5555555555554444', `old ${CARD} new ${CARD}`],
    ['two cards in one run', '4111111111111111 5555555555554444', `${CARD} ${CARD}`],
    ['an E.164-looking Amex in the text', 'call +374270820565692', `call +${CARD}`],
  ])('removes a card number %s', (_label, message, expected) => {
    expect(redact(message).text).toBe(expected);
  });

  it('keeps a Luhn-valid window of a valid USPS tracking number (a careful operator wants the parcel found)', () => {
    // Prepare: the last 18 digits pass Luhn, the whole 22 is a USPS number with a right check digit
    const tracking = '9400 1000 0000 0002 2965 13';
    expect(isCardNumber('100000000002296513')).toBe(true);

    // Act and Assess
    expect(redact(`Where is my parcel ${tracking}?`).text).toBe(`Where is my parcel ${tracking}?`);
  });

  it('removes the same window when the 22 digits are not a USPS number (the card follows another number)', () => {
    expect(redact('ref 9401 1000 0000 0002 2965 13').text).toBe(`ref 9401 ${CARD}`);
  });

  it('keeps the Amazon-shaped order number whose last two groups pass Luhn', () => {
    // Prepare
    expect(isCardNumber('45678901234567')).toBe(true);
    const text = 'Order 113-4567890-1234567 never arrived';

    // Act and Assess
    expect(redact(text)).toEqual({ text, redacted: false });
  });

  it('keeps two dates written one after the other', () => {
    // Prepare: 2026-03-15 2026-03-17 is 16 digits that pass Luhn when joined
    expect(isCardNumber('2026031520260317')).toBe(true);
    const text = 'charged on 2026-03-15 2026-03-17 and 03/15/2026 03/17/2026';

    // Act and Assess
    expect(redact(text).text).toBe(text);
  });
});

describe('redact: counter-examples that must stay', () => {
  it.each([
    ['an Amazon order number', 'Where is order 113-4567890-1234567?'],
    ['a short order number', 'Order #A1234 is late'],
    ['an order number', 'Order 12345 is late'],
    ['a long order number that fails Luhn', 'Where is order 1234567890123456?'],
    ['a UPS tracking id', 'tracking 1Z999AA10123456784'],
    ['a FedEx tracking id', 'FedEx 7712 3456 7890'],
    ['a USPS 22-digit tracking id', 'USPS 9400 1000 0000 0000 0000 00'],
    ['a real-format USPS tracking id', 'USPS 9400 1118 9922 3100 0000 00'],
    ['a 23-digit number', '12345678901234567890123'],
    ['an E.164 phone number', 'Call me on +12065550100 please'],
    ['a spaced phone number', 'Call me on +1 206 555 0107'],
    ['a US phone number', 'Call me on (206) 555-0107'],
    ['an ISO date', 'It was due 2026-03-15.'],
    ['a US date', 'It was due 03/15/2026.'],
    ['a price', 'I paid $1,499.00 for it'],
    ['a small price', 'charged 14.99 twice'],
    ['amounts', 'I paid 14.99, 14.99 and 29.98'],
    ['years', 'a customer since 2019, in 2026'],
    ['a plain request', 'I cancelled my subscription on Feb 15 but was charged again on Mar 1 for $14.99.'],
    ['a request for a person', 'I want to talk to a person, this is the third time I ask!'],
    [
      'words that merely contain "pass"',
      'My package was passed to another carrier and my passport order is late.',
    ],
    ['words that contain "pin"', 'The spinner is pink and the pins are missing, shipping was slow'],
    ['the empty string', ''],
  ])('keeps %s', (_label, text) => {
    expect(redact(text)).toEqual({ text, redacted: false });
  });
});

describe('redact: card security codes', () => {
  it.each([
    ['cvv 123', `cvv ${GONE}`],
    ['CVV: 123', `CVV: ${GONE}`],
    ['cvv is 123', `cvv is ${GONE}`],
    ['cvv=123', `cvv=${GONE}`],
    ['cvv #123', `cvv #${GONE}`],
    ['cvv123', `cvv${GONE}`],
    ['CVV2: 1234', `CVV2: ${GONE}`],
    ['cvc 321', `cvc ${GONE}`],
    ['cvv code is 123', `cvv code is ${GONE}`],
    ['security code is 4321', `security code is ${GONE}`],
    ['Security Code: 987', `Security Code: ${GONE}`],
    [`cvv ${inScript('123', FULL_WIDTH)}`, `cvv ${GONE}`],
    ['card 4111111111111111 cvv 123 exp 09/27', `card ${CARD} cvv ${GONE} exp 09/27`],
  ])('%j becomes %j', (message, expected) => {
    expect(redact(message).text).toBe(expected);
  });

  it.each(['the cvv field is missing', 'cvv 12345 is not a code', 'what is a security code?'])(
    'keeps %j',
    (text) => {
      expect(redact(text).text).toBe(text);
    },
  );
});

describe('redact: secrets, and only the secret', () => {
  it.each([
    ['my password is hunter2', `my password is ${GONE}`],
    ['password: Tr0ub4dor&3', `password: ${GONE}`],
    ['Password: hunter2', `Password: ${GONE}`],
    ['PASSWORD=hunter2', `PASSWORD=${GONE}`],
    ['Password:\nhunter2\nthanks', `Password:\n${GONE}\nthanks`],
    ['cvv:\r\n123', `cvv:\r\n${GONE}`],
    ['my password is: hunter2', `my password is: ${GONE}`],
    ['my password is sunshine, please help', `my password is ${GONE}, please help`],
    ['password hunter2', `password ${GONE}`],
    ['the passcode is 4711', `the passcode is ${GONE}`],
    ['passcode 9876. Talk to a person please', `passcode ${GONE}. Talk to a person please`],
    ['passcode90817', `passcode${GONE}`],
    ['pass word: hunter2', `pass word: ${GONE}`],
    ['pass-word hunter2', `pass-word ${GONE}`],
    ['pass code 1234', `pass code ${GONE}`],
    ['p@ssword hunter2', `p@ssword ${GONE}`],
    ['pa$$word: dragon', `pa$$word: ${GONE}`],
    ['passw0rd is dragon', `passw0rd is ${GONE}`],
    ['passwd=hunter2', `passwd=${GONE}`],
    ['pwd hunter2', `pwd ${GONE}`],
    ['pw: hunter2', `pw: ${GONE}`],
    ['pw is hunter2', `pw is ${GONE}`],
    ['my pin is 4821', `my pin is ${GONE}`],
    ['PIN: 4821', `PIN: ${GONE}`],
    ['PIN number is 1234', `PIN number is ${GONE}`],
    ['pin code 4567', `pin code ${GONE}`],
    ['pin1234', `pin${GONE}`],
    ['pin 1 2 3 4 please', `pin ${GONE} please`],
    [`pin ${inScript('4821', ARABIC_INDIC)}`, `pin ${GONE}`],
    ['password hUnTeR', `password ${GONE}`],
    ['my password is "my secret pass" ok', `my password is ${GONE} ok`],
    ['passphrase: correct horse battery staple, please help', `passphrase: ${GONE}, please help`],
    ['my passphrase is purple monkey dishwasher. Thanks', `my passphrase is ${GONE}. Thanks`],
    ['my passwords are hunter2 and more', `my passwords are ${GONE} and more`],
    ['my password was hunter2 before the reset', `my password was ${GONE} before the reset`],
    ['my password for the app is sunshine', `my password for the app is ${GONE}`],
    ['the PIN on my card: 4821', `the PIN on my card: ${GONE}`],
    ['passcode 4821, talk to a person please', `passcode ${GONE}, talk to a person please`],
    [
      'Card 4111 1111 1111 1111 passcode 9876. Talk to a person please',
      `Card ${CARD} passcode ${GONE}. Talk to a person please`,
    ],
    ['card 4111111111111111 and my password is hunter2', `card ${CARD} and my password is ${GONE}`],
    ['pin 4111 1111 1111 1111', `pin ${GONE}`],
  ])('%j becomes %j', (message, expected) => {
    // Act
    const result = redact(message);

    // Assess
    expect(result).toEqual({ text: expected, redacted: true });
  });

  it.each([
    'i forgot my password, how do I reset it?',
    'I forgot my password. How do I reset it?',
    'my password reset link doesn\u2019t work',
    "my password reset link doesn't work",
    'I changed my pin yesterday',
    'what is a pin code',
    'my password is not working',
    'my password is wrong and the reset email never came',
    'the password was changed without me',
    'my password is expired',
    'my pin no longer works',
    'my password\u2019s reset page is broken',
    'is the account pin-protected?',
    'password manager',
    'the password for my account is not working',
    'a password for everything: that is the problem',
    'Kindle PW 5 broken',
    'pw',
    'password:',
  ])('keeps %j', (text) => {
    expect(redact(text)).toEqual({ text, redacted: false });
  });
});

describe('redact: properties', () => {
  const SEPARATORS = [
    ' ',
    '  ',
    '-',
    '–',
    '—',
    ' - ',
    '.',
    '/',
    '\t',
    '\u00a0',
    '\u2009',
    '\u3000',
    '\n',
    '\r\n',
    '\u200b',
  ];
  const SCRIPTS = [0x30, FULL_WIDTH, ARABIC_INDIC, 0x6f0, DEVANAGARI, 0x9e6, 0xe50, 0x1d7ce];

  /** A Luhn-valid 13-19 digit number that does not start with 0. */
  const cardNumber = fc
    .tuple(
      fc.integer({ min: 1, max: 9 }),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 17 }),
    )
    .map(([first, rest]) => {
      const body = `${first}${rest.join('')}`;
      const check = [...Array(10).keys()].find((c) => luhnValid(`${body}${c}`));
      return `${body}${check}`;
    });

  /** The card split in random groups by random separators (each a separator of the list). */
  const writtenCard = fc
    .record({
      card: cardNumber,
      cuts: fc.array(fc.integer({ min: 1, max: 18 }), { maxLength: 6 }),
      separators: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 6, maxLength: 6 }),
      zero: fc.constantFrom(...SCRIPTS),
    })
    .map(({ card, cuts, separators, zero }) => {
      const positions = [...new Set(cuts.filter((c) => c < card.length))].sort((a, b) => a - b);
      const groups = positions
        .map((p, i) => card.slice(positions[i - 1] ?? 0, p))
        .concat(card.slice(positions.at(-1) ?? 0));
      const text = groups
        .map((g) => inScript(g, zero))
        .reduce((acc, g, i) => `${acc}${separators[i - 1] ?? ' '}${g}`);
      return { card, text };
    })
    // The shapes kept on purpose (a superset): an order number 3-7-7 with hyphens, a date.
    .filter(
      ({ text }) =>
        !/(?<!\d)\d{3} ?- ?\d{7} ?- ?\d{7}(?!\d)|\d{4} ?([-/.]) ?\d{1,2} ?\1 ?\d|\d ?([-/.]) ?\d{1,2} ?\2 ?\d{4}/u.test(
          asciiDigitsOf(text),
        ),
    );

  const words = fc.string({ unit: fc.constantFrom(...'abcdefghij XYZ,.!?éß漢'), maxLength: 30 });

  it('never lets a Luhn-valid 13-19 digit number survive, whatever its groups, separators, digits and surroundings', () => {
    fc.assert(
      fc.property(writtenCard, words, words, fc.boolean(), ({ text: card }, before, after, glued) => {
        // Prepare: letters touching the number, or another number in front of it
        const prefix = glued ? `${before}x` : `${before} Order 12345 `;
        const message = `${prefix}${card}${glued ? 'x' : ' '}${after}`;

        // Act
        const result = redact(message).text;

        // Assess: no digit of the card is left (the order number goes too when it joins a Luhn-valid window)
        expect(['', glued ? '' : '12345']).toContain(asciiDigits(result.replace(/[^\p{Nd}]/gu, '')));
        expect(result).toContain(CARD);
      }),
      { numRuns: 2000 },
    );
  });

  const keywordForms = fc.constantFrom(
    'password',
    'Password',
    'PASSWORD',
    'pass word',
    'pass-word',
    'p@ssword',
    'pa$$word',
    'passcode',
    'passwd',
    'pwd',
    'pin',
    'PIN',
  );
  const connectors = fc.constantFrom(': ', ':', '=', ' = ', ' is ', ' is: ', ' ');
  const secret = fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCXYZ'), minLength: 2, maxLength: 8 }),
      fc.integer({ min: 0, max: 99999 }),
    )
    .map(([letters, number]) => `${letters}${number}`);
  const rest = fc.constantFrom(
    '. Talk to a person please',
    ', how do I reset it?',
    '',
    ' and refund my double charge',
  );

  it('removes the secret after any keyword form and keeps the rest of the message', () => {
    fc.assert(
      fc.property(
        words,
        keywordForms,
        connectors,
        secret,
        rest,
        (before, keyword, connector, value, after) => {
          const result = redact(`${before} ${keyword}${connector}${value}${after}`).text;

          expect(result).toBe(`${before} ${keyword}${connector}${GONE}${after}`);
        },
      ),
      { numRuns: 1000 },
    );
  });

  const fragments = fc.constantFrom(
    'password',
    'pin',
    'pw',
    'cvv',
    'passphrase',
    ' is ',
    ': ',
    '=',
    ' ',
    '\n',
    '-',
    '.',
    '/',
    ', ',
    '"',
    'hunter2',
    'dragon',
    '4111',
    '1111',
    '4965317512345672',
    '123',
    '12345',
    '113-4567890-1234567',
    GONE,
    CARD,
    '４１１１',
    'talk to a person',
  );
  const messages = fc.oneof(
    fc.array(fragments, { maxLength: 20 }).map((parts) => parts.join('')),
    fc.string({ maxLength: 60 }),
  );

  it('is idempotent: redacting redacted text changes nothing', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const once = redact(message).text;

        expect(redact(once)).toEqual({ text: once, redacted: false });
      }),
      { numRuns: 3000 },
    );
  });
});
